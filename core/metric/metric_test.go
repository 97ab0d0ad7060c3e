package metric_test

import (
	"strings"
	"testing"

	"github.com/cxaudit/cxaudit/core/ingest"
	"github.com/cxaudit/cxaudit/core/metric"
	"github.com/cxaudit/cxaudit/core/plan"
)

// run analyses a small CSV with a plan and returns the kind's part.
func run(t *testing.T, planJSON, csv string) metric.Object {
	t.Helper()
	return metric.ResultOfCSV(t, planJSON, csv)
}

func get(o metric.Object, path ...string) any {
	var v any = o
	for _, k := range path {
		m, ok := v.(metric.Object)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

// Backlog and volume by hand: t1 created Jan, resolved Feb; t2 created
// Jan, open; t3 created Feb, resolved Feb; t4 created Feb with an
// unreadable resolved_at (out of the backlog, counted); t5 bad created_at.
func TestTicketsBacklogByHand(t *testing.T) {
	t.Parallel()
	out := run(t, `{"kind":"tickets","columns":{"created_at":"c","resolved_at":"r"}}`,
		"c,r\n2024-01-10T00:00:00Z,2024-02-02T00:00:00Z\n2024-01-20T00:00:00Z,\n2024-02-01T00:00:00Z,2024-02-03T00:00:00Z\n2024-02-05T00:00:00Z,pending\nsoon,\n")
	for month, want := range map[string]int64{"2024-01": 2, "2024-02": 2} {
		if got := get(out, "volume_by_month", month, "value"); got != want {
			t.Errorf("volume %s = %v, want %d", month, got, want)
		}
	}
	// End of January: t1 (resolved in Feb) and t2 (open). End of February: t2 only.
	for month, want := range map[string]int64{"2024-01": 2, "2024-02": 1} {
		if got := get(out, "backlog_at_month_end", month, "value"); got != want {
			t.Errorf("backlog %s = %v, want %d", month, got, want)
		}
	}
	if got := get(out, "backlog_at_month_end", "2024-01", "as_of"); got != "2024-02-01T00:00:00Z" {
		t.Errorf("as_of = %v", got)
	}
	if got := get(out, "excluded", "created_at", "bad_timestamp"); got != int64(1) {
		t.Errorf("bad created_at counted %v times, want 1", got)
	}
	if got := get(out, "overall", "art_hours", "n"); got != int64(2) {
		t.Errorf("ART n = %v, want 2", got)
	}
}

// Months listed in a plan are reported even when empty: a zero count with
// the Garwood interval [0, 3.689] (metrics.md §4.5).
func TestEmptyMonthsReported(t *testing.T) {
	t.Parallel()
	out := run(t, `{"kind":"events","columns":{"user_id":"u","timestamp":"t"},"months":["2024-01","2024-02"]}`,
		"u,t\na,2024-01-05\nb,2024-01-06\na,2024-01-07\n")
	if got := get(out, "mau", "2024-01", "value"); got != int64(2) {
		t.Errorf("MAU Jan = %v, want 2", got)
	}
	if got := get(out, "mau", "2024-02", "value"); got != int64(0) {
		t.Errorf("MAU Feb = %v, want 0", got)
	}
	if hi, _ := get(out, "mau", "2024-02", "ci", "hi").(float64); hi < 3.688 || hi > 3.690 {
		t.Errorf("Garwood upper bound at k=0 = %v, want 3.689", hi)
	}
}

// When E − N falls outside [0, S] the CRR is not a proportion: the value
// is reported with no interval and a note, never a fake interval.
func TestCustomersCRROutsideProportion(t *testing.T) {
	t.Parallel()
	// S = 0 (nobody before the period) → CRR undefined.
	out := run(t, `{"kind":"customers","columns":{"subscribed_at":"s","cancelled_at":"x"},"periods":[{"label":"Q1","start":"2024-01-01","end":"2024-04-01"}]}`,
		"s,x\n2024-02-01,\n2024-03-01,2024-03-15\n")
	if got := get(out, "periods", "Q1", "crr", "ci"); got != nil {
		t.Errorf("CRR interval with S = 0: %v", got)
	}
	if got := get(out, "periods", "Q1", "N"); got != int64(2) {
		t.Errorf("N = %v, want 2", got)
	}
	if got := get(out, "periods", "Q1", "N_cancelled_in_period"); got != int64(1) {
		t.Errorf("N cancelled in period = %v, want 1", got)
	}
}

// A segment column with more distinct values than MaxSegmentValues pools
// the rest in "(other)" and says so, rather than growing without bound.
func TestSegmentCap(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString("id,nps\n")
	for i := 0; i < metric.MaxSegmentValues+50; i++ {
		b.WriteString("u")
		b.WriteString(strings.Repeat("x", i%7))
		b.WriteString(itoa(i))
		b.WriteString(",9\n")
	}
	p, _ := plan.Parse(strings.NewReader(`{"kind":"survey","metrics":{"nps":{"column":"nps"}},"segments":["id"]}`))
	src, _ := ingest.OpenCSV(strings.NewReader(b.String()), ingest.Options{})
	acc, err := metric.New(p, "t.csv", src.Header())
	if err != nil {
		t.Fatal(err)
	}
	for {
		bt, err := src.Next()
		if err != nil {
			break
		}
		acc.Add(bt)
	}
	out, warnings := acc.Result()
	segs := get(out, "by_segment", "id").(metric.Object)
	if len(segs) != metric.MaxSegmentValues+1 {
		t.Errorf("%d segment values kept, want %d + (other)", len(segs), metric.MaxSegmentValues)
	}
	if got := get(segs, metric.OtherSegment, "nps", "n"); got != int64(50) {
		t.Errorf("(other) holds %v rows, want 50", got)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "pooled") {
		t.Errorf("warnings = %v", warnings)
	}
}

func itoa(i int) string {
	s := ""
	for {
		s = string(rune('0'+i%10)) + s
		i /= 10
		if i == 0 {
			return s
		}
	}
}
