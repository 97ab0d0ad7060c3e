// generate.mjs writes the Parquet test fixtures of core/ingest with writers
// that share no code with the Go reader: parquet-wasm (arrow-rs compiled to
// wasm, the Rust writer DataFusion/Polars-style tools use) and
// hyparquet-writer (pure JavaScript). It is run by hand, not in CI; its
// output is committed. See README.md.
//
//	npm ci && node generate.mjs                  # fixtures + oracle twins
//	node generate.mjs --bench /tmp/x.parquet     # the 1M-row benchmark file
//	node generate.mjs --warm-up                  # web/warm-up.parquet (see warmUp)
//
// Every fixture is described in core/ingest/testdata/parquet/manifest.json;
// the canonical cell text each row must read as (the contract of
// core/ingest/parquet.go) is computed here, independently of the Go code,
// into expected/DATASET.json.
import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'
import { fileURLToPath } from 'node:url'
import * as arrow from 'apache-arrow'
import * as pw from 'parquet-wasm'
import { parquetMetadata } from 'hyparquet'
import { parquetWriteBuffer } from 'hyparquet-writer'
import { parse as parseCSV } from 'csv-parse/sync'
// Not exported by the package; used to rewrite a footer (see int96File).
import { writeMetadata } from './node_modules/hyparquet-writer/src/metadata.js'
import { ByteWriter } from './node_modules/hyparquet-writer/src/bytewriter.js'

const here = path.dirname(fileURLToPath(import.meta.url))
const repo = path.resolve(here, '../..')
const outDir = path.join(repo, 'core/ingest/testdata/parquet')
const oracleOut = path.join(repo, 'testdata/oracle')
const oracleCases = process.env.ORACLE_CASES ?? path.resolve(repo, '../shared/oracle/cases')

// ---------------------------------------------------------------- helpers

// mulberry32: a small seeded PRNG so the fixtures are byte-identical on
// every run.
function rng(seed) {
  return () => {
    seed |= 0
    seed = seed + 0x6d2b79f5 | 0
    let t = Math.imul(seed ^ seed >>> 15, 1 | seed)
    t = t + Math.imul(t ^ t >>> 7, 61 | t) ^ t
    return ((t ^ t >>> 14) >>> 0) / 4294967296
  }
}

const utf8 = new TextEncoder()
const strictUTF8 = new TextDecoder('utf-8', { fatal: true })

// --- canonical text (the output contract), written independently of Go ---

// expandExp turns JS exponent notation ("1.5e-7", "1e+21") into plain
// decimal text, as Go's strconv.FormatFloat(v, 'f', -1, …) prints it.
function expandExp(s) {
  const m = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(s)
  if (!m) return s
  const [, sign, int, frac = '', exp] = m
  let digits = int + frac
  let point = int.length + Number(exp)
  if (point <= 0) return sign + '0.' + '0'.repeat(-point) + digits
  if (point >= digits.length) return sign + digits + '0'.repeat(point - digits.length)
  return sign + digits.slice(0, point) + '.' + digits.slice(point)
}

function fmtSpecial(v) {
  if (Number.isNaN(v)) return 'NaN'
  if (v === Infinity) return '+Inf'
  if (v === -Infinity) return '-Inf'
  if (Object.is(v, -0)) return '-0'
  return null
}

// fmtDouble: shortest text that reads back as the same float64.
function fmtDouble(v) {
  return fmtSpecial(v) ?? expandExp(String(v))
}

// fmtFloat: shortest text that reads back as the same float32.
function fmtFloat(v) {
  v = Math.fround(v)
  const sp = fmtSpecial(v)
  if (sp) return sp
  for (let p = 1; p <= 9; p++) {
    const s = v.toPrecision(p)
    if (Math.fround(Number(s)) === v) return expandExp(String(Number(s)))
  }
  throw new Error('no float32 text for ' + v)
}

function floorDiv(a, b) { // bigint
  const q = a / b
  return (a % b !== 0n && (a < 0n) !== (b < 0n)) ? q - 1n : q
}

function fmtDate(days) {
  return new Date(Number(days) * 86400000).toISOString().slice(0, 10)
}

function pad(n, w) { return String(n).padStart(w, '0') }

function fmtClock(us) { // bigint micros within a day
  const sec = us / 1000000n
  const frac = us % 1000000n
  let s = `${pad(sec / 3600n, 2)}:${pad(sec / 60n % 60n, 2)}:${pad(sec % 60n, 2)}`
  if (frac) s += '.' + pad(frac, 6)
  return s
}

// fmtTimestamp renders UTC microseconds as YYYY-MM-DDTHH:MM:SS[.ffffff]Z.
function fmtTimestamp(us) {
  us = BigInt(us)
  const day = 86400000000n
  const days = floorDiv(us, day)
  return fmtDate(days) + 'T' + fmtClock(us - days * day) + 'Z'
}

function fmtDecimal(unscaled, scale) {
  const neg = unscaled < 0n
  let s = (neg ? -unscaled : unscaled).toString()
  if (scale > 0) {
    s = s.padStart(scale + 1, '0')
    s = s.slice(0, s.length - scale) + '.' + s.slice(s.length - scale)
  }
  return (neg ? '-' : '') + s
}

function fmtUUID(b) {
  const h = Buffer.from(b).toString('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

// cellBytes is the expected cell of raw bytes: a string when they are
// UTF-8, else {b64}.
function cellBytes(b) {
  try {
    return strictUTF8.decode(b)
  } catch {
    return { b64: Buffer.from(b).toString('base64') }
  }
}

// ---------------------------------------------------------------- columns
//
// A column is {name, kind, values, nullable}; kind says how to write it
// (arrow type / Parquet schema element) and how its cells read (text()).

const kinds = {
  bool: { arrow: () => new arrow.Bool(), text: v => String(v) },
  int8: { arrow: () => new arrow.Int8(), Typed: Int8Array, text: String },
  int16: { arrow: () => new arrow.Int16(), Typed: Int16Array, text: String },
  int32: { arrow: () => new arrow.Int32(), Typed: Int32Array, text: String },
  int64: { arrow: () => new arrow.Int64(), Typed: BigInt64Array, zero: 0n, text: String },
  uint8: { arrow: () => new arrow.Uint8(), Typed: Uint8Array, text: String },
  uint16: { arrow: () => new arrow.Uint16(), Typed: Uint16Array, text: String },
  uint32: { arrow: () => new arrow.Uint32(), Typed: Uint32Array, text: String },
  uint64: { arrow: () => new arrow.Uint64(), Typed: BigUint64Array, zero: 0n, text: String },
  float: { arrow: () => new arrow.Float32(), Typed: Float32Array, text: fmtFloat },
  double: { arrow: () => new arrow.Float64(), Typed: Float64Array, text: fmtDouble },
  float16: { arrow: () => new arrow.Float16(), Typed: Uint16Array, text: fmtFloat, toArrow: f16bits },
  date: { arrow: () => new arrow.DateDay(), Typed: Int32Array, text: fmtDate },
  ts_ms: { arrow: () => new arrow.TimestampMillisecond('UTC'), Typed: BigInt64Array, zero: 0n, text: v => fmtTimestamp(v * 1000n) },
  ts_us: { arrow: () => new arrow.TimestampMicrosecond('UTC'), Typed: BigInt64Array, zero: 0n, text: fmtTimestamp },
  ts_us_local: { arrow: () => new arrow.TimestampMicrosecond(), Typed: BigInt64Array, zero: 0n, text: fmtTimestamp },
  ts_ns: { arrow: () => new arrow.TimestampNanosecond('UTC'), Typed: BigInt64Array, zero: 0n, text: v => fmtTimestamp(floorDiv(v, 1000n)) },
  time_ms: { arrow: () => new arrow.TimeMillisecond(), Typed: Int32Array, text: v => fmtClock(BigInt(v) * 1000n) },
  time_us: { arrow: () => new arrow.TimeMicrosecond(), Typed: BigInt64Array, zero: 0n, text: fmtClock },
  time_ns: { arrow: () => new arrow.TimeNanosecond(), Typed: BigInt64Array, zero: 0n, text: v => fmtClock(v / 1000n) },
  string: { arrow: () => new arrow.Utf8(), text: v => v },
  binary: { arrow: () => new arrow.Binary(), text: cellBytes },
}

// decimal(scale, precision): values are unscaled bigints.
function decimalKind(scale, precision) {
  return { arrow: () => new arrow.Decimal(scale, precision, 128), decimal: true, text: v => fmtDecimal(v, scale) }
}
function fsbKind(width) {
  return { arrow: () => new arrow.FixedSizeBinary(width), fsb: width, text: cellBytes }
}

// f16bits encodes a number as IEEE half-precision bits (exact for the
// values used here).
function f16bits(v) {
  const b = new DataView(new ArrayBuffer(4))
  b.setFloat32(0, v)
  const x = b.getUint32(0)
  const sign = (x >>> 16) & 0x8000
  const exp = ((x >>> 23) & 0xff) - 127 + 15
  const mant = (x >>> 13) & 0x3ff
  if (Number.isNaN(v)) return 0x7e00
  if (v === 0) return sign
  if (exp <= 0 || exp >= 31) throw new Error('float16 test value out of range: ' + v)
  return sign | exp << 10 | mant
}

function col(name, kind, values, nullable = true) {
  const k = typeof kind === 'string' ? kinds[kind] : kind
  if (!k) throw new Error('unknown kind ' + kind)
  return { name, kind: k, kindName: typeof kind === 'string' ? kind : 'custom', values, nullable }
}

function expectedCells(c) {
  return c.values.map(v => v === null ? '' : c.kind.text(v))
}

// arrowVector builds the arrow vector of a column, with exact values (the
// arrow builders would reinterpret timestamps as milliseconds).
function arrowVector(c) {
  const k = c.kind
  const type = k.arrow()
  const vals = c.values
  const n = vals.length
  const bm = new Uint8Array(Math.ceil(n / 8))
  let nulls = 0
  vals.forEach((v, i) => { if (v === null) nulls++; else bm[i >> 3] |= 1 << (i & 7) })
  let data
  if (k.Typed) {
    const z = k.zero ?? 0
    data = k.Typed.from(vals.map(v => v === null ? z : (k.toArrow ? k.toArrow(v) : v)))
  } else if (k.decimal) {
    data = new Uint32Array(n * 4)
    vals.forEach((v, i) => {
      let x = BigInt.asUintN(128, v ?? 0n)
      for (let j = 0; j < 4; j++) { data[i * 4 + j] = Number(x & 0xffffffffn); x >>= 32n }
    })
  } else if (k.fsb) {
    data = new Uint8Array(n * k.fsb)
    vals.forEach((v, i) => { if (v) data.set(v, i * k.fsb) })
  } else {
    return arrow.vectorFromArray(vals, type)
  }
  return arrow.makeVector(arrow.makeData({ type, length: n, nullCount: nulls, nullBitmap: bm, data }))
}

function arrowTable(cols, extra = []) {
  const vecs = cols.map(arrowVector)
  const fields = cols.map((c, i) => new arrow.Field(c.name, vecs[i].type, c.nullable))
  for (const e of extra) { fields.push(new arrow.Field(e.name, e.vector.type, true)); vecs.push(e.vector) }
  const schema = new arrow.Schema(fields)
  const n = vecs[0].length
  const batch = new arrow.RecordBatch(schema, arrow.makeData({
    type: new arrow.Struct(fields), length: n, nullCount: 0, children: vecs.map(v => v.data[0]),
  }))
  return new arrow.Table([batch])
}

// writeArrowRs writes a table with parquet-wasm (arrow-rs).
function writeArrowRs(table, o) {
  let b = new pw.WriterPropertiesBuilder()
    .setCreatedBy('parquet-wasm 0.8.0 (arrow-rs), cxaudit fixtures')
    .setCompression(pw.Compression[o.codec])
    .setWriterVersion(o.v2 ? pw.WriterVersion.V2 : pw.WriterVersion.V1)
    .setDictionaryEnabled(o.dict)
    .setMaxRowGroupSize(o.rowGroup ?? 1 << 20)
    .setDataPageSizeLimit(o.pageSize ?? 1 << 20)
    .setWriteBatchSize(o.writeBatch ?? 1024)
    .setStatisticsEnabled(pw.EnabledStatistics[o.stats ?? 'None'])
  if (o.dictPageSize) b = b.setDictionaryPageSizeLimit(o.dictPageSize)
  for (const [name, enc] of Object.entries(o.encodings ?? {})) b = b.setColumnEncoding(name, pw.Encoding[enc])
  const wt = pw.Table.fromIPCStream(arrow.tableToIPC(table, 'stream'))
  return pw.writeParquet(wt, b.build())
}

// ----------------------------------------------------------- hyparquet

// hyparquet schema element of a column kind (explicit, so the logical and
// converted types are exactly what the fixture says).
function hyElement(c) {
  const rep = c.nullable ? 'OPTIONAL' : 'REQUIRED'
  const e = { name: c.name, repetition_type: rep, ...c.kind.hy }
  return e
}

// hyValues converts a column's values to what hyparquet-writer wants for
// its element.
function hyValues(c) {
  return c.kind.hyValue ? c.values.map(v => v === null ? null : c.kind.hyValue(v)) : c.values
}

const gzipCompress = b => new Uint8Array(zlib.gzipSync(b))
const brotliCompress = b => new Uint8Array(zlib.brotliCompressSync(b))

function writeHy(cols, o) {
  const ab = parquetWriteBuffer({
    columnData: cols.map(c => ({ name: c.name, data: hyValues(c), nullable: c.nullable, encoding: o.encodings?.[c.name] })),
    schema: [{ name: 'root', num_children: cols.length }, ...cols.map(hyElement)],
    codec: o.codec,
    compressors: { GZIP: gzipCompress, BROTLI: brotliCompress },
    statistics: false,
    rowGroupSize: o.rowGroup ?? 100000,
    pageSize: o.pageSize ?? 1 << 20,
    createdBy: 'hyparquet-writer 0.17.0, cxaudit fixtures',
  })
  return new Uint8Array(ab)
}

// ---------------------------------------------------------------- datasets

// mixed: the dataset every codec / page version / encoding variant holds.
function mixedColumns(n) {
  const r = rng(42)
  const pick = a => a[Math.floor(r() * a.length)]
  const maybe = (p, f) => r() < p ? null : f()
  const channels = ['email', 'sms', 'web', 'in_app', 'N/A', '']
  const words = ['fast', 'slow', 'billing', 'héllo wörld ✓', 'support', 'app crashed', 'great', 'ok']
  const id = [], nps = [], score = [], channel = [], comment = [], ok = [], ts = [], day = [], rating = []
  const base = 1704067200000000n // 2024-01-01
  for (let i = 0; i < n; i++) {
    id.push(BigInt(i + 1) * 1000003n - 500000n)
    nps.push(maybe(0.08, () => Math.floor(r() * 11)))
    score.push(maybe(0.1, () => pick([3.5, 9, 7.25, -0.1, 1e-7, 123456.789, 0, 10, 2.5e21, NaN])))
    channel.push(maybe(0.05, () => pick(channels)))
    comment.push(maybe(0.3, () => {
      const k = Math.floor(r() * 6)
      let s = `#${i} ` + Array.from({ length: k }, () => pick(words)).join(' ')
      if (r() < 0.03) s += ' ' + 'x'.repeat(80)
      return r() < 0.05 ? '' : s
    }))
    ok.push(maybe(0.1, () => r() < 0.6))
    ts.push(maybe(0.1, () => base + BigInt(Math.floor(r() * 366 * 86400)) * 1000000n + (r() < 0.3 ? BigInt(Math.floor(r() * 1e6)) : 0n)))
    day.push(maybe(0.1, () => 19700 + Math.floor(r() * 500)))
    rating.push(maybe(0.1, () => pick([1.5, 2, 2.25, 4.75, -3, 0.1])))
  }
  return [
    col('id', 'int64', id, false),
    col('nps', 'int32', nps),
    col('score', 'double', score),
    col('channel', 'string', channel),
    col('comment', 'string', comment),
    col('ok', 'bool', ok),
    col('ts', 'ts_us', ts),
    col('day', 'date', day),
    col('rating', 'float', rating),
  ]
}

// hyparquet elements for the kinds used with hyparquet-writer.
kinds.bool.hy = { type: 'BOOLEAN' }
kinds.int32.hy = { type: 'INT32' }
kinds.int64.hy = { type: 'INT64' }
kinds.double.hy = { type: 'DOUBLE' }
kinds.float.hy = { type: 'FLOAT' }
kinds.string.hy = { type: 'BYTE_ARRAY', converted_type: 'UTF8' }
kinds.binary.hy = { type: 'BYTE_ARRAY' }
kinds.date.hy = { type: 'INT32', converted_type: 'DATE', logical_type: { type: 'DATE' } }
kinds.ts_us.hy = { type: 'INT64', converted_type: 'TIMESTAMP_MICROS', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' } }

// typesArrow: every type arrow-rs writes, with nulls and extremes.
function typesArrowColumns() {
  const N = null
  const b = (...x) => new Uint8Array(x)
  const cols = [
    col('bool', 'bool', [true, false, N, true, false, true]),
    col('int8', 'int8', [1, -2, N, 127, -128, 0]),
    col('int16', 'int16', [1, -2, N, 32767, -32768, 0]),
    col('int32', 'int32', [1, -2, N, 2147483647, -2147483648, 0]),
    col('int64', 'int64', [1n, -2n, N, 9223372036854775807n, -9223372036854775808n, 0n]),
    col('uint8', 'uint8', [1, 2, N, 255, 0, 128]),
    col('uint16', 'uint16', [1, 2, N, 65535, 0, 32768]),
    col('uint32', 'uint32', [1, 2, N, 4294967295, 0, 2147483648]),
    col('uint64', 'uint64', [1n, 2n, N, 18446744073709551615n, 0n, 9223372036854775808n]),
    col('float', 'float', [1.5, 9, N, NaN, -0.25, Math.fround(0.1)]),
    col('double', 'double', [7.5, 9, N, -Infinity, 1e-7, 0.1]),
    col('float16', 'float16', [1.5, -2, N, 0.5, 65504, 0]),
    col('date', 'date', [0, 19000, N, -1, 2932896, -719162]),
    col('ts_ms', 'ts_ms', [0n, 1700000000123n, N, -1n, 253402300799999n, -62135596800000n]),
    col('ts_us', 'ts_us', [0n, 1700000000123456n, N, -1n, 1704067200000000n, 1n]),
    col('ts_us_local', 'ts_us_local', [0n, 1700000000123456n, N, -1n, 1704067200000000n, 1n]),
    col('ts_ns', 'ts_ns', [0n, 1700000000123456789n, N, -1n, -1001n, 999n]),
    col('time_ms', 'time_ms', [0, 3723001, N, 1, 86399999, 43200000]),
    col('time_us', 'time_us', [0n, 3723000001n, N, 1n, 86399999999n, 43200000000n]),
    col('time_ns', 'time_ns', [0n, 3723000001999n, N, 1999n, 86399999999999n, 43200000000000n]),
    col('dec_9_2', decimalKind(2, 9), [1250n, -5n, N, 0n, 999999999n, -999999999n]),
    col('dec_18_3', decimalKind(3, 18), [1250n, -5n, N, 0n, 999999999999999999n, -1n]),
    col('dec_38_4', decimalKind(4, 38), [1250n, -5n, N, 0n, 10n ** 38n - 1n, -(10n ** 37n)]),
    col('string', 'string', ['a', 'héllo ✓', N, '', 'N/A', '9.0']),
    col('binary', 'binary', [b(0, 255, 1), b(), N, b(104, 105), b(0xc3), b(1, 2, 3, 4)]),
    col('fsb3', fsbKind(3), [b(1, 2, 3), b(0, 0, 0), N, b(65, 66, 67), b(255, 254, 253), b(9, 9, 9)]),
  ]
  for (const c of cols) c.values = c.values.map(v => v === undefined ? null : v)
  return cols
}

// typesHy: hyparquet-writer with explicit schema elements: old converted
// types without logical types, logical types arrow-rs does not write
// (UUID, ENUM, JSON, BYTE_ARRAY decimals, FLBA(5) decimals, unsigned
// INTEGER(16)), required columns.
function typesHyColumns() {
  const N = null
  const big = x => BigInt(x)
  const k = (hy, text, hyValue) => ({ hy, text, hyValue })
  const cols = [
    col('ts_millis_converted', k({ type: 'INT64', converted_type: 'TIMESTAMP_MILLIS' }, v => fmtTimestamp(v * 1000n)),
      [0n, 1700000000123n, N, -1n, 86400000n, 1n]),
    col('ts_micros_converted', k({ type: 'INT64', converted_type: 'TIMESTAMP_MICROS' }, v => fmtTimestamp(v)),
      [0n, 1700000000123456n, N, -1n, 86400000000n, 1n]),
    col('ts_nanos_logical', k({ type: 'INT64', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'NANOS' } }, v => fmtTimestamp(floorDiv(v, 1000n))),
      [0n, 1700000000123456789n, N, -1n, -999n, 1000n]),
    col('ts_millis_local', k({ type: 'INT64', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: false, unit: 'MILLIS' } }, v => fmtTimestamp(v * 1000n)),
      [0n, 1700000000123n, N, -1n, 5n, 1n]),
    col('date_converted', k({ type: 'INT32', converted_type: 'DATE' }, fmtDate), [0, 19000, N, -1, 1, 20000]),
    col('time_millis_converted', k({ type: 'INT32', converted_type: 'TIME_MILLIS' }, v => fmtClock(BigInt(v) * 1000n)), [0, 3723001, N, 1, 86399999, 500]),
    col('time_micros_logical', k({ type: 'INT64', logical_type: { type: 'TIME', isAdjustedToUTC: true, unit: 'MICROS' } }, fmtClock), [0n, 3723000001n, N, 1n, 86399999999n, 500n]),
    col('time_nanos_logical', k({ type: 'INT64', logical_type: { type: 'TIME', isAdjustedToUTC: false, unit: 'NANOS' } }, v => fmtClock(v / 1000n)), [0n, 3723000001999n, N, 1999n, 86399999999999n, 500n]),
    col('uint8_converted', k({ type: 'INT32', converted_type: 'UINT_8' }, String), [0, 255, N, 1, 128, 7]),
    col('uint16_logical', k({ type: 'INT32', logical_type: { type: 'INTEGER', bitWidth: 16, isSigned: false } }, String), [0, 65535, N, 1, 32768, 7]),
    col('uint32_converted', k({ type: 'INT32', converted_type: 'UINT_32' }, String), [0, 4294967295, N, 1, 2147483648, 7]),
    col('uint64_logical', k({ type: 'INT64', logical_type: { type: 'INTEGER', bitWidth: 64, isSigned: false } }, String),
      [0n, 18446744073709551615n, N, 1n, 9223372036854775808n, 7n]),
    col('int64_converted', k({ type: 'INT64', converted_type: 'INT_64' }, String), [0n, -9223372036854775808n, N, 1n, 9223372036854775807n, -7n]),
    col('dec_int32_converted', k({ type: 'INT32', converted_type: 'DECIMAL', scale: 2, precision: 9 }, v => fmtDecimal(v, 2)), [1250n, -5n, N, 0n, 100n, -100000n]),
    col('dec_int64_scale0', k({ type: 'INT64', converted_type: 'DECIMAL', scale: 0, precision: 18, logical_type: { type: 'DECIMAL', scale: 0, precision: 18 } }, v => fmtDecimal(v, 0)), [1250n, -5n, N, 0n, 100n, -1n]),
    col('dec_bytes', k({ type: 'BYTE_ARRAY', converted_type: 'DECIMAL', scale: 2, precision: 40, logical_type: { type: 'DECIMAL', scale: 2, precision: 40 } }, v => fmtDecimal(v, 2)),
      [1250n, -5n, N, 0n, 10n ** 39n + 1n, -(10n ** 39n) - 7n]),
    col('dec_fixed5', k({ type: 'FIXED_LEN_BYTE_ARRAY', type_length: 5, converted_type: 'DECIMAL', scale: 3, precision: 11, logical_type: { type: 'DECIMAL', scale: 3, precision: 11 } }, v => fmtDecimal(v, 3)),
      [1250n, -5n, N, 0n, 549755813887n, -549755813888n]),
    col('uuid', k({ type: 'FIXED_LEN_BYTE_ARRAY', type_length: 16, logical_type: { type: 'UUID' } }, v => v.toLowerCase()),
      ['123e4567-e89b-12d3-a456-426614174000', '00000000-0000-0000-0000-000000000000', N, 'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '123e4567-e89b-12d3-a456-426614174000']),
    col('enum', k({ type: 'BYTE_ARRAY', converted_type: 'ENUM', logical_type: { type: 'ENUM' } }, v => v, v => utf8.encode(v)), ['RED', 'GREEN', N, 'RED', 'BLUE', '']),
    col('json', k({ type: 'BYTE_ARRAY', converted_type: 'JSON' }, v => JSON.stringify(v)), [{ a: 1 }, [1, 2], N, 'x', 3, { b: null }]),
    col('float16', k({ type: 'FIXED_LEN_BYTE_ARRAY', type_length: 2, logical_type: { type: 'FLOAT16' } }, fmtFloat), [1.5, -2, N, 0.5, 65504, 0.099975586]),
    col('string_required', k({ type: 'BYTE_ARRAY', converted_type: 'UTF8' }, v => v), ['a', 'b', 'c', 'd', 'e', 'f'], false),
    col('int32_required', k({ type: 'INT32' }, String), [5, 4, 3, 2, 1, 0], false),
    col('bool_required', k({ type: 'BOOLEAN' }, String), [true, true, false, true, false, false], false),
    col('double_plain', k({ type: 'DOUBLE' }, fmtDouble), [7.5, 9, N, Infinity, -0, 5e-324]),
    col('binary', k({ type: 'BYTE_ARRAY' }, cellBytes), [new Uint8Array([0, 255]), new Uint8Array(), N, utf8.encode('hi'), new Uint8Array([0xc3]), utf8.encode('ok')]),
  ]
  return cols
}

// int96File writes an INT96 column: hyparquet-writer has no INT96 writer,
// so the column is written as FIXED_LEN_BYTE_ARRAY(12) — whose PLAIN and
// dictionary encodings are byte-identical to INT96's — and the footer is
// rewritten with the physical type INT96 (hyparquet's own metadata
// reader and writer). The expected text is computed from (Julian day,
// nanoseconds of day), the way Impala/Spark define INT96.
function int96File() {
  const enc = (jd, nanos) => {
    const b = new Uint8Array(12)
    const dv = new DataView(b.buffer)
    dv.setBigUint64(0, BigInt(nanos), true)
    dv.setInt32(8, jd, true)
    return b
  }
  const rows = [[2440588, 0n], [2460311, 45296123456789n], null, [2440587, 86399999999999n], [2451545, 1000n], [2460311, 45296123456789n], [2299161, 999n]]
  const values = rows.map(r => r && enc(r[0], r[1]))
  const text = rows.map(r => r ? fmtTimestamp(BigInt(r[0] - 2440588) * 86400000000n + floorDiv(r[1], 1000n)) : '')
  const cols = [
    col('id', { hy: { type: 'INT32' }, text: String }, rows.map((_, i) => i + 1), false),
    col('ts96', { hy: { type: 'FIXED_LEN_BYTE_ARRAY', type_length: 12 }, text: () => { throw new Error('unused') } }, values),
  ]
  const bytes = writeHy(cols, { codec: 'SNAPPY' })
  const patched = rewriteFooter(bytes, md => {
    const el = md.schema.find(e => e.name === 'ts96')
    el.type = 'INT96'
    delete el.type_length
    for (const rg of md.row_groups) for (const c of rg.columns) if (c.meta_data.path_in_schema[0] === 'ts96') c.meta_data.type = 'INT96'
  })
  return { bytes: patched, expected: { id: rows.map((_, i) => String(i + 1)), ts96: text }, header: ['id', 'ts96'] }
}

function rewriteFooter(bytes, edit) {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const footerLen = dv.getUint32(bytes.length - 8, true)
  const start = bytes.length - 8 - footerLen
  const md = parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength))
  edit(md)
  const w = new ByteWriter()
  writeMetadata(w, md)
  const footer = new Uint8Array(w.getBuffer())
  const out = new Uint8Array(start + footer.length + 8)
  out.set(bytes.subarray(0, start))
  out.set(footer, start)
  new DataView(out.buffer).setUint32(start + footer.length, footer.length, true)
  out.set(utf8.encode('PAR1'), start + footer.length + 4)
  return out
}

// nested: struct fields (exposed as parent.child), a struct of a struct,
// a list and a map (skipped with a warning).
function nestedTable() {
  const n = 8
  const ids = col('id', 'int32', Array.from({ length: n }, (_, i) => i), false)
  const stFields = [new arrow.Field('a', new arrow.Int32(), true), new arrow.Field('b', new arrow.Utf8(), true)]
  const st = [{ a: 1, b: 'x' }, { a: 2, b: 'y' }, null, { a: null, b: 'z' }, { a: 5, b: null }, { a: 6, b: 'w' }, null, { a: 8, b: '' }]
  const deepInner = new arrow.Struct([new arrow.Field('y', new arrow.Float64(), true)])
  const deep = [{ x: { y: 1.5 } }, { x: null }, null, { x: { y: null } }, { x: { y: 9 } }, { x: { y: -2 } }, { x: { y: 0.1 } }, { x: { y: 7 } }]
  const list = [[1], [2, 3], null, [], [4], [5, 6, 7], [8], null]
  const mix = [{ c: 1, l: [1] }, { c: 2, l: [] }, null, { c: null, l: null }, { c: 5, l: [5, 5] }, { c: 6, l: [6] }, { c: 7, l: null }, { c: 8, l: [8] }]
  const mixType = new arrow.Struct([new arrow.Field('c', new arrow.Int32(), true), new arrow.Field('l', new arrow.List(new arrow.Field('item', new arrow.Int32(), true)), true)])
  const extra = [
    { name: 'st', vector: arrow.vectorFromArray(st, new arrow.Struct(stFields)) },
    { name: 'deep', vector: arrow.vectorFromArray(deep, new arrow.Struct([new arrow.Field('x', deepInner, true)])) },
    { name: 'tags', vector: arrow.vectorFromArray(list, new arrow.List(new arrow.Field('item', new arrow.Int32(), true))) },
    { name: 'pairs', vector: arrow.vectorFromArray([new Map([['k', 1]]), new Map(), null, new Map([['a', 2], ['b', 3]]), new Map(), new Map(), new Map([['z', 0]]), null],
      new arrow.Map_(new arrow.Field('entries', new arrow.Struct([new arrow.Field('key', new arrow.Utf8(), false), new arrow.Field('value', new arrow.Int32(), true)]), false))) },
    { name: 'mix', vector: arrow.vectorFromArray(mix, mixType) },
  ]
  const after = col('score', 'double', [1, 2, 3, null, 5, 6, 7, 8])
  // score comes before the nested ones in the schema, and in the header
  const t2 = arrowTable([ids, after], extra)
  const expected = {
    id: ids.values.map(String),
    'st.a': st.map(s => s?.a == null ? '' : String(s.a)),
    'st.b': st.map(s => s?.b == null ? '' : s.b),
    'deep.x.y': deep.map(d => d?.x?.y == null ? '' : fmtDouble(d.x.y)),
    score: after.values.map(v => v === null ? '' : fmtDouble(v)),
    'mix.c': mix.map(m => m?.c == null ? '' : String(m.c)),
  }
  return { table: t2, expected, header: ['id', 'score', 'st.a', 'st.b', 'deep.x.y', 'mix.c'] }
}

// ---------------------------------------------------------------- output

const manifest = []
const datasets = {}

function addDataset(name, header, columns, rows) {
  datasets[name] = { header, rows, columns }
}

function datasetFromCols(name, cols) {
  const columns = {}
  for (const c of cols) columns[c.name] = expectedCells(c)
  addDataset(name, cols.map(c => c.name), columns, cols[0].values.length)
}

// describe reads the footer back (hyparquet's reader, not ours) to record
// what the file really holds: row groups, codecs, page types, encodings.
function describe(bytes) {
  const md = parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength))
  const codecs = new Set(), pageTypes = new Set(), encodings = new Set()
  for (const rg of md.row_groups) for (const c of rg.columns) {
    codecs.add(c.meta_data.codec)
    for (const e of c.meta_data.encodings) encodings.add(e)
    for (const s of c.meta_data.encoding_stats ?? []) pageTypes.add(s.page_type)
  }
  return {
    num_rows: Number(md.num_rows),
    row_groups: md.row_groups.length,
    row_group_rows: md.row_groups.map(rg => Number(rg.num_rows)),
    codecs: [...codecs].sort(),
    page_types: [...pageTypes].sort(),
    encodings: [...encodings].sort(),
    created_by: md.created_by,
  }
}

function emit(file, bytes, entry) {
  fs.writeFileSync(path.join(outDir, file), bytes)
  manifest.push({ file, ...entry, ...describe(bytes), bytes: bytes.length })
}

function generateFixtures() {
  fs.rmSync(outDir, { recursive: true, force: true })
  fs.mkdirSync(path.join(outDir, 'expected'), { recursive: true })

  // (a) types
  const ta = typesArrowColumns()
  datasetFromCols('types_arrow', ta)
  emit('arrow_types.parquet', writeArrowRs(arrowTable(ta), { codec: 'SNAPPY', dict: true, rowGroup: 4, stats: 'Page' }),
    { writer: 'parquet-wasm', dataset: 'types_arrow' })
  emit('arrow_types_plain_v2.parquet', writeArrowRs(arrowTable(ta), { codec: 'ZSTD', dict: false, v2: true }),
    { writer: 'parquet-wasm', dataset: 'types_arrow' })

  const th = typesHyColumns()
  datasetFromCols('types_hyparquet', th)
  emit('hyparquet_types.parquet', writeHy(th, { codec: 'SNAPPY', rowGroup: 4 }),
    { writer: 'hyparquet-writer', dataset: 'types_hyparquet' })

  const i96 = int96File()
  addDataset('int96', i96.header, i96.expected, 7)
  emit('hyparquet_int96.parquet', i96.bytes,
    { writer: 'hyparquet-writer (FIXED_LEN_BYTE_ARRAY(12) pages, footer rewritten to INT96)', dataset: 'int96' })

  // (b) arrow-rs: v1/v2 pages × dictionary on/off × codecs, several row
  // groups and several pages per column chunk.
  const N = 120
  const mixed = mixedColumns(N)
  datasetFromCols('mixed', mixed)
  const mt = arrowTable(mixed)
  const small = { rowGroup: 45, pageSize: 256, writeBatch: 16 }
  for (const v2 of [false, true]) {
    for (const codec of ['UNCOMPRESSED', 'SNAPPY', 'GZIP', 'ZSTD']) {
      const f = `arrow_mixed_${v2 ? 'v2' : 'v1'}_dict_${codec.toLowerCase()}.parquet`
      emit(f, writeArrowRs(mt, { codec, v2, dict: true, ...small }), { writer: 'parquet-wasm', dataset: 'mixed' })
    }
  }
  for (const [v2, codec] of [[false, 'ZSTD'], [true, 'SNAPPY'], [false, 'GZIP'], [true, 'UNCOMPRESSED']]) {
    const f = `arrow_mixed_${v2 ? 'v2' : 'v1'}_plain_${codec.toLowerCase()}.parquet`
    emit(f, writeArrowRs(mt, { codec, v2, dict: false, ...small }), { writer: 'parquet-wasm', dataset: 'mixed' })
  }
  // dictionary that overflows its page limit: the writer falls back to
  // PLAIN pages in the middle of a column chunk.
  emit('arrow_mixed_v1_dict_fallback.parquet', writeArrowRs(mt, { codec: 'SNAPPY', dict: true, dictPageSize: 256, ...small }),
    { writer: 'parquet-wasm', dataset: 'mixed' })
  const deltaEnc = {
    id: 'DELTA_BINARY_PACKED', nps: 'DELTA_BINARY_PACKED', ts: 'DELTA_BINARY_PACKED', day: 'DELTA_BINARY_PACKED',
    channel: 'DELTA_BYTE_ARRAY', comment: 'DELTA_LENGTH_BYTE_ARRAY', score: 'BYTE_STREAM_SPLIT', rating: 'BYTE_STREAM_SPLIT',
  }
  for (const v2 of [false, true]) {
    emit(`arrow_mixed_${v2 ? 'v2' : 'v1'}_delta.parquet`, writeArrowRs(mt, { codec: 'ZSTD', v2, dict: false, encodings: deltaEnc, ...small }),
      { writer: 'parquet-wasm', dataset: 'mixed' })
  }
  const bssInts = { id: 'BYTE_STREAM_SPLIT', nps: 'BYTE_STREAM_SPLIT', day: 'BYTE_STREAM_SPLIT', ts: 'BYTE_STREAM_SPLIT', comment: 'DELTA_BYTE_ARRAY' }
  emit('arrow_mixed_v2_bss_ints.parquet', writeArrowRs(mt, { codec: 'SNAPPY', v2: true, dict: false, encodings: bssInts, ...small }),
    { writer: 'parquet-wasm', dataset: 'mixed' })
  emit('arrow_mixed_v2_lz4raw.parquet', writeArrowRs(mt, { codec: 'LZ4_RAW', v2: true, dict: true, ...small }),
    { writer: 'parquet-wasm', dataset: 'mixed' })
  emit('arrow_mixed_v1_lz4.parquet', writeArrowRs(mt, { codec: 'LZ4', dict: true, ...small }),
    { writer: 'parquet-wasm', dataset: 'mixed' })
  emit('arrow_mixed_v1_brotli.parquet', writeArrowRs(mt, { codec: 'BROTLI', dict: true, ...small }),
    { writer: 'parquet-wasm', dataset: 'mixed', error: 'BROTLI' })

  // (c) hyparquet-writer: DATA_PAGE_V2 only; dictionary when it pays.
  const hyMixed = mixed.map(c => ({ ...c, kind: c.kindName === 'ts_us' ? kinds.ts_us : c.kind }))
  for (const codec of ['UNCOMPRESSED', 'SNAPPY', 'GZIP']) {
    emit(`hyparquet_mixed_${codec.toLowerCase()}.parquet`, writeHy(hyMixed, { codec, rowGroup: 45, pageSize: 300 }),
      { writer: 'hyparquet-writer', dataset: 'mixed' })
  }
  const hyEnc = {
    id: 'DELTA_BINARY_PACKED', nps: 'DELTA_BINARY_PACKED', ts: 'DELTA_BINARY_PACKED', day: 'BYTE_STREAM_SPLIT',
    channel: 'DELTA_BYTE_ARRAY', comment: 'DELTA_LENGTH_BYTE_ARRAY', score: 'BYTE_STREAM_SPLIT', rating: 'BYTE_STREAM_SPLIT', ok: 'RLE',
  }
  emit('hyparquet_mixed_encodings.parquet', writeHy(hyMixed, { codec: 'SNAPPY', rowGroup: 45, pageSize: 300, encodings: hyEnc }),
    { writer: 'hyparquet-writer', dataset: 'mixed' })
  emit('hyparquet_mixed_brotli.parquet', writeHy(hyMixed, { codec: 'BROTLI', rowGroup: 45 }),
    { writer: 'hyparquet-writer', dataset: 'mixed', error: 'BROTLI' })

  // nested columns
  const nt = nestedTable()
  addDataset('nested', nt.header, nt.expected, 8)
  emit('arrow_nested.parquet', writeArrowRs(nt.table, { codec: 'SNAPPY', dict: true, rowGroup: 3 }),
    { writer: 'parquet-wasm', dataset: 'nested', warning: '"tags" (LIST), "pairs" (MAP), "mix.l.list.item" (repeated)' })

  // empty: a schema and no rows
  const empty = [col('a', 'int32', []), col('b', 'string', [])]
  datasetFromCols('empty', empty)
  emit('arrow_empty.parquet', writeArrowRs(arrowTable(empty), { codec: 'SNAPPY', dict: true }),
    { writer: 'parquet-wasm', dataset: 'empty' })

  for (const [name, d] of Object.entries(datasets)) {
    fs.writeFileSync(path.join(outDir, 'expected', name + '.json'), JSON.stringify(d, null, 0) + '\n')
  }
  fs.writeFileSync(path.join(outDir, 'manifest.json'), JSON.stringify(manifest, null, 1) + '\n')
  let total = 0
  for (const m of manifest) total += m.bytes
  console.log(`${manifest.length} fixtures, ${total} bytes of Parquet in ${path.relative(repo, outDir)}`)
}

// ------------------------------------------------------------ oracle twins

// parseISO reads the ISO forms of metrics.md §1 into UTC microseconds
// (bigint), or undefined: YYYY-MM-DDTHH:MM[:SS[.f{1,6}]][Z|±HH:MM],
// YYYY-MM-DD HH:MM[:SS[.f{1,6}]], YYYY-MM-DD; no offset means UTC.
function parseISO(s) {
  s = s.trim()
  const m = /^(\d{4})-(\d\d)-(\d\d)(?:([T ])(\d\d):(\d\d)(?::(\d\d)(?:\.(\d{1,6}))?)?(Z|[+-]\d\d:\d\d)?)?$/.exec(s)
  if (!m) return undefined
  const [, y, mo, d, sep, h = '0', mi = '0', sec = '0', frac = '', off] = m
  if (sep === ' ' && off) return undefined
  const ms = Date.UTC(+y, +mo - 1, +d, +h, +mi, +sec)
  const dt = new Date(ms)
  if (dt.getUTCFullYear() !== +y || dt.getUTCMonth() !== +mo - 1 || dt.getUTCDate() !== +d || +h > 23 || +mi > 59 || +sec > 59) return undefined
  let us = BigInt(ms) * 1000n + BigInt(frac.padEnd(6, '0') || '0')
  if (off && off !== 'Z') {
    const oh = +off.slice(1, 3), om = +off.slice(4, 6)
    if (oh > 23 || om > 59) return undefined
    const o = BigInt((oh * 60 + om) * 60) * 1000000n
    us += off[0] === '+' ? -o : o
  }
  return us
}

// twin writes NAME.parquet for an oracle CSV: every column a nullable
// STRING, blank cells null, dictionary encoding, snappy, 2+ row groups.
function twin(name, typedTimestamp) {
  const text = fs.readFileSync(path.join(oracleCases, name + '.csv'), 'utf8')
  const records = parseCSV(text, { bom: true, relax_column_count: true, skip_empty_lines: false })
  const header = records[0]
  let data = records.slice(1)
  if (name === 'survey_qualtrics_export') data = data.slice(2) // the two extra header rows
  const cols = header.map((h, j) => col(h, 'string', data.map(r => (r[j] ?? '') === '' ? null : r[j])))
  if (typedTimestamp) {
    const j = header.indexOf(typedTimestamp)
    const parsed = cols[j].values.map(v => v === null ? null : parseISO(v))
    if (parsed.some(v => v === undefined)) return null // not every cell parses: no typed twin
    cols[j] = col(typedTimestamp, 'ts_us', parsed)
  }
  const rowGroup = Math.max(1, Math.ceil(data.length / 3))
  return writeArrowRs(arrowTable(cols), { codec: 'SNAPPY', dict: true, rowGroup })
}

function generateTwins() {
  fs.mkdirSync(oracleOut, { recursive: true })
  const names = fs.readdirSync(oracleCases).filter(f => f.endsWith('.csv')).map(f => f.slice(0, -4)).sort()
  for (const name of names) {
    const bytes = twin(name)
    fs.writeFileSync(path.join(oracleOut, name + '.parquet'), bytes)
    const d = describe(bytes)
    console.log(`${name}.parquet: ${d.num_rows} rows, ${d.row_groups} row groups, ${bytes.length} bytes`)
  }
  // Typed twins: the timestamp column as TIMESTAMP(MICROS, UTC), blank →
  // null — only where every cell parses (survey_main has "yesterday" and
  // "05/02/2024 14:03", so it gets none: a typed column would drop them).
  for (const [name, column] of [['survey_main', 'submitted_at'], ['survey_edge_groups', 'submitted_at']]) {
    const typed = twin(name, column)
    if (!typed) {
      console.log(`${name}: ${column} has cells that are not ISO timestamps: no typed twin`)
      continue
    }
    fs.writeFileSync(path.join(outDir, `${name}_typed.parquet`), typed)
    console.log(`${name}_typed.parquet: ${typed.length} bytes (${column} as TIMESTAMP(MICROS, UTC))`)
  }
}

// ------------------------------------------------------------ benchmark

// bench writes the 1M-row benchmark file: 4 columns (INT32 nps with 1 %
// nulls, INT64 id, DOUBLE score, dictionary STRING channel), snappy, v1
// pages, row groups of 256Ki rows — the shape pandas/pyarrow produce.
function bench(file, n = 1_000_000) {
  const r = rng(7)
  const nps = new Array(n), id = new Array(n), score = new Array(n), channel = new Array(n)
  const ch = ['email', 'sms', 'web', 'in_app']
  for (let i = 0; i < n; i++) {
    nps[i] = r() < 0.01 ? null : Math.floor(r() * 11)
    id[i] = BigInt(i + 1)
    score[i] = Math.round(r() * 1000) / 100
    channel[i] = ch[Math.floor(r() * 4)]
  }
  const cols = [col('nps', 'int32', nps), col('id', 'int64', id, false), col('score', 'double', score), col('channel', 'string', channel)]
  const bytes = writeArrowRs(arrowTable(cols), { codec: 'SNAPPY', dict: true, rowGroup: 1 << 18 })
  fs.writeFileSync(file, bytes)
  console.log(`${file}: ${n} rows, ${bytes.length} bytes`)
}

// ------------------------------------------------------------ warm-up

// warmUp writes web/warm-up.parquet, the file the page's worker analyses
// while the user picks one (web/worker.js warmUp): WebAssembly starts in
// baseline code and optimises functions once they are hot, and a first
// Parquet file otherwise ran the Parquet reader's loops unoptimised. A
// survey shaped as common exports are: arrow-rs (the Polars/DataFusion
// writer), Snappy, dictionary pages, a TIMESTAMP(MICROS, UTC) column in
// time order, a text score column with blanks and dirt, two segments,
// small integer scales; no free text, to keep the file small.
function warmUp(file, n = 8192) {
  const r = rng(11)
  const pick = (xs) => xs[Math.floor(r() * xs.length)]
  const ts = [], channel = [], region = [], nps = [], csat = [], ces = []
  let t = 1714521600000000n // 2024-05-01
  for (let i = 0; i < n; i++) {
    t += BigInt(Math.floor(r() * 90)) * 1000000n
    ts.push(t)
    channel.push(pick(['email', 'web', 'in_app', 'sms', 'chat']))
    region.push(pick(['EMEA', 'NA', 'APAC', 'LATAM']))
    nps.push(r() < 0.02 ? pick([null, 'N/A', '11']) : String(Math.floor(r() * 11)))
    csat.push(1 + Math.floor(r() * 5))
    ces.push(r() < 0.01 ? null : 1 + Math.floor(r() * 7))
  }
  const cols = [col('submitted_at', 'ts_us', ts), col('channel', 'string', channel), col('region', 'string', region),
    col('nps', 'string', nps), col('csat', 'int32', csat, false), col('ces', 'int32', ces)]
  const bytes = writeArrowRs(arrowTable(cols), { codec: 'SNAPPY', dict: true, rowGroup: n / 2 })
  fs.writeFileSync(file, bytes)
  console.log(`${file}: ${n} rows, ${bytes.length} bytes`)
}

const args = process.argv.slice(2)
if (args[0] === '--bench') {
  bench(args[1] ?? '/tmp/cxaudit-bench-1m.parquet')
} else if (args[0] === '--warm-up') {
  warmUp(args[1] ?? path.join(repo, 'web/warm-up.parquet'))
} else {
  generateFixtures()
  generateTwins()
}
