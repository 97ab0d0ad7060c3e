package ingest

import (
	"bytes"
	"encoding/csv"
	"flag"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"
)

// The reader is checked against encoding/csv, which implements RFC 4180,
// on inputs both must read the same way. Known, intended differences are
// normalised or avoided:
//   - encoding/csv turns CRLF inside quoted fields into LF; the reader
//     keeps cells as they are, so cells are compared with CRLF → LF;
//   - encoding/csv does not end lines at a lone CR; inputs with one are
//     compared with LF in its place (property test) or not compared (fuzz);
//   - the header goes through columnNames; rows are padded or cut to it;
//   - a UTF-8 BOM is stripped by the reader only.

// referenceRead reads text with encoding/csv and shapes the result as the
// reader should return it. ok is false if encoding/csv rejects the input.
func referenceRead(text []byte, delim byte, lazy bool) (header []string, rows [][]string, ok bool) {
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(text, bomUTF8)))
	r.Comma = rune(delim)
	r.FieldsPerRecord = -1
	r.LazyQuotes = lazy
	recs, err := r.ReadAll()
	if err != nil || len(recs) == 0 || len(recs[0]) > MaxColumns {
		return nil, nil, false
	}
	header, _ = columnNames(recs[0])
	for _, rec := range recs[1:] {
		row := make([]string, len(header))
		copy(row, rec)
		rows = append(rows, row)
	}
	return header, rows, true
}

// sameHeader compares the reader's header, normalised, with encoding/csv's.
func sameHeader(h, want []string) bool {
	return reflect.DeepEqual(normalizeRows([][]string{h})[0], want)
}

// normalizeRows returns the reader's cells as encoding/csv returns them:
// CRLF as LF.
func normalizeRows(rows [][]string) [][]string {
	out := make([][]string, len(rows))
	for i, r := range rows {
		out[i] = make([]string, len(r))
		for j, c := range r {
			out[i][j] = strings.ReplaceAll(c, "\r\n", "\n")
		}
	}
	return out
}

// genCSV writes a random CSV of n records with ncols fields (sometimes
// fewer or more), quoting fields that need it and some that do not. It
// returns the text and the same text with LF for every line end it wrote
// as a lone CR.
func genCSV(rng *rand.Rand, n, ncols int, delim byte, crOK bool) (text, lfText []byte) {
	alphabet := []string{"a", "b", "Z", "0", "7", " ", ",", "\"", "\n", "\r", "\r\n", "é", "€", ";", "-", "'", "x\"y", "\t", "|", "\x0b", "\x00"}
	var b, lf bytes.Buffer
	for i := 0; i < n; i++ {
		nf := ncols
		if rng.IntN(10) == 0 {
			nf = 1 + rng.IntN(ncols+2)
		}
		for j := 0; j < nf; j++ {
			if j > 0 {
				b.WriteByte(delim)
				lf.WriteByte(delim)
			}
			var f strings.Builder
			size := rng.IntN(6)
			if rng.IntN(20) == 0 {
				size = rng.IntN(300)
			}
			for range size {
				if rng.IntN(3) == 0 {
					f.WriteString(alphabet[rng.IntN(len(alphabet))])
				} else {
					f.WriteByte("abcdefghij0123456789"[rng.IntN(20)])
				}
			}
			s := f.String()
			if strings.ContainsAny(s, string(delim)+"\"\r\n") || rng.IntN(4) == 0 || (nf == 1 && s == "") {
				s = `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
			}
			b.WriteString(s)
			lf.WriteString(s)
		}
		switch end := rng.IntN(6); {
		case end == 0 && crOK:
			b.WriteString("\r")
			lf.WriteString("\n")
		case end == 1:
			b.WriteString("\r\n")
			lf.WriteString("\r\n")
		case end == 2 && i == n-1:
			// no line end at the end of the file
		case end == 3:
			b.WriteString("\n\n") // an empty line
			lf.WriteString("\n\n")
		default:
			b.WriteString("\n")
			lf.WriteString("\n")
		}
	}
	return b.Bytes(), lf.Bytes()
}

// TestCSVAgainstEncodingCSV is the property test: random valid CSV with
// each delimiter, with quotes, line breaks in fields, every kind of line
// end, ragged rows, empty lines and control bytes, read under every buffer
// configuration (record and field boundaries fall across refills, the fast
// path and the reference parser) and with random column selections, must
// match encoding/csv.
func TestCSVAgainstEncodingCSV(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	cfgs := append([]csvConfig{}, configs...)
	for _, bs := range []int{2, 3, 5, 13, 65, 66, 127, 128, 129, 200, 333, 1000} {
		cfgs = append(cfgs, csvConfig{bufSize: bs, maxRecord: MaxRecordBytes})
	}
	iters := 300
	if testing.Short() {
		iters = 50
	}
	for it := 0; it < iters; it++ {
		ncols := 1 + rng.IntN(12)
		delim := delimiters[it%len(delimiters)]
		text, lfText := genCSV(rng, rng.IntN(40), ncols, delim, true)
		wantH, wantRows, ok := referenceRead(lfText, delim, false)
		if !ok {
			if len(bytes.TrimLeft(lfText, "\r\n")) == 0 {
				continue // empty: checked elsewhere
			}
			t.Fatalf("generator wrote invalid CSV: %q", lfText)
		}
		// Select a random subset of the columns, by the reader's names
		// (which keep CRLF where encoding/csv's have LF).
		var sel []string
		keep := make([]bool, len(wantH))
		if rng.IntN(3) == 0 {
			h, _, _, err := readCSV(text, Options{Delimiter: delim}, defaultConfig)
			if err != nil || len(h) != len(wantH) {
				t.Fatalf("header %q: %v", h, err)
			}
			sel = []string{}
			for j := range h {
				if rng.IntN(2) == 0 {
					sel = append(sel, h[j])
					keep[j] = true
				}
			}
		}
		for _, cfg := range cfgs {
			h, rows, _, err := readCSV(text, Options{Delimiter: delim, Columns: sel}, cfg)
			if err != nil {
				t.Fatalf("iteration %d, buf %d: %v\n%q", it, cfg.bufSize, err, text)
			}
			want := wantRows
			if sel != nil {
				want = project(wantRows, keep)
			}
			if !sameHeader(h, wantH) || !reflect.DeepEqual(normalizeRows(rows), want) && len(rows)+len(want) > 0 {
				t.Fatalf("iteration %d, buf %d, nofast %v, cols %q:\ninput %q\ngot  %q %q\nwant %q %q", it, cfg.bufSize, cfg.noFast, sel, text, h, rows, wantH, want)
			}
		}
	}
}

// project blanks the cells of columns not kept, as ReadAll shows
// unselected columns.
func project(rows [][]string, keep []bool) [][]string {
	out := make([][]string, len(rows))
	for i, r := range rows {
		out[i] = make([]string, len(r))
		for j := range r {
			if keep[j] {
				out[i][j] = r[j]
			}
		}
	}
	return out
}

// fuzzing says whether the test binary runs with -test.fuzz (go test
// -fuzz), where an input that takes seconds is worth reporting.
func fuzzing() bool {
	f := flag.Lookup("test.fuzz")
	return f != nil && f.Value.String() != ""
}

// FuzzCSV checks that the reader never panics, ends quickly (judged only
// while fuzzing), reads the same under every buffer configuration, and
// agrees with encoding/csv — strict RFC 4180 — on every input encoding/csv
// accepts, and with its LazyQuotes mode whenever the reader read without a
// warning (no text after a closing quote) or error (no unclosed quote).
//
// Run: go test -run '^$' -fuzz FuzzCSV ./core/ingest/
func FuzzCSV(f *testing.F) {
	for _, s := range []string{
		"a,b\n1,2\n",
		"a,b\r\n\"x,y\",\"line\r\nbreak\"\r\n",
		"a,b\n\"q\"\"uote\",5\" screen\n",
		"a,b\n\"abc\"def,2\n",
		"a,b\n1,\"open\n",
		"\xEF\xBB\xBFa,,a\n1\n1,2,3,4\n",
		"a\r1\r\r2\n",
		"\n\na,b\n\n1,2\n\n",
		qualtricsHead,
		surveyMonkeyHead + "1,2,3,4,5,6,7,8\n",
		string(surveyCSV(30)),
	} {
		f.Add([]byte(s))
	}
	tiny := csvConfig{bufSize: 3, maxRecord: MaxRecordBytes}
	ref := csvConfig{bufSize: 64, maxRecord: MaxRecordBytes, noFast: true}
	spans := csvConfig{bufSize: 5, maxRecord: MaxRecordBytes, cellSpans: true}
	f.Fuzz(func(t *testing.T, data []byte) {
		opts := Options{Delimiter: ',', Encoding: "utf-8"}
		start := time.Now()
		h, rows, info, err := readCSV(data, opts, defaultConfig)
		// A slow input is a finding only while fuzzing: a plain test run
		// (the seeds) on a loaded CI machine must not fail on time.
		if d := time.Since(start); fuzzing() && d > 2*time.Second {
			t.Fatalf("%d bytes took %v", len(data), d)
		}
		for _, cfg := range []csvConfig{tiny, ref, spans} {
			h2, rows2, info2, err2 := readCSV(data, opts, cfg)
			if fmt.Sprint(err) != fmt.Sprint(err2) || !reflect.DeepEqual(h, h2) || !reflect.DeepEqual(rows, rows2) || !reflect.DeepEqual(info, info2) {
				t.Fatalf("buf %d nofast %v differs:\n%q %q %v %+v\n%q %q %v %+v", cfg.bufSize, cfg.noFast, h, rows, err, info, h2, rows2, err2, info2)
			}
		}
		// Whatever the other detections, they must not panic either.
		readCSV(data, Options{SkipRowsAfterHeader: -1}, tiny)

		for i, c := range data {
			if c == '\r' && (i+1 == len(data) || data[i+1] != '\n') {
				return // a lone CR ends a line here, not in encoding/csv
			}
		}
		wantH, wantRows, ok := referenceRead(data, ',', false)
		if !ok {
			if err != nil || info.Warnings != nil && lenientWarned(info) {
				return
			}
			wantH, wantRows, ok = referenceRead(data, ',', true)
			if !ok {
				return
			}
		}
		if err != nil {
			t.Fatalf("encoding/csv reads %q, the reader fails: %v", data, err)
		}
		if !sameHeader(h, wantH) || !reflect.DeepEqual(normalizeRows(rows), wantRows) && len(rows)+len(wantRows) > 0 {
			t.Fatalf("input %q\ngot  %q %q\nwant %q %q", data, h, rows, wantH, wantRows)
		}
	})
}

func lenientWarned(in Info) bool {
	for _, w := range in.Warnings {
		if strings.Contains(w, "after the closing quote") {
			return true
		}
	}
	return false
}
