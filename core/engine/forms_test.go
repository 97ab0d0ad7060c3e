package engine

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/cxaudit/cxaudit/core/ingest"
	"github.com/cxaudit/cxaudit/core/plan"
)

// textOnly is a Source that turns every column of every batch into text
// (Column.Raw) before the accumulators see it, so they take their text
// paths: what they computed before the Parquet reader handed over codes
// and timestamps (ingest.Column.Coded, Times).
type textOnly struct {
	ingest.Source
	coded, timed int // columns that came in a form
}

func (s *textOnly) Next() (*ingest.Batch, error) {
	b, err := s.Source.Next()
	if err != nil {
		return b, err
	}
	for _, c := range b.Cols {
		if c == nil {
			continue
		}
		if _, _, ok := c.Coded(); ok {
			s.coded++
		}
		if _, ok := c.Times(); ok {
			s.timed++
		}
		c.Raw()
	}
	return b, nil
}

// mixedPlan reads the reader's "mixed" fixtures (core/ingest/testdata/
// parquet: TIMESTAMP columns with nulls, dictionary-encoded scores and
// segments with nulls, several row groups) as a survey.
const mixedPlan = `{"kind":"survey","columns":{"timestamp":"ts"},"metrics":{"nps":{"column":"nps"},
"csat":{"column":"rating","scale":[1,5],"top_box":[4,5]}},"segments":["channel"],"by_month":true,
"compare":[{"by":"month","a":"2024-01","b":"2024-02"}]}`

// TestParquetFormsEqualText: every oracle case's Parquet twin, and the
// reader's mixed fixtures read as a survey, give the same document byte
// for byte whether the accumulators read the reader's codes and
// timestamps or their text.
func TestParquetFormsEqualText(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(oracleDir, "*.parquet"))
	mixed, _ := filepath.Glob("../ingest/testdata/parquet/*_mixed_*.parquet")
	if len(files) == 0 || len(mixed) == 0 {
		t.Fatal("no oracle or mixed Parquet files")
	}
	mp, err := plan.Parse(strings.NewReader(mixedPlan))
	if err != nil {
		t.Fatal(err)
	}
	var coded, timed int
	for _, path := range append(files, mixed...) {
		var p *plan.Plan
		if slices.Contains(mixed, path) {
			if strings.Contains(path, "brotli") {
				continue // not read (BROTLI)
			}
			p = mp
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		run := func(wrap bool) []byte {
			src, err := ingest.OpenParquet(bytes.NewReader(data), int64(len(data)), ReaderOptions(filepath.Base(path), p))
			if err != nil {
				t.Fatal(err)
			}
			var w *textOnly
			if wrap {
				w = &textOnly{Source: src}
				src = w
			}
			doc, err := Run(src, p, 0, nil)
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			if w == nil {
				// the forms the fast run had, counted on a third read
				v := &textOnly{Source: mustOpen(t, data)}
				for {
					if _, err := v.Next(); err == io.EOF {
						break
					} else if err != nil {
						t.Fatal(err)
					}
				}
				coded, timed = coded+v.coded, timed+v.timed
			}
			b, err := json.Marshal(doc)
			if err != nil {
				t.Fatal(err)
			}
			return b
		}
		if fast, text := run(false), run(true); !bytes.Equal(fast, text) {
			t.Errorf("%s: the document differs when the accumulators read text", filepath.Base(path))
		}
	}
	t.Logf("%d coded and %d timestamp batch columns", coded, timed)
	if coded == 0 || timed == 0 {
		t.Error("the files gave no coded or no timestamp columns")
	}
}

func mustOpen(t *testing.T, data []byte) ingest.Source {
	src, err := ingest.OpenParquet(bytes.NewReader(data), int64(len(data)), ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return src
}
