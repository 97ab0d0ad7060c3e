package engine

import (
	"fmt"
	"strings"
	"testing"

	"github.com/cxaudit/cxaudit/core/ingest"
)

// TestRaggedRowsWarnedOnce: rows with too few or too many cells are one
// warning in the result — the reader's, with the line of the first —
// not that one and a second, differently worded one from the engine.
func TestRaggedRowsWarnedOnce(t *testing.T) {
	csv := "id,nps,channel\n1,9,email\n2,10\n3,8,chat,extra\n4,7,email\n"
	src, err := ingest.OpenCSV(strings.NewReader(csv), ReaderOptions("ragged.csv", nil))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := Run(src, nil, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	var ragged []string
	for _, w := range doc["warnings"].([]string) {
		if strings.Contains(w, "different number of cells") {
			ragged = append(ragged, w)
		}
	}
	want := "2 rows have a different number of cells than the header (first on line 3)"
	if len(ragged) != 1 || !strings.HasPrefix(ragged[0], want) {
		t.Errorf("ragged-row warnings %q, want one starting %q", ragged, want)
	}
}

// TestWideFileSample: detection samples SampleCells cells, not SampleRows
// rows, of a wide file (2 048 columns: 512 rows), so that its memory and
// time do not grow with the width; it still samples at least 50 rows, and
// SampleRows of a narrow file.
func TestWideFileSample(t *testing.T) {
	var b strings.Builder
	const cols, rows = 2048, 1000
	for j := 0; j < cols; j++ {
		if j > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "col%d", j)
	}
	row := "\n" + strings.Repeat("x,", cols-1) + "x"
	b.WriteString(strings.Repeat(row, rows) + "\n")
	src, err := ingest.OpenCSV(strings.NewReader(b.String()), ReaderOptions("wide.csv", nil))
	if err != nil {
		t.Fatal(err)
	}
	_, err = Run(src, nil, 0, nil)
	want := "wide.csv: detect: found no column cxaudit can use in 512 sampled rows"
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("got %v, want %q…", err, want)
	}
	for _, c := range []struct{ cols, rows int }{{1, SampleRows}, {524, SampleRows}, {525, 1997}, {16384, 64}, {100000, 50}} {
		if got := sampleRows(c.cols); got != c.rows {
			t.Errorf("sampleRows(%d) = %d, want %d", c.cols, got, c.rows)
		}
	}
}
