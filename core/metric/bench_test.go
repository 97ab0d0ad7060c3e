package metric_test

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/cxaudit/cxaudit/core/ingest"
	"github.com/cxaudit/cxaudit/core/metric"
	"github.com/cxaudit/cxaudit/core/plan"
)

// BenchmarkSurveyAdd measures the survey accumulator alone (batches
// already in memory): parsing five scale cells and a timestamp per row and
// updating the overall, segment and month groups.
func BenchmarkSurveyAdd(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 4))
	var buf bytes.Buffer
	buf.WriteString("id,ts,channel,region,nps,csat,ces\n")
	const rows = 100_000
	for i := 0; i < rows; i++ {
		fmt.Fprintf(&buf, "%d,2024-%02d-%02dT10:00:00Z,%s,%s,%d,%d,%d\n", i, 1+i*12/rows, 1+rng.IntN(28),
			[]string{"email", "web", "sms"}[rng.IntN(3)], []string{"EU", "NA"}[rng.IntN(2)], rng.IntN(11), 1+rng.IntN(5), 1+rng.IntN(7))
	}
	src, err := ingest.OpenCSV(bytes.NewReader(buf.Bytes()), ingest.Options{SkipRowsAfterHeader: 0})
	if err != nil {
		b.Fatal(err)
	}
	var batches []*ingest.Batch
	for {
		bt, err := src.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			b.Fatal(err)
		}
		batches = append(batches, bt.Clone())
	}
	p, err := plan.Parse(strings.NewReader(`{"kind":"survey","columns":{"timestamp":"ts"},"metrics":{"nps":{"column":"nps"},"csat":{"column":"csat"},"ces":{"column":"ces"}},"segments":["channel","region"]}`))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		acc, err := metric.New(p, "bench", src.Header())
		if err != nil {
			b.Fatal(err)
		}
		for _, bt := range batches {
			acc.Add(bt)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/rows, "ns/row")
}
