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
	b.SetBytes(int64(buf.Len()))
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

// readBatches reads a CSV into batches kept in memory.
func readBatches(b *testing.B, data []byte) (ingest.Source, []*ingest.Batch) {
	src, err := ingest.OpenCSV(bytes.NewReader(data), ingest.Options{SkipRowsAfterHeader: 0})
	if err != nil {
		b.Fatal(err)
	}
	var batches []*ingest.Batch
	for {
		bt, err := src.Next()
		if err == io.EOF {
			return src, batches
		}
		if err != nil {
			b.Fatal(err)
		}
		batches = append(batches, bt.Clone())
	}
}

// BenchmarkTicketsAdd measures the tickets accumulator alone: three
// timestamps (created, first response, resolved; 10 % unresolved), a reply
// count, an FCR flag and two segments per row.
//
//	go test -run '^$' -bench 'Add$' -benchmem ./core/metric/
func BenchmarkTicketsAdd(b *testing.B) {
	rng := rand.New(rand.NewPCG(5, 6))
	var buf bytes.Buffer
	buf.WriteString("id,created_at,first_response_at,resolved_at,replies,fcr,channel,priority\n")
	const rows = 100_000
	for i := 0; i < rows; i++ {
		day, h := 1+i*365/rows, rng.IntN(24)
		created := fmt.Sprintf("2024-%02d-%02dT%02d:%02d:%02dZ", 1+(day-1)/31%12, 1+(day-1)%28, h, rng.IntN(60), rng.IntN(60))
		first := fmt.Sprintf("2024-%02d-%02dT%02d:%02d:00Z", 1+(day-1)/31%12, 1+(day-1)%28, min(23, h+rng.IntN(3)), rng.IntN(60))
		resolved := ""
		if rng.IntN(10) > 0 {
			resolved = fmt.Sprintf("2024-%02d-%02dT%02d:%02d:00Z", 1+(day-1)/31%12, 1+min(27, (day-1)%28+rng.IntN(3)), rng.IntN(24), rng.IntN(60))
		}
		fmt.Fprintf(&buf, "T%06d,%s,%s,%s,%d,%s,%s,%s\n", i, created, first, resolved, rng.IntN(6),
			[]string{"yes", "no", ""}[rng.IntN(3)], []string{"email", "chat", "phone"}[rng.IntN(3)], []string{"low", "normal", "high", "urgent"}[rng.IntN(4)])
	}
	src, batches := readBatches(b, buf.Bytes())
	p, err := plan.Parse(strings.NewReader(`{"kind":"tickets","columns":{"id":"id","created_at":"created_at","first_response_at":"first_response_at","resolved_at":"resolved_at","replies":"replies","fcr":"fcr"},"segments":["channel","priority"]}`))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(buf.Len()))
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
