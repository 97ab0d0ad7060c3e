package engine

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cxaudit/cxaudit/core/ingest"
	"github.com/cxaudit/cxaudit/core/plan"
)

// textOnly is a Source that turns every column of every batch into text
// (Column.Raw) before the accumulators see it, so they take their text
// paths: what they computed before the Parquet reader handed over codes,
// timestamps and integers (ingest.Column.Coded, Times, Ints).
type textOnly struct {
	ingest.Source
	coded, timed, ints int // columns that came in a form
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
		if _, ok := c.Ints(); ok {
			s.ints++
		}
		c.Raw()
	}
	return b, nil
}

// mixedPlan reads the reader's "mixed" fixtures (core/ingest/testdata/
// parquet: TIMESTAMP columns with nulls, dictionary-encoded scores and
// segments with nulls, several row groups) as a survey.
var mixedPlans = []string{`{"kind":"survey","columns":{"timestamp":"ts"},"metrics":{"nps":{"column":"nps"},
"csat":{"column":"rating","scale":[1,5],"top_box":[4,5]}},"segments":["channel"],"by_month":true,
"compare":[{"by":"month","a":"2024-01","b":"2024-02"}]}`,
	// ts is a TIMESTAMP (microseconds), day a DATE (text): typed and
	// text timestamps meet in one row.
	`{"kind":"tickets","columns":{"created_at":"ts","first_response_at":"day","resolved_at":"ts","replies":"nps"},
"segments":["channel"],"months":["2024-01","2024-02","2024-03"]}`,
	`{"kind":"tickets","columns":{"created_at":"day","resolved_at":"ts"}}`,
	`{"kind":"customers","columns":{"subscribed_at":"ts","cancelled_at":"day","trial_started_at":"ts","source":"channel"},
"referral_value":"web","periods":[{"label":"H1","start":"2024-01-01","end":"2024-07-01"},{"label":"Q4","start":"2024-10-01","end":"2025-01-01"}]}`,
	`{"kind":"events","columns":{"user_id":"channel","timestamp":"ts"}}`,
	// A DMY plan reads the TIMESTAMP's text (which fails as DMY).
	`{"kind":"events","columns":{"user_id":"channel","timestamp":"ts"},"timestamp_formats":{"ts":"dmy"}}`,
}

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
	type job struct {
		path string
		plan *plan.Plan
	}
	var jobs []job
	for _, path := range files {
		jobs = append(jobs, job{path, nil})
	}
	for _, text := range mixedPlans {
		p, err := plan.Parse(strings.NewReader(text))
		if err != nil {
			t.Fatal(err)
		}
		for _, path := range mixed {
			switch {
			case strings.Contains(path, "brotli"): // not read (BROTLI)
			case p.Kind == "survey", strings.Contains(path, "v1_dict_fallback"), strings.Contains(path, "v2_dict_snappy"),
				strings.Contains(path, "hyparquet_mixed_encodings"):
				jobs = append(jobs, job{path, p})
			}
		}
	}
	// Timestamps of years 1 to 9999, before 1970, in ms, µs and ns.
	for _, c := range []struct{ file, plan string }{
		{"arrow_types.parquet", `{"kind":"survey","columns":{"timestamp":"ts_ms"},"metrics":{"nps":{"column":"int8"}},"segments":["string"],"by_month":true}`},
		{"arrow_types.parquet", `{"kind":"tickets","columns":{"created_at":"ts_ns","first_response_at":"ts_us","resolved_at":"ts_ms"}}`},
		{"arrow_types_plain_v2.parquet", `{"kind":"survey","columns":{"timestamp":"ts_us"},"metrics":{"nps":{"column":"int8"}},"by_month":true}`},
		// INT32 scores (Column.Ints) at the type's ends: out of range.
		{"arrow_types.parquet", `{"kind":"survey","metrics":{"nps":{"column":"int32"},"csat":{"column":"int16","scale":[1,5],"top_box":[4,5]},"ces":{"column":"int8","scale":[1,7],"agree_min":5}}}`},
		{"arrow_types_plain_v2.parquet", `{"kind":"survey","metrics":{"nps":{"column":"int32"},"ces":{"column":"int16","scale":[1,7],"agree_min":5}},"segments":["int8"]}`},
		{"arrow_types_plain_v2.parquet", `{"kind":"events","columns":{"user_id":"string","timestamp":"ts_ms"}}`},
		{"hyparquet_types.parquet", `{"kind":"survey","columns":{"timestamp":"ts_nanos_logical"},"metrics":{"nps":{"column":"uint8_converted"}},"by_month":true}`},
		{"hyparquet_types.parquet", `{"kind":"customers","columns":{"subscribed_at":"ts_millis_converted","cancelled_at":"ts_micros_converted"},"periods":[{"label":"all","start":"1900-01-01","end":"2100-01-01"}]}`},
	} {
		p, err := plan.Parse(strings.NewReader(c.plan))
		if err != nil {
			t.Fatal(err)
		}
		jobs = append(jobs, job{"../ingest/testdata/parquet/" + c.file, p})
	}
	var coded, timed, ints int
	for _, j := range jobs {
		path, p := j.path, j.plan
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
				t.Fatalf("%s (%v): %v", path, p, err)
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
				coded, timed, ints = coded+v.coded, timed+v.timed, ints+v.ints
			}
			b, err := json.Marshal(doc)
			if err != nil {
				t.Fatal(err)
			}
			return b
		}
		if fast, text := run(false), run(true); !bytes.Equal(fast, text) {
			t.Errorf("%s, plan %v: the document differs when the accumulators read text", filepath.Base(path), p)
		}
	}
	t.Logf("%d coded, %d timestamp and %d integer batch columns", coded, timed, ints)
	if coded == 0 || timed == 0 || ints == 0 {
		t.Error("the files gave no coded, no timestamp or no integer columns")
	}
}

func mustOpen(t *testing.T, data []byte) ingest.Source {
	src, err := ingest.OpenParquet(bytes.NewReader(data), int64(len(data)), ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return src
}
