package ingest

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// readParts reads data in parts cut at cuts (file offsets, ascending), the
// way engine.RunParts does: every part but the first speculates where its
// first record begins; a part that did not begin where the previous one
// ended is read again from there. It returns the rows, the merged Info,
// how many parts were read again, and the first error of a verified part.
func readParts(t *testing.T, data []byte, cuts []int64, cfg csvConfig) ([][]string, Info, int, error) {
	t.Helper()
	r := bytes.NewReader(data)
	src, err := openCSV(bytes.NewReader(data), Options{Name: "f.csv", SkipRowsAfterHeader: -1}, cfg)
	if err != nil {
		return nil, Info{}, 0, err
	}
	l, ok, err := LayoutOf(src, r)
	if err != nil {
		t.Fatalf("LayoutOf: %v", err)
	}
	if !ok {
		return nil, Info{}, -1, nil // not UTF-8: read in one part
	}
	size := int64(len(data))
	bounds := []int64{l.DataStart}
	for _, c := range cuts {
		if c > bounds[len(bounds)-1] && c < size {
			bounds = append(bounds, c)
		}
	}
	bounds = append(bounds, size)
	type part struct {
		rows  [][]string
		tally Tally
		err   error
	}
	read := func(i int, start int64, exact bool) part {
		src, err := openCSVRange(r, size, RangeOptions{Name: "f.csv", Layout: l, Start: start, End: bounds[i+1], Exact: exact}, cfg)
		if err != nil {
			return part{err: err}
		}
		_, rows, err := ReadAll(src)
		return part{rows: rows, tally: src.Tally(), err: err}
	}
	parts := make([]part, len(bounds)-1)
	for i := range parts {
		parts[i] = read(i, bounds[i], i == 0)
	}
	redos := 0
	var all [][]string
	var tallies []Tally
	for i := range parts {
		if i > 0 && parts[i].tally.Began != parts[i-1].tally.Ended {
			parts[i] = read(i, parts[i-1].tally.Ended, true)
			redos++
		}
		if parts[i].err != nil {
			return nil, Info{}, redos, parts[i].err
		}
		all = append(all, parts[i].rows...)
		tallies = append(tallies, parts[i].tally)
	}
	return all, MergeCSVInfo(l, size, tallies), redos, nil
}

// adversarialCSV returns a random CSV made to trip split points: quoted
// fields with line breaks, delimiters and doubled quotes; bare quotes;
// text after closing quotes; CR, LF and CRLF line ends; blank lines;
// ragged rows; multi-byte and invalid UTF-8.
func adversarialCSV(rng *rand.Rand, rows int, invalid bool) []byte {
	pieces := []string{"a", "bc", "12", "é", "日本", "x\"y", `"q,\n""z"""`, "\"\r\n\"", `"line1` + "\nline2\"", `"a"b`, "", " "}
	ends := []string{"\n", "\r\n", "\r", "\n\n", "\r\n\r\n"}
	var b bytes.Buffer
	b.WriteString("id,when,score,comment\n")
	if invalid {
		// Invalid UTF-8 after the sniffed prefix: the file is still read
		// as UTF-8, and the bad sequences are counted.
		for b.Len() < SniffBytes+100 {
			b.WriteString("1,2,3,4\n")
		}
		pieces = append(pieces, "\xff", "\xe6\x97", "\x80\x80")
	}
	for i := 0; i < rows; i++ {
		n := 4
		switch rng.IntN(10) {
		case 0:
			n = 3
		case 1:
			n = 5
		}
		for j := 0; j < n; j++ {
			if j > 0 {
				b.WriteByte(',')
			}
			b.WriteString(pieces[rng.IntN(len(pieces))])
			if rng.IntN(4) == 0 {
				b.WriteString(pieces[rng.IntN(len(pieces))])
			}
		}
		b.WriteString(ends[rng.IntN(len(ends))])
	}
	return b.Bytes()
}

// TestCSVPartsEqualOnePass reads adversarial files in 2–9 parts cut at
// random offsets (inside quotes, between CR and LF, inside multi-byte
// characters) and requires exactly the rows and Info of one pass.
func TestCSVPartsEqualOnePass(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	cfgs := []csvConfig{
		{bufSize: defaultBufSize, maxRecord: MaxRecordBytes},
		{bufSize: 64, maxRecord: MaxRecordBytes},
		{bufSize: 97, maxRecord: MaxRecordBytes, noFast: true},
		{bufSize: 64, maxRecord: MaxRecordBytes, cellSpans: true},
		spansConfig,
	}
	redos, splits, tried := 0, 0, 0
	for trial := 0; trial < 150; trial++ {
		data := adversarialCSV(rng, 1+rng.IntN(400), trial%5 == 0)
		if trial%7 == 0 {
			data = append([]byte("\xef\xbb\xbf"), data...) // BOM
		}
		cfg := cfgs[trial%len(cfgs)]
		_, want, wantInfo, wantErr := readCSV(data, Options{Name: "f.csv", SkipRowsAfterHeader: -1}, cfg)
		k := 1 + rng.IntN(8)
		cuts := make([]int64, k)
		for i := range cuts {
			cuts[i] = int64(len(data)) - 1 - rng.Int64N(min(int64(len(data)), 20000))
		}
		slices.Sort(cuts)
		got, info, n, err := readParts(t, data, cuts, cfg)
		if n < 0 {
			continue
		}
		redos += n
		splits += k
		tried++
		if (err != nil) != (wantErr != nil) {
			t.Fatalf("trial %d: error %v, one pass %v\n%q", trial, err, wantErr, data)
		}
		if err != nil {
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("trial %d cuts %v: rows differ\n got %q\nwant %q\ndata %q", trial, cuts, got, want, data)
		}
		if !reflect.DeepEqual(info, wantInfo) {
			t.Fatalf("trial %d cuts %v: info differs\n got %+v\nwant %+v", trial, cuts, info, wantInfo)
		}
	}
	t.Logf("%d files split, %d cuts, %d parts read again after a wrong guess", tried, splits, redos)
	if tried < 120 {
		t.Fatalf("only %d of the files were UTF-8", tried)
	}
}

// TestCSVPartsSpeculation: on an ordinary export whose comments hold
// quoted line breaks, the guess is right at every cut (no part is read
// twice), including cuts that fall inside a quoted comment.
func TestCSVPartsSpeculation(t *testing.T) {
	var b strings.Builder
	b.WriteString("id,nps,comment\n")
	for i := 0; i < 5000; i++ {
		fmt.Fprintf(&b, "r%d,%d,\"line one, %d\nline two \"\"quoted\"\"\nthree\"\n", i, i%11, i)
	}
	data := []byte(b.String())
	_, want, _, err := readCSV(data, Options{}, csvConfig{bufSize: defaultBufSize, maxRecord: MaxRecordBytes})
	if err != nil {
		t.Fatal(err)
	}
	for cut := int64(20); cut < int64(len(data)); cut += 2999 {
		got, _, redos, err := readParts(t, data, []int64{cut}, csvConfig{bufSize: defaultBufSize, maxRecord: MaxRecordBytes})
		if err != nil || redos != 0 || len(got) != len(want) {
			t.Fatalf("cut %d: %d rows, %d redos, err %v", cut, len(got), redos, err)
		}
	}
}

// TestCSVLayoutOnlyUTF8: transcoded text is not split.
func TestCSVLayoutOnlyUTF8(t *testing.T) {
	for _, tc := range []struct {
		data string
		ok   bool
	}{
		{"a,b\n1,2\n", true},
		{"\xef\xbb\xbfa,b\n1,2\n", true},
		{"a;b\n\xe9t\xe9;2\n", false}, // Windows-1252
		{"\xff\xfea\x00,\x00b\x00\n\x00", false},
	} {
		src, err := OpenCSV(strings.NewReader(tc.data), Options{})
		if err != nil {
			t.Fatal(err)
		}
		_, ok, err := LayoutOf(src, strings.NewReader(tc.data))
		if ok != tc.ok || err != nil {
			t.Errorf("%q: ok %v err %v", tc.data, ok, err)
		}
	}
}

// TestCSVPeekCountsOnce: the two records peeked at under the header (to
// recognise Qualtrics layouts) are read again as rows, and what they count
// (text after a closing quote) counts once.
func TestCSVPeekCountsOnce(t *testing.T) {
	_, _, info, err := readCSV([]byte("a,b\n\"x\"y,1\n2,3\n"), Options{SkipRowsAfterHeader: -1}, defaultConfig)
	if err != nil {
		t.Fatal(err)
	}
	if len(info.Warnings) != 1 || !strings.HasPrefix(info.Warnings[0], "1 quoted field has text after the closing quote (on line 2)") {
		t.Fatalf("warnings %q", info.Warnings)
	}
}

// FuzzCSVParts: any input, cut anywhere into two or three parts, reads as
// one pass does (rows and Info), or fails as one pass does.
func FuzzCSVParts(f *testing.F) {
	f.Add([]byte("a,b\n1,\"x\ny\"\n2,3\n"), uint16(7), uint16(12))
	f.Add([]byte("id,c\r\n\"q\"\"\",\"a\"b\r\n\n3,4"), uint16(3), uint16(9))
	f.Fuzz(func(t *testing.T, data []byte, c1, c2 uint16) {
		if len(data) == 0 || len(data) > 1<<16 {
			return
		}
		_, want, wantInfo, wantErr := readCSV(data, Options{Name: "f.csv", SkipRowsAfterHeader: -1}, defaultConfig)
		cuts := []int64{int64(c1) % int64(len(data)), int64(c2) % int64(len(data))}
		slices.Sort(cuts)
		got, info, redos, err := readParts(t, data, cuts, defaultConfig)
		if redos < 0 {
			return // not UTF-8: one part
		}
		if (err != nil) != (wantErr != nil) {
			t.Fatalf("error %v, one pass %v", err, wantErr)
		}
		if err != nil {
			return
		}
		if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(info, wantInfo) {
			t.Fatalf("cuts %v: parts differ from one pass\n got %q %+v\nwant %q %+v", cuts, got, info, want, wantInfo)
		}
	})
}
