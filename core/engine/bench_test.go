package engine

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/cxaudit/cxaudit/core/ingest"
	"github.com/cxaudit/cxaudit/core/plan"
)

// surveyCSV generates a realistic survey export of n rows (fixed seed):
// id, timestamp, channel, region, NPS with ~1 % dirt, CSAT 1–5, CES 1–7 and
// a free-text comment with quoted commas and newlines.
func surveyCSV(n int) []byte {
	rng := rand.New(rand.NewPCG(1, 2))
	channels := []string{"email", "web", "in_app", "sms"}
	regions := []string{"EMEA", "NA", "APAC", "LATAM"}
	comments := []string{"", "Great support", `"Slow, but friendly"`, `"Line one
line two"`, "ok", `"He said ""fine"""`}
	dirt := []string{"N/A", "", "11", "7.5", "ten"}
	var b bytes.Buffer
	b.WriteString("respondent_id,submitted_at,channel,region,nps,csat,ces,comment\n")
	for i := 0; i < n; i++ {
		nps := fmt.Sprint(rng.IntN(11))
		if rng.IntN(100) == 0 {
			nps = dirt[rng.IntN(len(dirt))]
		}
		fmt.Fprintf(&b, "r%07d,2024-%02d-%02dT%02d:%02d:00Z,%s,%s,%s,%d,%d,%s\n", i,
			1+rng.IntN(12), 1+rng.IntN(28), rng.IntN(24), rng.IntN(60),
			channels[rng.IntN(4)], regions[rng.IntN(4)], nps, 1+rng.IntN(5), 1+rng.IntN(7),
			comments[rng.IntN(len(comments))])
	}
	return b.Bytes()
}

const benchPlan = `{"kind":"survey","columns":{"id":"respondent_id","timestamp":"submitted_at"},
"metrics":{"nps":{"column":"nps"},"csat":{"column":"csat","scale":[1,5],"top_box":[4,5]},"ces":{"column":"ces","scale":[1,7],"agree_min":5}},
"segments":["channel","region"],"by_month":true,"compare":[{"by":"channel","a":"email","b":"web"}]}`

// BenchmarkSurvey measures the whole path (CSV ingest, every survey metric
// with its intervals, segments, months, a comparison, the document) per
// input byte.
func BenchmarkSurvey(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000, 1_000_000} {
		data := surveyCSV(n)
		p, err := plan.Parse(strings.NewReader(benchPlan))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("rows=%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				src, err := ingest.OpenCSV(bytes.NewReader(data), ReaderOptions("bench.csv", p))
				if err != nil {
					b.Fatal(err)
				}
				if _, err := Run(src, p, 0, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
