package ingest

import (
	"encoding/binary"
	"math/bits"
)

// The fast path: records that lie wholly inside the buffer are parsed by
// walking a bit mask of their "structural" bytes, 64 bytes at a time,
// instead of searching for the end of each field.
//
// Why: fields of a survey export are short (about 8 bytes), so a search
// per field pays a mispredicted branch per field — whether the field ends
// in this word or the next is random. The profile of the first version
// (a per-field 8-byte scan) showed that: ~20 ns a field, 390 MB/s with
// column pruning. Building a mask of 64 bytes costs the same whatever the
// field lengths, and walking its set bits has one hard-to-predict branch
// per 64 bytes, not per field. See BenchmarkCSV for the numbers.
//
// The mask marks the delimiter, the quote and every byte below 0x0E (LF, CR
// and, harmlessly, the other control characters). It is computed per 8-byte
// word with the has-zero-byte test (x-0x01…)&^x&0x80…, which can set a false
// bit just above a true match; the walker looks at each marked byte anyway,
// so a false bit only costs one more step. The eight top bits of a word are
// gathered into one byte by a multiplication.
//
// Anything unusual is left to scanner.record, the reference parser: a
// record that is not complete in the buffer (or ends within 65 bytes of
// its end) is rolled back and parsed there. Quoted fields are parsed here
// with the same scanner.quoted as there.

const (
	ctl8   = 0x0E * lo8 // bytes below 0x0E: LF (0x0A), CR (0x0D), …
	quote8 = '"' * lo8
	gather = 0x0002040810204081 // moves bit 8j+7 to bit 56+j
)

// mask64 returns the structural mask of b[0:64]: bit i is set if b[i] is
// the delimiter, a quote or below 0x0E (plus false positives, see above).
func mask64(b []byte, dm uint64) uint64 {
	b = b[:64]
	var m uint64
	for i := 0; i < 64; i += 8 {
		x := binary.LittleEndian.Uint64(b[i:])
		d, q := x^dm, x^quote8
		t := ((d-lo8)&^d | (q-lo8)&^q | (x-ctl8)&^x) & hi8
		m |= (t * gather >> 56) << i
	}
	return m
}

// fast parses records into cols from s.pos while they lie in whole
// blocks of the buffer, up to maxRows rows and until budget bytes have been
// consumed. It returns the number of rows appended; the cells of a record
// it gave up on are left for the caller to roll back.
func (s *scanner) fast(cols []*Column, maxRows, budget int) int {
	buf := s.buf
	data := buf[:s.end]
	limit := len(data) - 65 // a block at base <= limit has a byte after it
	delim := s.delim
	dm := s.dmask
	p, line := s.pos, s.line
	start := p
	rows := 0
	if p > limit {
		return 0
	}
	base := p
	m := mask64(data[base:], dm)
	var lenient int64
	recStart, recLine := p, line
	fs, nf := p, 0 // start of the current field (-1: its content is appended); its index
	for rows < maxRows {
		for m == 0 {
			base += 64
			if base > limit {
				goto bail
			}
			m = mask64(data[base:], dm)
		}
		pos := base + bits.TrailingZeros64(m)
		m &= m - 1
		c := data[pos]
		switch {
		case c == delim:
		case c == '\n' || c == '\r':
			if nf == 0 && fs == pos {
				// An empty line: skip it, it is not a row.
				p = pos + 1
				if c == '\r' && data[p] == '\n' {
					p++
				}
				line++
				if p-base < 64 {
					m &= ^uint64(0) << (p - base)
				} else {
					base = p
					if base > limit {
						goto bail
					}
					m = mask64(data[base:], dm)
				}
				recStart, recLine, fs = p, line, p
				continue
			}
		case c == '"' && pos == fs:
			var col *Column
			if nf < len(cols) {
				col = cols[nf]
			}
			q, lines, after, st := s.quoted(data, pos, col, false, nf, line)
			if st != recOK || q > limit {
				goto bail
			}
			if after {
				lenient++
			}
			line += lines
			fs = -1
			if q-base < 64 {
				m &= ^uint64(0) << (q - base)
			} else {
				base = q
				m = mask64(data[base:], dm)
			}
			continue
		default:
			continue // a false positive, a literal quote, a control byte
		}

		// pos ends field nf.
		if nf < len(cols) {
			if col := cols[nf]; col != nil {
				if fs >= 0 {
					// Short fields are copied as two 8-byte words into
					// the arena's spare capacity: cheaper than a call to
					// memmove for 8 bytes.
					l, w := len(col.data), pos-fs
					if w <= 16 && l+16 <= cap(col.data) && fs+16 <= len(buf) {
						d := col.data[:l+16]
						binary.LittleEndian.PutUint64(d[l:], binary.LittleEndian.Uint64(buf[fs:]))
						binary.LittleEndian.PutUint64(d[l+8:], binary.LittleEndian.Uint64(buf[fs+8:]))
						col.data = d[:l+w]
					} else {
						col.data = append(col.data, data[fs:pos]...)
					}
				}
				col.ends = append(col.ends, int32(len(col.data)))
			}
		}
		nf++
		if c == delim {
			fs = pos + 1
			continue
		}

		// pos ends the record.
		if nf != len(cols) {
			if nf < len(cols) {
				for _, col := range cols[nf:] {
					if col != nil {
						col.ends = append(col.ends, int32(len(col.data)))
					}
				}
			}
			s.addRagged(recLine)
		}
		rows++
		p = pos + 1
		if c == '\r' && data[p] == '\n' {
			p++
		}
		line++
		if lenient > 0 {
			if s.lenient == 0 {
				s.firstLenient = recLine
			}
			s.lenient += lenient
			lenient = 0
		}
		s.pos, s.line = p, line
		recStart, recLine, fs, nf = p, line, p, 0
		if p-base < 64 {
			m &= ^uint64(0) << (p - base)
		} else {
			base = p
			if base > limit {
				goto bail
			}
			m = mask64(data[base:], dm)
		}
		if p-start >= budget {
			break
		}
	}
	return rows

bail:
	s.pos, s.line = recStart, recLine
	return rows
}
