package engine

import (
	"bytes"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cxaudit/cxaudit/core/ingest"
	"github.com/cxaudit/cxaudit/core/metric"
	"github.com/cxaudit/cxaudit/core/plan"
	"github.com/cxaudit/cxaudit/core/report"
)

const oracleDir = "../../testdata/oracle"

func loadPlan(t *testing.T, path string) *plan.Plan {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	p, err := plan.Parse(f)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// readBatches reads a CSV file into cloned batches.
func readBatches(t *testing.T, path string, p *plan.Plan) ([]string, []*ingest.Batch, ingest.Info) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	src, err := ingest.OpenCSV(bytes.NewReader(data), ReaderOptions(filepath.Base(path), p))
	if err != nil {
		t.Fatal(err)
	}
	var batches []*ingest.Batch
	for {
		b, err := src.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		batches = append(batches, b.Clone())
	}
	return src.Header(), batches, src.Info()
}

// rowsOf splits batches into single-row batches, so random split points
// can fall between any two rows.
func rowsOf(batches []*ingest.Batch) []*ingest.Batch {
	var rows []*ingest.Batch
	for _, b := range batches {
		for i := 0; i < b.Rows; i++ {
			r := &ingest.Batch{Rows: 1, FirstRow: b.FirstRow + int64(i), Cols: make([]*ingest.Column, len(b.Cols))}
			for j, c := range b.Cols {
				if c != nil {
					r.Cols[j] = &ingest.Column{}
					r.Cols[j].Append(c.Cell(i))
				}
			}
			rows = append(rows, r)
		}
	}
	return rows
}

// TestMergeEqualsOnePass splits every oracle case at random row boundaries
// into 2–6 parts, accumulates each part separately, merges the parts in a
// random order, and requires the same result document, byte for byte, as
// one pass.
func TestMergeEqualsOnePass(t *testing.T) {
	specs, _ := filepath.Glob(filepath.Join(oracleDir, "*.spec.json"))
	if len(specs) == 0 {
		t.Fatal("no oracle cases")
	}
	rng := rand.New(rand.NewPCG(7, 11))
	for _, spec := range specs {
		name := strings.TrimSuffix(filepath.Base(spec), ".spec.json")
		t.Run(name, func(t *testing.T) {
			p := loadPlan(t, spec)
			header, batches, info := readBatches(t, filepath.Join(oracleDir, name+".csv"), p)
			one, err := metric.New(p, info.Name, header)
			if err != nil {
				t.Fatal(err)
			}
			for _, b := range batches {
				one.Add(b)
			}
			want := render(t, p, info, one)

			rows := rowsOf(batches)
			for trial := 0; trial < 3; trial++ {
				parts := 2 + rng.IntN(5)
				cuts := []int{0, len(rows)}
				for i := 1; i < parts; i++ {
					cuts = append(cuts, rng.IntN(len(rows)+1))
				}
				sortInts(cuts)
				var accs []metric.Accumulator
				for i := 0; i+1 < len(cuts); i++ {
					acc, _ := metric.New(p, info.Name, header)
					for _, r := range rows[cuts[i]:cuts[i+1]] {
						acc.Add(r)
					}
					accs = append(accs, acc)
				}
				rng.Shuffle(len(accs), func(i, j int) { accs[i], accs[j] = accs[j], accs[i] })
				for _, a := range accs[1:] {
					if err := accs[0].Merge(a); err != nil {
						t.Fatal(err)
					}
				}
				if got := render(t, p, info, accs[0]); !bytes.Equal(got, want) {
					t.Fatalf("cuts %v: merged result differs from one pass", cuts)
				}
			}
		})
	}
}

func render(t *testing.T, p *plan.Plan, info ingest.Info, acc metric.Accumulator) []byte {
	t.Helper()
	doc, err := Document(p, info, acc)
	if err != nil {
		t.Fatal(err)
	}
	b, err := report.JSON(doc)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func sortInts(a []int) {
	for i := 1; i < len(a); i++ {
		for j := i; j > 0 && a[j] < a[j-1]; j-- {
			a[j], a[j-1] = a[j-1], a[j]
		}
	}
}
