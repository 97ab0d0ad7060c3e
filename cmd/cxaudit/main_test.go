package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runCLI(stdin string, args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = run(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func writeTemp(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestExitCodes: 0 success, 2 usage, 1 bad input with a one-line message
// naming the file (and row and column where they apply), never a trace.
func TestExitCodes(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(content), 0o644)
		return p
	}
	empty := write("empty.csv", "")
	unterminated := write("quote.csv", "id,nps\n1,9\n2,\"8\n3,7\n")
	noMetric := write("nothing.csv", "alpha,beta\nx,y\nz,w\n")
	badPlan := write("bad.plan.json", `{"kind":"survey","metrics":{"nps":{"column":"missing"}}}`)
	good := write("good.csv", "id,nps\n1,9\n2,3\n3,10\n")
	tests := []struct {
		name     string
		args     []string
		code     int
		contains []string
	}{
		{"no args", nil, 2, []string{"usage"}},
		{"unknown command", []string{"frobnicate"}, 2, []string{`unknown command "frobnicate"`}},
		{"analyze without file", []string{"analyze"}, 2, []string{"one FILE"}},
		{"bad format", []string{"analyze", "--format", "xml", good}, 2, []string{`unknown format "xml"`}},
		{"bad confidence", []string{"analyze", "--confidence", "95", good}, 2, []string{"between 0 and 1"}},
		{"bad flag", []string{"analyze", "--nope", good}, 2, []string{"nope"}},
		{"missing file", []string{"analyze", filepath.Join(dir, "absent.csv")}, 1, []string{"absent.csv", "cannot open"}},
		{"empty file", []string{"analyze", empty}, 1, []string{"empty.csv", "empty"}},
		{"unterminated quote", []string{"analyze", unterminated}, 1, []string{"quote.csv", "row"}},
		{"nothing to detect", []string{"analyze", noMetric}, 1, []string{"nothing.csv"}},
		{"plan column missing", []string{"analyze", "--plan", badPlan, good}, 1, []string{"good.csv", `"missing"`, `"nps"`}},
		{"plan file missing", []string{"analyze", "--plan", filepath.Join(dir, "none.json"), good}, 1, []string{"none.json"}},
		{"unknown sample", []string{"sample", "sales"}, 2, []string{"sales"}},
		{"plan-size bad margin", []string{"plan-size", "--margin", "0"}, 2, []string{"margin"}},
	}
	for _, tt := range tests {
		code, _, stderr := runCLI("", tt.args...)
		if code != tt.code {
			t.Errorf("%s: exit %d, want %d (stderr %q)", tt.name, code, tt.code, stderr)
		}
		if strings.Contains(stderr, "goroutine ") || strings.Contains(stderr, "panic:") {
			t.Errorf("%s: a stack trace reached the user: %s", tt.name, stderr)
		}
		if code == 1 && strings.Count(strings.TrimRight(stderr, "\n"), "\n") != 0 {
			t.Errorf("%s: bad-input message is not one line: %q", tt.name, stderr)
		}
		for _, c := range tt.contains {
			if !strings.Contains(stderr, c) {
				t.Errorf("%s: stderr %q does not mention %q", tt.name, stderr, c)
			}
		}
	}
}

func TestSamplesAnalyseWithoutPlan(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"survey", "tickets", "customers", "events"} {
		code, csv, stderr := runCLI("", "sample", name)
		if code != 0 || len(csv) < 1000 {
			t.Fatalf("sample %s: exit %d, %d bytes, %s", name, code, len(csv), stderr)
		}
		code, out, stderr := runCLI(csv, "analyze", "-")
		if code != 0 {
			t.Fatalf("analyze sample %s from stdin: exit %d: %s", name, code, stderr)
		}
		var doc map[string]any
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatalf("sample %s: %v", name, err)
		}
		if doc["kind"] != name {
			t.Errorf("sample %s detected as %v", name, doc["kind"])
		}
		for _, f := range []string{"table", "csv", "md"} {
			if code, out, stderr := runCLI(csv, "analyze", "--format", f, "-"); code != 0 || len(out) == 0 {
				t.Errorf("sample %s --format %s: exit %d: %s", name, f, code, stderr)
			}
		}
	}
}

func TestDetectQualtrics(t *testing.T) {
	t.Parallel()
	code, out, stderr := runCLI("", "detect", filepath.Join(oracleDir, "survey_qualtrics_export.csv"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var p struct {
		Kind string `json:"kind"`
		CSV  struct {
			Skip int `json:"skip_rows_after_header"`
		} `json:"csv"`
		Metrics map[string]struct {
			Column string `json:"column"`
		} `json:"metrics"`
	}
	if err := json.Unmarshal([]byte(out), &p); err != nil {
		t.Fatal(err)
	}
	if p.Kind != "survey" || p.CSV.Skip != 2 {
		t.Errorf("kind %q, skip_rows_after_header %d; want survey, 2", p.Kind, p.CSV.Skip)
	}
	for metric, col := range map[string]string{"nps": "Q1", "csat": "Q2", "ces": "Q3"} {
		if p.Metrics[metric].Column != col {
			t.Errorf("metric %s on column %q, want %q", metric, p.Metrics[metric].Column, col)
		}
	}
}

func TestPlanSize(t *testing.T) {
	t.Parallel()
	code, out, stderr := runCLI("", "plan-size", "--metric", "nps", "--margin", "5")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var doc struct{ N int }
	json.Unmarshal([]byte(out), &doc)
	if doc.N < 1000 {
		t.Errorf("±5 NPS points at the worst case needs well over 1000 responses, got %d", doc.N)
	}
	code, out, _ = runCLI("", "plan-size", "--metric", "csat", "--margin", "5", "--p", "50")
	json.Unmarshal([]byte(out), &doc)
	// z²·p(1−p)/m² = 1.95996²·0.25/0.0025 = 384.1 → 385 (the textbook figure).
	if code != 0 || doc.N != 385 {
		t.Errorf("proportion ±5 points at p=50%%: n=%d, want 385", doc.N)
	}
}
