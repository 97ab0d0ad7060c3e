package metric

import (
	"io"
	"strings"
	"testing"

	"github.com/cxaudit/cxaudit/core/ingest"
	"github.com/cxaudit/cxaudit/core/plan"
)

// ResultOfCSV analyses a small CSV with a plan and returns the kind's part
// of the result (for this package's tests, inside and outside it).
func ResultOfCSV(t testing.TB, planJSON, csv string) Object {
	t.Helper()
	p, err := plan.Parse(strings.NewReader(planJSON))
	if err != nil {
		t.Fatal(err)
	}
	src, err := ingest.OpenCSV(strings.NewReader(csv), ingest.Options{Name: "t.csv"})
	if err != nil {
		t.Fatal(err)
	}
	acc, err := New(p, "t.csv", src.Header())
	if err != nil {
		t.Fatal(err)
	}
	for {
		b, err := src.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		acc.Add(b)
	}
	out, _ := acc.Result()
	return out
}
