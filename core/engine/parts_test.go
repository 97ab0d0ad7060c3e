package engine

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/cxaudit/cxaudit/core/ingest"
	"github.com/cxaudit/cxaudit/core/plan"
	"github.com/cxaudit/cxaudit/core/report"
)

// onePass is the reference: Run over the whole file.
func onePass(t *testing.T, data []byte, name string, p *plan.Plan) ([]byte, error) {
	t.Helper()
	src, err := ingest.Open(name, bytes.NewReader(data), int64(len(data)), ReaderOptions(name, p))
	if err != nil {
		return nil, err
	}
	doc, err := Run(src, p, 0, nil)
	if err != nil {
		return nil, err
	}
	return report.JSON(doc)
}

func inParts(t *testing.T, data []byte, name string, p *plan.Plan, workers int) ([]byte, error) {
	t.Helper()
	doc, err := RunParallel(bytes.NewReader(data), int64(len(data)), name, p, 0, workers, nil)
	if err != nil {
		return nil, err
	}
	return report.JSON(doc)
}

// TestPartsEqualOnePass: every oracle case, as CSV and as Parquet, with and
// without its plan, read in 1, 2 and 5 parts (parts of a few hundred bytes), gives
// the one pass's document byte for byte; so does an export whose comments
// hold quoted line breaks, delimiters and doubled quotes.
func TestPartsEqualOnePass(t *testing.T) {
	defer func(m int64) { MinPartBytes = m }(MinPartBytes)
	MinPartBytes = 300
	type input struct {
		name string
		data []byte
		plan *plan.Plan
	}
	var inputs []input
	specs, _ := filepath.Glob(filepath.Join(oracleDir, "*.spec.json"))
	for _, spec := range specs {
		base := strings.TrimSuffix(spec, ".spec.json")
		p := loadPlan(t, spec)
		for _, ext := range []string{".csv", ".parquet"} {
			data, err := os.ReadFile(base + ext)
			if err != nil {
				continue
			}
			inputs = append(inputs, input{filepath.Base(base) + ext, data, p}, input{filepath.Base(base) + ext + " (detected)", data, nil})
		}
	}
	bp, err := plan.Parse(strings.NewReader(benchPlan))
	if err != nil {
		t.Fatal(err)
	}
	inputs = append(inputs, input{"survey_quoted.csv", surveyCSV(3000), bp})
	// A quote never closed near the end: the error of one pass, naming
	// its line (the parts give way to a whole read).
	broken := append(surveyCSV(3000), "r9,2024-01-01T00:00:00Z,email,NA,5,3,4,\"never closed\n"...)
	inputs = append(inputs, input{"survey_broken.csv", broken, bp})
	// More than MaxSegmentValues regions: which values keep a group
	// depends on the order of rows, so the parts give way to one pass.
	var many bytes.Buffer
	many.WriteString("respondent_id,submitted_at,channel,region,nps,csat,ces,comment\n")
	for i := 0; i < 2500; i++ {
		fmt.Fprintf(&many, "r%d,2024-03-01T10:00:00Z,web,region%d,%d,%d,%d,\n", i, (i*7919)%1700, i%11, 1+i%5, 1+i%7)
	}
	inputs = append(inputs, input{"survey_many_regions.csv", many.Bytes(), bp})
	for _, in := range inputs {
		name := strings.TrimSuffix(in.name, " (detected)")
		want, wantErr := onePass(t, in.data, name, clonePlan(t, in.plan))
		for _, workers := range []int{1, 2, 5} {
			if in.plan == nil && workers == 1 {
				continue
			}
			got, err := inParts(t, in.data, name, clonePlan(t, in.plan), workers)
			if fmt.Sprint(err) != fmt.Sprint(wantErr) {
				t.Fatalf("%s, %d workers: error %v, one pass %v", in.name, workers, err, wantErr)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("%s, %d workers: document differs from one pass\n got %.600s\nwant %.600s", in.name, workers, got, want)
			}
		}
	}
}

// clonePlan gives each run its own copy (Normalize fills plans in).
func clonePlan(t *testing.T, p *plan.Plan) *plan.Plan {
	t.Helper()
	if p == nil {
		return nil
	}
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	q, err := plan.Parse(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return q
}

// TestPreparedTravelsAsJSON: the browser hands Prepared, Part and
// PartResult between Web Workers as JSON; they must come back equal.
func TestPreparedTravelsAsJSON(t *testing.T) {
	defer func(m int64) { MinPartBytes = m }(MinPartBytes)
	MinPartBytes = 300
	for _, name := range []string{"survey_qualtrics_export.csv", "tickets_main.csv", "events_main.parquet"} {
		data, err := os.ReadFile(filepath.Join(oracleDir, name))
		if err != nil {
			t.Fatal(err)
		}
		r := bytes.NewReader(data)
		prep, err := Prepare(r, int64(len(data)), name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		var back Prepared
		roundTrip(t, prep, &back)
		if !reflect.DeepEqual(&back, prep) {
			t.Fatalf("%s: Prepared changed through JSON:\n%+v\n%+v", name, back, *prep)
		}
		for _, part := range prep.Split(3) {
			res, err := RunPart(r, &back, part, nil)
			if err != nil {
				t.Fatal(err)
			}
			var res2 PartResult
			roundTrip(t, res, &res2)
			if !reflect.DeepEqual(&res2, res) {
				t.Fatalf("%s: PartResult changed through JSON", name)
			}
		}
	}
}

func roundTrip(t *testing.T, v, out any) {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, out); err != nil {
		t.Fatal(err)
	}
}
