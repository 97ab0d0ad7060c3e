package ingest

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"testing"
)

// surveyCSV generates a deterministic survey export of n rows shaped like
// the oracle's survey_main.csv: ids, ISO timestamps with offsets, two
// segment columns, five rating columns (a few blank or dirty) and a
// free-text comment that is often empty, sometimes quoted with commas, line
// breaks and doubled quotes. About 100 bytes a row.
func surveyCSV(n int) []byte {
	rng := rand.New(rand.NewPCG(20240501, uint64(n)))
	channels := []string{"email", "web", "in_app", "phone"}
	regions := []string{"NA", "EMEA", "APAC", "LATAM"}
	comments := []string{
		"Great support, thanks!",
		"slow",
		`"Pricing, billing and invoices are confusing"`,
		"\"Agent was helpful\r\nbut the fix took days\"",
		`"The ""new"" dashboard is nice"`,
		"Love it",
	}
	var b bytes.Buffer
	b.Grow(n * 110)
	b.WriteString("respondent_id,submitted_at,channel,region,nps_ltr,csat,csat_7pt,ces,cx_rating,comment\r\n")
	num := func(lo, hi int) {
		switch r := rng.IntN(100); {
		case r < 3:
		case r == 3:
			b.WriteString("N/A")
		default:
			b.WriteString(strconv.Itoa(lo + rng.IntN(hi-lo+1)))
		}
	}
	for i := range n {
		fmt.Fprintf(&b, "R_%014x,2024-%02d-%02dT%02d:%02d:00+01:00,", rng.Uint64()>>8, 1+i%12, 1+i%28, i%24, i%60)
		b.WriteString(channels[rng.IntN(len(channels))])
		b.WriteByte(',')
		b.WriteString(regions[rng.IntN(len(regions))])
		b.WriteByte(',')
		num(0, 10)
		b.WriteByte(',')
		num(1, 5)
		b.WriteByte(',')
		num(1, 7)
		b.WriteByte(',')
		num(1, 7)
		b.WriteByte(',')
		num(1, 10)
		b.WriteByte(',')
		if r := rng.IntN(10); r < 4 {
			b.WriteString(comments[rng.IntN(len(comments))])
		}
		b.WriteString("\r\n")
	}
	return b.Bytes()
}

var benchCache = map[int][]byte{}

// benchData returns surveyCSV(n), generated once per process so that
// profiles of -count runs show the reader, not the generator.
func benchData(n int) []byte {
	if d, ok := benchCache[n]; ok {
		return d
	}
	d := surveyCSV(n)
	benchCache[n] = d
	return d
}

// BenchmarkCSV reads generated survey files end to end (sniffing, header,
// every batch): all columns, the six a survey plan with three metrics, two
// segments and months reads, pruned to the two columns an NPS-by-channel
// analysis needs, and none (the cost of parsing alone).
//
//	go test -run '^$' -bench '^BenchmarkCSV$' -benchmem ./core/ingest/
func BenchmarkCSV(b *testing.B) {
	for _, n := range []int{1e3, 1e4, 1e5, 1e6} {
		data := benchData(n)
		for _, sel := range []struct {
			name string
			cols []string
		}{{"all", nil}, {"survey", []string{"submitted_at", "channel", "region", "nps_ltr", "csat", "ces"}},
			{"pruned", []string{"channel", "nps_ltr"}}, {"none", []string{}}} {
			b.Run(fmt.Sprintf("rows=%d/%s", n, sel.name), func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(len(data)))
				for b.Loop() {
					src, err := OpenCSV(bytes.NewReader(data), Options{Columns: sel.cols})
					if err != nil {
						b.Fatal(err)
					}
					rows := 0
					for {
						bt, err := src.Next()
						if err == io.EOF {
							break
						}
						if err != nil {
							b.Fatal(err)
						}
						rows += bt.Rows
					}
					if rows != n {
						b.Fatalf("%d rows, want %d", rows, n)
					}
				}
			})
		}
	}
}
