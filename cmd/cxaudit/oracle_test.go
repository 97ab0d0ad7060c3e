package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// The oracle cases (testdata/oracle, copied from ../shared/oracle/cases)
// hold CSVs, plans and the results of an independent Python reference on
// scipy 1.10.1 / statsmodels 0.13.5. `cxaudit analyze --plan NAME.spec.json
// --format json NAME.csv` must reproduce every number: analytic values
// within 1e-6, bootstrap bounds within 2 × their `tolerance` (the oracle's
// README explains why 2 ×), every count exact, null where the oracle has
// null.

const oracleDir = "../../testdata/oracle"

// analyticTol is the tolerance for analytic values (oracle README).
const analyticTol = 1e-6

// skipKeys are oracle bookkeeping, not results.
var skipKeys = map[string]bool{"_meta": true, "mc_sd_lo": true, "mc_sd_hi": true, "tolerance": true}

func oracleCases(t *testing.T) []string {
	t.Helper()
	specs, err := filepath.Glob(filepath.Join(oracleDir, "*.spec.json"))
	if err != nil || len(specs) == 0 {
		t.Fatalf("no oracle cases in %s", oracleDir)
	}
	var names []string
	for _, s := range specs {
		names = append(names, strings.TrimSuffix(filepath.Base(s), ".spec.json"))
	}
	return names
}

// analyzeJSON runs the CLI and decodes its JSON output.
func analyzeJSON(t *testing.T, args ...string) map[string]any {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(append([]string{"analyze", "--format", "json"}, args...), strings.NewReader(""), &out, &errb)
	if code != 0 {
		t.Fatalf("cxaudit analyze %v: exit %d: %s", args, code, errb.String())
	}
	var doc map[string]any
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatalf("output is not JSON: %v", err)
	}
	return doc
}

func TestOracleCases(t *testing.T) {
	for _, name := range oracleCases(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got := analyzeJSON(t, "--plan", filepath.Join(oracleDir, name+".spec.json"), filepath.Join(oracleDir, name+".csv"))
			raw, err := os.ReadFile(filepath.Join(oracleDir, name+".expected.json"))
			if err != nil {
				t.Fatal(err)
			}
			var want map[string]any
			if err := json.Unmarshal(raw, &want); err != nil {
				t.Fatal(err)
			}
			var diffs []string
			compareOracle("", want, got, 0, &diffs)
			if len(diffs) > 0 {
				if len(diffs) > 40 {
					diffs = append(diffs[:40], fmt.Sprintf("… and %d more", len(diffs)-40))
				}
				t.Errorf("%d differences from the oracle:\n%s", len(diffs), strings.Join(diffs, "\n"))
			}
		})
	}
}

// compareOracle checks every leaf of want against got. bootTol > 0 means
// the enclosing object is a bootstrap interval with that tolerance.
func compareOracle(path string, want, got any, bootTol float64, diffs *[]string) {
	fail := func(format string, args ...any) {
		*diffs = append(*diffs, path+": "+fmt.Sprintf(format, args...))
	}
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			fail("want an object, got %v", short(got))
			return
		}
		tol := bootTol
		if m, _ := w["method"].(string); strings.HasPrefix(m, "bootstrap_") {
			if t, ok := w["tolerance"].(float64); ok {
				tol = t
			}
		}
		keys := make([]string, 0, len(w))
		for k := range w {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if skipKeys[k] {
				continue
			}
			gv, ok := g[k]
			if !ok {
				*diffs = append(*diffs, path+"."+k+": missing")
				continue
			}
			compareOracle(path+"."+k, w[k], gv, tol, diffs)
		}
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			fail("want %d items, got %v", len(w), short(got))
			return
		}
		for i := range w {
			compareOracle(fmt.Sprintf("%s[%d]", path, i), w[i], g[i], bootTol, diffs)
		}
	case nil:
		if got != nil {
			fail("want null, got %v", short(got))
		}
	case float64:
		g, ok := got.(float64)
		if !ok {
			fail("want %v, got %v", w, short(got))
			return
		}
		leaf := path[strings.LastIndex(path, ".")+1:]
		tol := analyticTol
		if bootTol > 0 && (leaf == "lo" || leaf == "hi") {
			tol = 2 * bootTol
		}
		if math.Abs(w-g) > tol {
			fail("want %.12g, got %.12g (|diff| %.3g > %.3g)", w, g, math.Abs(w-g), tol)
		}
	case string:
		leaf := path[strings.LastIndex(path, ".")+1:]
		if leaf == "note" {
			if _, ok := got.(string); !ok {
				fail("want a note, got %v", short(got))
			}
			return
		}
		if got != w {
			fail("want %q, got %v", w, short(got))
		}
	case bool:
		if got != w {
			fail("want %v, got %v", w, short(got))
		}
	}
}

func short(v any) string {
	s := fmt.Sprint(v)
	if len(s) > 80 {
		s = s[:80] + "…"
	}
	return s
}
