package detect

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/cxaudit/cxaudit/core/plan"
)

func detectCase(t *testing.T, name string, skip int) *plan.Plan {
	t.Helper()
	data, err := readTestdata(name + ".csv")
	if err != nil {
		t.Fatal(err)
	}
	p, err := Detect(readSample(t, data, ',', skip, ""))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// parsePlan decodes a partial user plan as a host holds it before
// normalizing (plan.Parse would also require a kind and fill defaults).
func parsePlan(t *testing.T, doc string) *plan.Plan {
	t.Helper()
	var p plan.Plan
	if err := json.Unmarshal([]byte(doc), &p); err != nil {
		t.Fatal(err)
	}
	return &p
}

func TestMerge(t *testing.T) {
	t.Parallel()
	detected := detectCase(t, "survey_main", 0)
	before := clonePlan(detected)

	tests := []struct {
		name  string
		user  string
		check func(t *testing.T, m *plan.Plan)
	}{
		{"empty user plan keeps detection", `{"kind":"survey"}`, func(t *testing.T, m *plan.Plan) {
			if !reflect.DeepEqual(m.Metrics, detected.Metrics) || !slices.Equal(m.Segments, detected.Segments) || !reflect.DeepEqual(m.Columns, detected.Columns) {
				t.Errorf("merged %+v", m)
			}
		}},
		{"user metric column wins and frees the detected one", `{"kind":"survey","metrics":{"nps":{"column":"cx_rating"}}}`, func(t *testing.T, m *plan.Plan) {
			if m.Metrics["nps"].Column != "cx_rating" {
				t.Errorf("nps %+v", m.Metrics["nps"])
			}
			if _, ok := m.Metrics["cx_rating"]; ok {
				t.Error("cx_rating column now feeds nps: the detected cx_rating metric must go")
			}
			if d := m.Detected["cx_rating"]; d.Role != "nps" || d.Confidence != 1 {
				t.Errorf("detected entry %+v", d)
			}
			if _, ok := m.Detected["nps_ltr"]; ok {
				t.Error("nps_ltr no longer has a role")
			}
		}},
		{"partial metric keeps detected scale on the same column", `{"metrics":{"ces":{"column":"ces","agree_min":6}}}`, func(t *testing.T, m *plan.Plan) {
			if got := m.Metrics["ces"]; got.AgreeMin != 6 || !slices.Equal(got.Scale, []int{1, 7}) {
				t.Errorf("ces %+v", got)
			}
		}},
		{"null metric removes it", `{"metrics":{"cx_rating":null}}`, func(t *testing.T, m *plan.Plan) {
			if _, ok := m.Metrics["cx_rating"]; ok {
				t.Error("cx_rating still there")
			}
		}},
		{"segments replace as a whole", `{"segments":["region"],"compare":[{"by":"region","a":"NA","b":"EMEA"}]}`, func(t *testing.T, m *plan.Plan) {
			if !slices.Equal(m.Segments, []string{"region"}) || len(m.Compare) != 1 {
				t.Errorf("segments %v compare %v", m.Segments, m.Compare)
			}
			if _, ok := m.Detected["channel"]; ok {
				t.Error("channel is no longer a segment")
			}
		}},
		{"empty segments mean none", `{"segments":[]}`, func(t *testing.T, m *plan.Plan) {
			if m.Segments == nil || len(m.Segments) != 0 {
				t.Errorf("segments %v", m.Segments)
			}
		}},
		{"role given to a segment column leaves the segments", `{"columns":{"id":"channel"}}`, func(t *testing.T, m *plan.Plan) {
			if slices.Contains(m.Segments, "channel") || m.Columns["id"] != "channel" {
				t.Errorf("segments %v columns %v", m.Segments, m.Columns)
			}
		}},
		{"csv and scalars per field", `{"confidence":0.9,"by_month":false,"csv":{"delimiter":";"},"timestamp_formats":{"submitted_at":"dmy"}}`, func(t *testing.T, m *plan.Plan) {
			if m.Confidence != 0.9 || m.DoByMonth() || m.CSV.Delimiter != ";" || m.CSV.Encoding != detected.CSV.Encoding || m.Format("submitted_at") != plan.FormatDMY {
				t.Errorf("merged %+v csv %+v", m, m.CSV)
			}
		}},
		{"another kind drops what does not fit it", `{"kind":"events","columns":{"user_id":"respondent_id"}}`, func(t *testing.T, m *plan.Plan) {
			if m.Kind != plan.KindEvents || m.Metrics != nil || len(m.Segments) != 0 || m.ByMonth != nil {
				t.Errorf("merged %+v", m)
			}
			want := map[string]string{"user_id": "respondent_id", "timestamp": "submitted_at"}
			if !reflect.DeepEqual(m.Columns, want) {
				t.Errorf("columns %v, want %v", m.Columns, want)
			}
			for col, d := range m.Detected {
				if d.Role != "user_id" && d.Role != "timestamp" {
					t.Errorf("stale detected entry %q: %+v", col, d)
				}
			}
		}},
		{"a role mapped to nothing", `{"columns":{"id":""}}`, func(t *testing.T, m *plan.Plan) {
			if c, ok := m.Columns["id"]; !ok || c != "" {
				t.Errorf("columns %v", m.Columns)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			user := parsePlan(t, tt.user)
			userCopy := clonePlan(user)
			m := Merge(detected, user)
			tt.check(t, m)
			if !reflect.DeepEqual(detected, before) || !reflect.DeepEqual(user, userCopy) {
				t.Error("Merge modified an input")
			}
			if m.Kind != plan.KindEvents {
				if err := clonePlan(m).Normalize(); err != nil {
					t.Errorf("merged plan does not normalize: %v", err)
				}
			}
		})
	}
}

// TestMergeParsed merges a plan as the CLI reads it: plan.Parse has filled
// defaults (scale, bootstrap), which then count as given.
func TestMergeParsed(t *testing.T) {
	t.Parallel()
	detected := detectCase(t, "survey_qualtrics_export", 2)
	user, err := plan.Parse(strings.NewReader(`{"kind":"survey","metrics":{"csat":{"column":"Q2"}},"compare":[{"by":"UserLanguage","a":"DE","b":"EN"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	m := Merge(detected, user)
	if m.Metrics["nps"].Column != "Q1" || m.Metrics["csat"].Column != "Q2" || len(m.Compare) != 1 || m.Bootstrap == nil {
		t.Errorf("merged %+v", m)
	}
	if err := m.Normalize(); err != nil {
		t.Fatal(err)
	}
}

func TestMergeNil(t *testing.T) {
	t.Parallel()
	d := detectCase(t, "tickets_main", 0)
	if m := Merge(d, nil); !reflect.DeepEqual(m, d) {
		t.Error("Merge(d, nil) must equal d")
	}
	u := &plan.Plan{Kind: plan.KindTickets, Columns: map[string]string{"created_at": "c"}}
	if m := Merge(nil, u); m.Kind != plan.KindTickets || m.Columns["created_at"] != "c" {
		t.Errorf("Merge(nil, u) = %+v", m)
	}
}
