package detect

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// goldenUsed records the golden files the run compared, so that TestMain
// can flag stale ones (a test renamed or removed leaves its golden behind).
var goldenUsed sync.Map

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	// Only a full run knows every golden that should exist.
	if code == 0 && flag.Lookup("test.run").Value.String() == "" && !testing.Short() {
		files, _ := filepath.Glob(filepath.Join("testdata", "golden", "*.json"))
		for _, f := range files {
			name := strings.TrimSuffix(filepath.Base(f), ".json")
			if _, ok := goldenUsed.Load(name); !ok {
				if *update {
					os.Remove(f)
					continue
				}
				fmt.Fprintf(os.Stderr, "stale golden file %s: no test uses it (go test ./core/detect -update removes it)\n", f)
				code = 1
			}
		}
	}
	os.Exit(code)
}
