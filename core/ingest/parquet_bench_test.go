package ingest

import (
	"bytes"
	"io"
	"os"
	"testing"
)

// The benchmarks read a 1M-row file that is not committed (7 MB). Make it
// with
//
//	cd scripts/parquet-fixtures && npm ci && node generate.mjs --bench /tmp/cxaudit-bench-1m.parquet
//
// (parquet-wasm, snappy, v1 pages, dictionary, 4 row groups of 256Ki
// rows; columns nps INT32 with 1 % nulls, id INT64, score DOUBLE, channel
// STRING) or point CXAUDIT_PARQUET_BENCH at another file.
func benchFile(b *testing.B) []byte {
	path := os.Getenv("CXAUDIT_PARQUET_BENCH")
	if path == "" {
		path = "/tmp/cxaudit-bench-1m.parquet"
	}
	data, err := os.ReadFile(path)
	if err != nil {
		b.Skipf("no benchmark file (%v); see parquet_bench_test.go", err)
	}
	return data
}

func benchRead(b *testing.B, cols []string) {
	data := benchFile(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var rows int64
	for b.Loop() {
		src, err := OpenParquet(bytes.NewReader(data), int64(len(data)), Options{Columns: cols})
		if err != nil {
			b.Fatal(err)
		}
		rows = 0
		for {
			batch, err := src.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			rows += int64(batch.Rows)
		}
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/file")
}

// BenchmarkParquetInt32Column: one INT32 column (dictionary-encoded, 1 %
// nulls) of 1M rows, as the accumulators get it: dictionary codes
// (Column.Coded), not text.
func BenchmarkParquetInt32Column(b *testing.B) { benchRead(b, []string{"nps"}) }

// BenchmarkParquetFourColumns: all four columns (pages without a
// dictionary rendered as text).
func BenchmarkParquetFourColumns(b *testing.B) { benchRead(b, nil) }
