package engine

import (
	"bytes"
	"fmt"
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
