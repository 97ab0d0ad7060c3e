package detect_test

import (
	"fmt"

	"github.com/cxaudit/cxaudit/core/detect"
	"github.com/cxaudit/cxaudit/core/ingest"
	"github.com/cxaudit/cxaudit/core/plan"
)

func ExampleDetect() {
	s := detect.Sample{
		Header: []string{"respondent_id", "submitted_at", "channel", "nps_ltr", "csat"},
		Columns: [][]string{
			{"r1", "r2", "r3", "r4", "r5", "r6"},
			{"2024-03-01T10:00:00Z", "2024-03-02T11:00:00Z", "2024-03-02T12:00:00Z", "2024-03-04T09:30:00Z", "2024-03-05T16:00:00Z", "N/A"},
			{"email", "web", "email", "web", "email", "web"},
			{"10", "9", "7", "3", "8", "11"},
			{"5", "4", "4", "2", "5", "3"},
		},
		Info:   ingest.Info{Delimiter: ",", Encoding: "utf-8"},
		Format: "csv",
	}
	p, err := detect.Detect(s)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.Kind, p.Columns, p.Segments)
	for _, m := range plan.SurveyMetricOrder {
		if mm, ok := p.Metrics[m]; ok {
			fmt.Println(m, mm.Column, mm.Scale, mm.TopBox)
		}
	}
	fmt.Println(p.Detected["nps_ltr"].Why)
	// Output:
	// survey map[id:respondent_id timestamp:submitted_at] [channel]
	// nps nps_ltr [] []
	// csat csat [1 5] [4 5]
	// header "nps_ltr" matches Net Promoter Score; 83% of values are integers 0–10 (3–10 seen)
}

func ExampleMerge() {
	detected := &plan.Plan{Kind: plan.KindSurvey, Columns: map[string]string{"timestamp": "submitted_at"},
		Metrics: map[string]plan.Metric{"nps": {Column: "nps_ltr"}, "cx_rating": {Column: "rating", Scale: []int{1, 10}}}}
	user := &plan.Plan{Metrics: map[string]plan.Metric{"nps": {Column: "rating"}}}
	p := detect.Merge(detected, user)
	fmt.Println(p.Kind, p.Metrics)
	// Output:
	// survey map[nps:{rating [] [] 0}]
}
