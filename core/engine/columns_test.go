package engine

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/cxaudit/cxaudit/core/ingest"
	"github.com/cxaudit/cxaudit/core/metric"
	"github.com/cxaudit/cxaudit/core/plan"
)

// TestPlanIDColumn: no accumulator reads the plan's "id" column, so it is
// not read (NeededColumns), yet a plan that names an id column the file
// lacks fails as before — whether the plan is complete (the reader checks
// it) or detection completes it (settle checks it), streamed or in parts —
// and a present one changes nothing in the result.
func TestPlanIDColumn(t *testing.T) {
	const csv = "respondent_id,nps,channel\nr1,9,email\nr2,10,web\nr3,3,email\n"
	const header = `the columns are: "respondent_id", "nps", "channel"`
	cases := []struct {
		name, plan, err string
	}{
		{"complete, id present", `{"kind":"survey","columns":{"id":"respondent_id"},"metrics":{"nps":{"column":"nps"}}}`, ""},
		{"complete, no id", `{"kind":"survey","metrics":{"nps":{"column":"nps"}}}`, ""},
		{"complete, id missing", `{"kind":"survey","columns":{"id":"nope"},"metrics":{"nps":{"column":"nps"}}}`,
			`ids.csv: no column "nope" in the header; ` + header},
		{"complete, id and metric missing", `{"kind":"survey","columns":{"id":"nope"},"metrics":{"nps":{"column":"score"}}}`,
			`ids.csv: no columns "nope", "score" in the header; ` + header},
		{"detected, id missing", `{"kind":"survey","columns":{"id":"nope"}}`,
			`ids.csv: no column "nope" in the header; ` + header},
	}
	var want []byte
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := plan.Parse(strings.NewReader(c.plan))
			if err != nil {
				t.Fatal(err)
			}
			var docs [][]byte
			stream := func() (any, error) {
				src, err := ingest.OpenCSV(strings.NewReader(csv), ReaderOptions("ids.csv", p))
				if err != nil {
					return nil, err
				}
				return Run(src, p, 0, nil)
			}
			parts := func() (any, error) {
				return RunParallel(strings.NewReader(csv), int64(len(csv)), "ids.csv", p, 0, 2, nil)
			}
			for _, run := range []func() (any, error){stream, parts} {
				doc, err := run()
				if c.err != "" {
					if err == nil || err.Error() != c.err {
						t.Fatalf("error %v, want %q", err, c.err)
					}
					continue
				}
				if err != nil {
					t.Fatal(err)
				}
				d := doc.(map[string]any)
				delete(d, "plan") // the plans differ in their id
				b, err := json.Marshal(d)
				if err != nil {
					t.Fatal(err)
				}
				docs = append(docs, b)
			}
			for _, d := range docs {
				if want == nil {
					want = d
				}
				if !bytes.Equal(d, want) {
					t.Errorf("result differs from the first case's:\n%s\n%s", d, want)
				}
			}
		})
	}
	p, _ := plan.Parse(strings.NewReader(cases[0].plan))
	if got := metric.NeededColumns(p); slices.Contains(got, "respondent_id") {
		t.Errorf("NeededColumns %q reads the id column", got)
	}
	if got := metric.NamedColumns(p); !slices.Contains(got, "respondent_id") {
		t.Errorf("NamedColumns %q lacks the id column", got)
	}
}
