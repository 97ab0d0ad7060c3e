package report_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/cxaudit/cxaudit/core/engine"
	"github.com/cxaudit/cxaudit/core/report"
)

// TestJSONOracleDocuments: the documents of every oracle case (CSV and
// Parquet, detected plans) and of the hostile corpus's readable files
// render to the round trip's bytes.
func TestJSONOracleDocuments(t *testing.T) {
	var files []string
	for _, glob := range []string{"../../testdata/oracle/*.csv", "../../testdata/oracle/*.parquet", "../../testdata/hostile/*.csv"} {
		m, _ := filepath.Glob(glob)
		files = append(files, m...)
	}
	n := 0
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := engine.RunParallel(bytes.NewReader(data), int64(len(data)), filepath.Base(path), nil, 0, 1, nil)
		if err != nil {
			continue // an input error: no document
		}
		want, werr := report.RoundTripJSON(doc)
		got, gerr := report.JSON(doc)
		if werr != nil || gerr != nil || !bytes.Equal(got, want) {
			t.Errorf("%s: JSON differs from the round trip (%v, %v)", path, gerr, werr)
		}
		n++
	}
	if n < 10 {
		t.Errorf("only %d documents compared", n)
	}
}
