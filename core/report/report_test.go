package report_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cxaudit/cxaudit/core/engine"
	"github.com/cxaudit/cxaudit/core/ingest"
	"github.com/cxaudit/cxaudit/core/plan"
	"github.com/cxaudit/cxaudit/core/report"
)

var update = flag.Bool("update", false, "rewrite golden files")

func TestSafeCell(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"},
		{"+1+2", "'+1+2"},
		{"-2+3", "'-2+3"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\tcmd", "'\tcmd"},
		{"\rcmd", "'\rcmd"},
		{"-12.5", "-12.5"},
		{"+3", "+3"},
		{"-1e-05", "-1e-05"},
		{"-1.5E+06", "-1.5E+06"},
		{"-.5", "-.5"},
		{"-5.", "-5."},
		{"-Inf", "'-Inf"},
		{"+NaN", "'+NaN"},
		{"-infinity", "'-infinity"},
		{"-0x1p3", "'-0x1p3"},
		{"-0x_1p0", "'-0x_1p0"},
		{"-1e", "'-1e"},
		{"-.", "'-."},
		{"-", "'-"},
		{"+1+2", "'+1+2"},
		{"-1.2.3", "'-1.2.3"},
		{"email", "email"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := report.SafeCell(tt.in); got != tt.want {
			t.Errorf("SafeCell(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// analyze runs a CSV through the engine with its oracle plan.
func analyze(t *testing.T, csvPath, planPath string) report.Object {
	t.Helper()
	f, err := os.Open(planPath)
	if err != nil {
		t.Fatal(err)
	}
	p, err := plan.Parse(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	src, err := ingest.OpenCSV(bytes.NewReader(data), engine.ReaderOptions(filepath.Base(csvPath), p))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := engine.Run(src, p, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./core/report -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from %s; rerun with -update and review the diff\n--- got ---\n%s", name, path, got)
	}
}

// TestRenderings keeps the CSV, Markdown and table renderings of two
// oracle cases as golden files, and checks the JSON is deterministic.
func TestRenderings(t *testing.T) {
	for _, name := range []string{"survey_n3", "events_main"} {
		doc := analyze(t, "../../testdata/oracle/"+name+".csv", "../../testdata/oracle/"+name+".spec.json")
		csv, err := report.CSV(doc)
		if err != nil {
			t.Fatal(err)
		}
		golden(t, name+".csv", csv)
		golden(t, name+".md", report.Markdown(doc))
		golden(t, name+".txt", report.Table(doc))
		a, _ := report.JSON(doc)
		b, _ := report.JSON(analyze(t, "../../testdata/oracle/"+name+".csv", "../../testdata/oracle/"+name+".spec.json"))
		if !bytes.Equal(a, b) {
			t.Errorf("%s: JSON differs between two runs", name)
		}
		if !strings.HasSuffix(string(a), "}\n") {
			t.Errorf("%s: JSON must end in a newline", name)
		}
	}
}

// TestInjectionInData puts formula and HTML payloads into segment values
// and checks the CSV escapes them and Markdown shows them as text.
func TestInjectionInData(t *testing.T) {
	t.Parallel()
	csvData := "id,nps,channel\n1,9,=cmd|'/c calc'!A1\n2,3,<img src=x onerror=alert(1)>\n3,10,@SUM(1)\n"
	p, err := plan.Parse(strings.NewReader(`{"kind":"survey","metrics":{"nps":{"column":"nps"}},"segments":["channel"]}`))
	if err != nil {
		t.Fatal(err)
	}
	src, err := ingest.OpenCSV(strings.NewReader(csvData), engine.ReaderOptions("inj.csv", p))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := engine.Run(src, p, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	out, _ := report.CSV(doc)
	for _, line := range strings.Split(string(out), "\n") {
		for _, cell := range strings.Split(line, ",") {
			cell = strings.TrimPrefix(cell, `"`)
			if len(cell) > 0 && strings.ContainsRune("=+@\t\r", rune(cell[0])) {
				t.Errorf("unescaped formula cell %q in line %q", cell, line)
			}
		}
	}
	md := string(report.Markdown(doc))
	if strings.Contains(md, "<img") {
		t.Errorf("Markdown holds raw HTML:\n%s", md)
	}
}
