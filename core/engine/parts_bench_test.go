package engine

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cxaudit/cxaudit/core/plan"
)

// BenchmarkSurveyParts is BenchmarkSurvey's 1M-row pass read in parts on
// 1, 2 and 4 goroutines (RunParallel: the CLI's -jobs, the page's
// workers). MB/s is per input byte, wall clock; with one core per part
// it should grow with the parts until the cores run out.
func BenchmarkSurveyParts(b *testing.B) {
	data := surveyCSV(1_000_000)
	p, err := plan.Parse(strings.NewReader(benchPlan))
	if err != nil {
		b.Fatal(err)
	}
	for _, workers := range []int{1, 2, 4} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := RunParallel(bytes.NewReader(data), int64(len(data)), "bench.csv", p, 0, workers, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSurveyFile runs the whole parts path (one part) on the file
// named by CXAUDIT_BENCH_FILE, with the plan detected as the page and the
// CLI would: e.g. the browser benchmark's dist/bench/survey-1m.parquet
// (make bench-browser writes it). Skipped without the variable.
func BenchmarkSurveyFile(b *testing.B) {
	path := os.Getenv("CXAUDIT_BENCH_FILE")
	if path == "" {
		b.Skip("CXAUDIT_BENCH_FILE not set")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := RunParallel(bytes.NewReader(data), int64(len(data)), filepath.Base(path), nil, 0, 1, nil); err != nil {
			b.Fatal(err)
		}
	}
}
