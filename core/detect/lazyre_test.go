package detect

import (
	"regexp"
	"testing"
)

// TestPatternsCompile compiles every name pattern, since they compile
// lazily and a typo would otherwise surface only on some header.
func TestPatternsCompile(t *testing.T) {
	if len(allPatterns) < 20 {
		t.Fatalf("only %d patterns registered", len(allPatterns))
	}
	for _, p := range allPatterns {
		if _, err := regexp.Compile(p.expr); err != nil {
			t.Errorf("pattern %q: %v", p.expr, err)
		}
	}
}
