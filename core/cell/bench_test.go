package cell

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// benchCells returns n cells made by gen, all in one arena like a column's.
func benchCells(n int, gen func(rng *rand.Rand) string) ([][]byte, int64) {
	rng := rand.New(rand.NewPCG(7, 8))
	cells := make([][]byte, n)
	var size int64
	for i := range cells {
		cells[i] = []byte(gen(rng))
		size += int64(len(cells[i]))
	}
	return cells, size
}

// BenchmarkScale parses NPS cells: mostly "0"–"10", 1 % dirt.
//
//	go test -run '^$' -bench 'Scale|Timestamp' -benchmem ./core/cell/
func BenchmarkScale(b *testing.B) {
	dirt := []string{"N/A", "", " 7", "7.5", "10.0", "11"}
	cells, size := benchCells(4096, func(rng *rand.Rand) string {
		if rng.IntN(100) == 0 {
			return dirt[rng.IntN(len(dirt))]
		}
		return fmt.Sprint(rng.IntN(11))
	})
	b.SetBytes(size)
	b.ReportAllocs()
	var sink int64
	for b.Loop() {
		for _, c := range cells {
			v, _ := Scale(c, 0, 10, false)
			sink += v
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(cells)), "ns/cell")
	_ = sink
}

// BenchmarkTimestamp parses ISO timestamps of the shapes exports use, then
// takes their UTC month, the work of a survey by month.
func BenchmarkTimestamp(b *testing.B) {
	for _, shape := range []struct{ name, suffix string }{{"Z", "Z"}, {"offset", "+01:00"}, {"plain", ""}} {
		cells, size := benchCells(4096, func(rng *rand.Rand) string {
			return fmt.Sprintf("2024-%02d-%02dT%02d:%02d:%02d%s", 1+rng.IntN(12), 1+rng.IntN(28), rng.IntN(24), rng.IntN(60), rng.IntN(60), shape.suffix)
		})
		b.Run(shape.name, func(b *testing.B) {
			b.SetBytes(size)
			b.ReportAllocs()
			var sink int64
			for b.Loop() {
				for _, c := range cells {
					t, _ := Timestamp(c, ISO)
					sink += int64(Month(t))
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(cells)), "ns/cell")
			_ = sink
		})
	}
}

// BenchmarkTimestampMonth is BenchmarkTimestamp through Civil: the month
// read off the parsed fields, as the survey and ticket accumulators do.
func BenchmarkTimestampMonth(b *testing.B) {
	for _, shape := range []struct{ name, suffix string }{{"Z", "Z"}, {"offset", "+01:00"}, {"plain", ""}} {
		cells, size := benchCells(4096, func(rng *rand.Rand) string {
			return fmt.Sprintf("2024-%02d-%02dT%02d:%02d:%02d%s", 1+rng.IntN(12), 1+rng.IntN(28), rng.IntN(24), rng.IntN(60), rng.IntN(60), shape.suffix)
		})
		b.Run(shape.name, func(b *testing.B) {
			b.SetBytes(size)
			b.ReportAllocs()
			var sink int64
			var c Civil
			for b.Loop() {
				for _, cl := range cells {
					if c.Parse(cl, ISO) == OK {
						sink += int64(c.Month())
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(cells)), "ns/cell")
			_ = sink
		})
	}
}
