package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/cxaudit/cxaudit/internal/hostile"
)

// hostileDir holds the committed hostile corpus and expected.json, the
// outcome written down for every file (small and large) that all three
// hosts are held to.
const hostileDir = "../../testdata/hostile"

type hostileCase struct {
	File     string         `json:"file"`
	Large    bool           `json:"large"`
	What     string         `json:"what"`
	Error    string         `json:"error"`
	Result   map[string]any `json:"result"`
	Warnings []string       `json:"warnings"`
}

func loadHostile(t *testing.T) []hostileCase {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(hostileDir, "expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct{ Files []hostileCase }
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m.Files
}

// lookup follows a path of "/"-separated keys (array indexes as numbers)
// through a decoded JSON document; "#path" is the number of keys or items
// at path.
func lookup(doc any, path string) (any, bool) {
	count := strings.HasPrefix(path, "#")
	path = strings.TrimPrefix(path, "#")
	v := doc
	for _, k := range strings.Split(path, "/") {
		switch x := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = x[k]; !ok {
				return nil, false
			}
		case []any:
			i, err := strconv.Atoi(k)
			if err != nil || i < 0 || i >= len(x) {
				return nil, false
			}
			v = x[i]
		default:
			return nil, false
		}
	}
	if count {
		switch x := v.(type) {
		case map[string]any:
			return float64(len(x)), true
		case []any:
			return float64(len(x)), true
		}
		return nil, false
	}
	return v, true
}

// checkHostileResult compares a result document with a case's result and
// warnings; it returns the differences.
func checkHostileResult(doc map[string]any, c hostileCase) []string {
	var diffs []string
	for path, want := range c.Result {
		got, ok := lookup(doc, path)
		if !ok {
			diffs = append(diffs, fmt.Sprintf("%s: missing, want %v", path, want))
		} else if !reflect.DeepEqual(got, want) {
			diffs = append(diffs, fmt.Sprintf("%s: %v, want %v", path, got, want))
		}
	}
	ws, _ := doc["warnings"].([]any)
	if len(ws) != len(c.Warnings) {
		diffs = append(diffs, fmt.Sprintf("%d warnings %q, want %d", len(ws), ws, len(c.Warnings)))
	} else {
		for i, w := range c.Warnings {
			if s, _ := ws[i].(string); !strings.Contains(s, w) {
				diffs = append(diffs, fmt.Sprintf("warning %d %q does not contain %q", i, s, w))
			}
		}
	}
	return diffs
}

// TestHostile runs `cxaudit analyze FILE` (no plan) on every file of the
// hostile corpus: a bad file exits 1 with one line naming the file (and
// row and column where they apply) and the expected message, never a
// trace; a readable one exits 0 with the expected counts and warnings. The
// large files are written to a temporary directory first (about 90 MB;
// skipped with -short). The test ending at all shows there is no hang.
func TestHostile(t *testing.T) {
	cases := loadHostile(t)
	if len(cases) < 20 {
		t.Fatalf("%d cases in expected.json", len(cases))
	}
	var large string
	if !testing.Short() {
		large = t.TempDir()
		if err := hostile.WriteLarge(large); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range cases {
		t.Run(c.File, func(t *testing.T) {
			dir := hostileDir
			if c.Large {
				if large == "" {
					t.Skip("large file; -short")
				}
				dir = large
			}
			path := filepath.Join(dir, c.File)
			code, stdout, stderr := runCLI("", "analyze", path)
			if strings.Contains(stderr, "goroutine ") || strings.Contains(stderr, "panic") || strings.Contains(stderr, "internal error") {
				t.Fatalf("a crash reached the user: %s", stderr)
			}
			if c.Result == nil {
				if code != 1 || stdout != "" {
					t.Fatalf("exit %d, %d bytes of output; want exit 1 and none (stderr %q)", code, len(stdout), stderr)
				}
				if strings.Count(stderr, "\n") != 1 || !strings.HasSuffix(stderr, "\n") {
					t.Errorf("the message is not one line: %q", stderr)
				}
				if want := "cxaudit: " + path + ": " + c.Error; !strings.HasPrefix(stderr, want) {
					t.Errorf("stderr %q\nwant it to start %q", stderr, want)
				}
				return
			}
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			var doc map[string]any
			if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
				t.Fatal(err)
			}
			for _, d := range checkHostileResult(doc, c) {
				t.Error(d)
			}
		})
	}
}
