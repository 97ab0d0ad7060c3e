// The hostile corpus for the node tests (tests/browser/hostile.test.mjs,
// scripts/worker-test/test/hostile.test.mjs): expected.json, the large
// files written by the Go generator, the CLI's answer to compare with, and
// the same checks as cmd/cxaudit/hostile_test.go.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync, execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const HOSTILE = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(HOSTILE, '../..');

// cases are the entries of expected.json.
export const cases = JSON.parse(fs.readFileSync(path.join(HOSTILE, 'expected.json'), 'utf8')).files;

// writeLarge writes the large files into a new temporary directory (about
// 90 MB) with `go run ./scripts/hostile-gen -large`, and returns it.
export function writeLarge() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cxaudit-hostile-'));
  try {
    execFileSync('go', ['run', './scripts/hostile-gen', '-large', '-out', dir], { cwd: ROOT, stdio: 'pipe' });
  } catch (err) {
    throw new Error(`go run ./scripts/hostile-gen -large: ${err.stderr || err.message}`);
  }
  return dir;
}

// fileOf is the path of a case's file.
export const fileOf = (c, largeDir) => path.join(c.large ? largeDir : HOSTILE, c.file);

// cliAnalyze runs `cxaudit analyze FILE` in the file's directory, so that
// the file is named as the page and the Worker name it (the bare name).
// It returns {code, stdout (Buffer), message (stderr without "cxaudit: ")}.
export function cliAnalyze(cli, file) {
  const r = spawnSync(cli, ['analyze', path.basename(file)], { cwd: path.dirname(file), maxBuffer: 256 << 20 });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, message: r.stderr.toString().replace(/^cxaudit: /, '').replace(/\n$/, '') };
}

// lookup follows a path of '/'-separated keys; '#path' is the number of
// keys or items there. It returns [value, found].
export function lookup(doc, p) {
  const count = p.startsWith('#');
  let v = doc;
  for (const k of (count ? p.slice(1) : p).split('/')) {
    if (v === null || typeof v !== 'object' || !Object.hasOwn(v, k)) return [undefined, false];
    v = v[k];
  }
  if (count) return v !== null && typeof v === 'object' ? [Object.keys(v).length, true] : [undefined, false];
  return [v, true];
}

// checkResult lists how a result document differs from a case's result
// and warnings.
export function checkResult(doc, c) {
  const diffs = [];
  for (const [p, want] of Object.entries(c.result)) {
    const [got, found] = lookup(doc, p);
    if (!found) diffs.push(`${p}: missing, want ${JSON.stringify(want)}`);
    else if (JSON.stringify(got) !== JSON.stringify(want)) diffs.push(`${p}: ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
  }
  const ws = doc.warnings || [];
  if (ws.length !== c.warnings.length) diffs.push(`${ws.length} warnings ${JSON.stringify(ws)}, want ${c.warnings.length}`);
  else c.warnings.forEach((w, i) => { if (!ws[i].includes(w)) diffs.push(`warning ${i} ${JSON.stringify(ws[i])} lacks ${JSON.stringify(w)}`); });
  return diffs;
}
