package plan

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseOracleSpecs(t *testing.T) {
	t.Parallel()
	specs, _ := filepath.Glob("../../testdata/oracle/*.spec.json")
	if len(specs) == 0 {
		t.Fatal("no oracle specs")
	}
	for _, s := range specs {
		f, err := os.Open(s)
		if err != nil {
			t.Fatal(err)
		}
		p, err := Parse(f)
		f.Close()
		if err != nil {
			t.Errorf("%s: %v", s, err)
			continue
		}
		if p.Confidence != 0.95 || p.Bootstrap == nil || p.Bootstrap.NResamples != 9999 {
			t.Errorf("%s: defaults not applied: %+v", s, p)
		}
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{`{`, "not a valid plan document"},
		{`{}`, `"kind" is missing`},
		{`{"kind":"sales"}`, `unknown kind "sales"`},
		{`{"kind":"survey","confidence":1.5}`, "not between 0 and 1"},
		{`{"kind":"survey","metrics":{"nps":{}}}`, `metric "nps" has no column`},
		{`{"kind":"survey","metrics":{"foo":{"column":"x"}}}`, `unknown metric "foo"`},
		{`{"kind":"survey","metrics":{"csat":{"column":"x","scale":[5,1]}}}`, "min < max"},
		{`{"kind":"survey","timestamp_formats":{"t":"yyyy"}}`, "must be iso, dmy or mdy"},
		{`{"kind":"survey","csv":{"decimal":";"}}`, "decimal"},
	}
	for _, tt := range tests {
		_, err := Parse(strings.NewReader(tt.in))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Parse(%s) error %v; want it to contain %q", tt.in, err, tt.want)
		}
	}
}

func TestNormalizeDefaults(t *testing.T) {
	t.Parallel()
	p, err := Parse(strings.NewReader(`{"kind":"survey","metrics":{"csat":{"column":"c"},"ces":{"column":"e"},"nps":{"column":"n","scale":[1,5]}},"_notes":"ignored","_detected":{"x":{"role":"id"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Metrics["csat"]; got.Scale[0] != 1 || got.Scale[1] != 5 || got.TopBox[0] != 4 || got.TopBox[1] != 5 {
		t.Errorf("csat defaults: %+v", got)
	}
	if got := p.Metrics["ces"]; got.Scale[1] != 7 || got.AgreeMin != 5 {
		t.Errorf("ces defaults: %+v", got)
	}
	if got := p.Metrics["nps"]; got.Scale[0] != 0 || got.Scale[1] != 10 {
		t.Errorf("nps scale must be 0–10 whatever the plan says: %+v", got)
	}
	if p.Detected != nil {
		t.Error("_detected must be ignored on input")
	}
	if !p.DoByMonth() || p.SkipRows() != -1 {
		t.Error("by_month defaults to true and skip rows to detection")
	}
}

func FuzzPlan(f *testing.F) {
	specs, _ := filepath.Glob("../../testdata/oracle/*.spec.json")
	for _, s := range specs {
		if b, err := os.ReadFile(s); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"kind":"customers","periods":[{"label":"x","start":"2024","end":"x"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Parse(strings.NewReader(string(data)))
		if err == nil && p.Kind == "" {
			t.Fatal("a plan without kind was accepted")
		}
	})
}
