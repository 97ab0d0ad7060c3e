package engine

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/cxaudit/cxaudit/core/metric"
	"github.com/cxaudit/cxaudit/core/plan"
	"github.com/cxaudit/cxaudit/core/report"
)

// benchFileOrSurvey is the file of CXAUDIT_BENCH_FILE (e.g. the browser
// benchmark's dist/bench/survey-1m.csv, read with a detected plan, as the
// page does), else the 1M-row surveyCSV with benchPlan.
func benchFileOrSurvey(b *testing.B) ([]byte, string, *plan.Plan) {
	if path := os.Getenv("CXAUDIT_BENCH_FILE"); path != "" {
		data, err := os.ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		return data, "survey.csv", nil
	}
	p, err := plan.Parse(strings.NewReader(benchPlan))
	if err != nil {
		b.Fatal(err)
	}
	return surveyCSV(1_000_000), "bench.csv", p
}

// BenchmarkSurveySerial times the serial steps of a 2-part read of the
// 1M-row survey: Prepare, Finish (decode + merge + Document), decode +
// merge alone, and the accumulator's Result alone.
func BenchmarkSurveySerial(b *testing.B) {
	data, name, user := benchFileOrSurvey(b)
	r := bytes.NewReader(data)
	size := int64(len(data))
	b.Run("prepare", func(b *testing.B) {
		for b.Loop() {
			if _, err := Prepare(r, size, name, user, 0); err != nil {
				b.Fatal(err)
			}
		}
	})
	prep, err := Prepare(r, size, name, user, 0)
	if err != nil {
		b.Fatal(err)
	}
	parts := prep.Split(2)
	results := make([]PartResult, len(parts))
	for i, part := range parts {
		res, err := RunPart(r, prep, part, nil)
		if err != nil {
			b.Fatal(err)
		}
		results[i] = *res
	}
	b.Logf("state bytes: %d, %d", len(results[0].State), len(results[1].State))
	b.Run("finish", func(b *testing.B) {
		for b.Loop() {
			if _, _, err := Finish(prep, results); err != nil {
				b.Fatal(err)
			}
		}
	})
	merged := func() metric.Accumulator {
		var acc metric.Accumulator
		for _, res := range results {
			a, err := metric.DecodeState(prep.Plan, prep.Name, prep.Header, res.State)
			if err != nil {
				b.Fatal(err)
			}
			if acc == nil {
				acc = a
			} else if err := acc.Merge(a); err != nil {
				b.Fatal(err)
			}
		}
		return acc
	}
	b.Run("decode+merge", func(b *testing.B) {
		for b.Loop() {
			merged()
		}
	})
	b.Run("result", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			acc := merged()
			b.StartTimer()
			acc.Result()
		}
	})
}

// BenchmarkSurveyRender times rendering the document of the 1M-row survey
// as JSON, CSV and Markdown (what the page's finish returns).
func BenchmarkSurveyRender(b *testing.B) {
	data, name, user := benchFileOrSurvey(b)
	doc, err := RunParallel(bytes.NewReader(data), int64(len(data)), name, user, 0, 1, nil)
	if err != nil {
		b.Fatal(err)
	}
	for _, f := range []struct {
		name   string
		render func() ([]byte, error)
	}{
		{"json", func() ([]byte, error) { return report.JSON(doc) }},
		{"csv", func() ([]byte, error) { return report.CSV(doc) }},
		{"md", func() ([]byte, error) { return report.Markdown(doc), nil }},
	} {
		b.Run(f.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := f.render(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
