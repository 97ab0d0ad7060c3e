package detect

import (
	"strings"
	"testing"

	"github.com/cxaudit/cxaudit/core/ingest"
	"github.com/cxaudit/cxaudit/core/plan"
)

// FuzzDetect feeds arbitrary headers and cells: detection must never
// panic, and whatever plan it returns must normalize (so the engine can
// run it) and name only columns of the header.
//
// The input is split into rows on "\n" and cells on "\x1f", the first row
// being the header; ragged rows and columns are allowed on purpose.
func FuzzDetect(f *testing.F) {
	f.Add("nps\x1fcsat\x1fchannel\n10\x1f5\x1femail\n0\x1f1\x1fweb", ";")
	f.Add("ticket_id\x1fcreated_at\x1fresolved_at\n1\x1f2024-02-30T10:00:00Z\x1f31/12/2024\n2\x1f13/01/2024\x1f", ",")
	f.Add("customer_id\x1fsubscribed_at\x1fcancelled_at\x1fsource\nc\x1f0001-01-01\x1f9999-12-31T23:59:59.999999Z\x1fReferral", ",")
	f.Add("user_id\x1fts\nu\x1f2024-01-01\nu\x1f2024-01-01", ",")
	f.Add("\ufeff\x1f\x1f<img src=x onerror=alert(1)>\n\x1f\x1f<img src=x onerror=alert(1)>\n-99\x1f7,5\x1f", ";")
	f.Add("Q1\x1fQ1_NPS_GROUP\x1fQ1\n99999999999999999999\x1f-\x1f.\n+\x1f9.0\x1f 8 ", ",")
	f.Fuzz(func(t *testing.T, doc, delim string) {
		lines := strings.Split(doc, "\n")
		header := strings.Split(lines[0], "\x1f")
		var cols [][]string
		for _, line := range lines[1:] {
			for j, c := range strings.Split(line, "\x1f") {
				for len(cols) <= j {
					cols = append(cols, nil)
				}
				cols[j] = append(cols[j], c)
			}
		}
		s := Sample{Header: header, Columns: cols, Format: "csv", Info: ingest.Info{Delimiter: delim}}
		p, err := Detect(s)
		if err != nil {
			if p != nil {
				t.Fatal("a plan and an error")
			}
			return
		}
		names := map[string]bool{}
		for _, h := range header {
			names[h] = true
		}
		for role, c := range p.Columns {
			if !names[c] {
				t.Fatalf("role %s names %q, not a header", role, c)
			}
		}
		for col := range p.Detected {
			if !names[col] {
				t.Fatalf("detected %q, not a header", col)
			}
		}
		if err := clonePlan(p).Normalize(); err != nil {
			t.Fatalf("plan does not normalize: %v\n%s", err, mustJSON(p))
		}
		m := Merge(p, &plan.Plan{Kind: plan.KindSurvey})
		_ = m
	})
}
