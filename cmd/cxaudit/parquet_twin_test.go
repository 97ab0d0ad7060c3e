package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// TestParquetTwins: each oracle case also exists as Parquet, written by an
// independent writer (arrow-rs via npm parquet-wasm, see
// scripts/parquet-fixtures). Analysed with the same plan, a twin must give
// the same document as its CSV — every number, count and note — apart
// from "source", which describes the file.
func TestParquetTwins(t *testing.T) {
	found := 0
	for _, name := range oracleCases(t) {
		pq := filepath.Join(oracleDir, name+".parquet")
		if _, err := os.Stat(pq); err != nil {
			continue
		}
		found++
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			spec := filepath.Join(oracleDir, name+".spec.json")
			fromCSV := analyzeJSON(t, "--plan", spec, filepath.Join(oracleDir, name+".csv"))
			fromParquet := analyzeJSON(t, "--plan", spec, pq)
			if src, _ := fromParquet["source"].(map[string]any); src["format"] != "parquet" {
				t.Fatalf("source.format = %v, want parquet", src["format"])
			}
			for _, doc := range []map[string]any{fromCSV, fromParquet} {
				delete(doc, "source")
				delete(doc, "warnings")
			}
			if !reflect.DeepEqual(fromCSV, fromParquet) {
				a, _ := json.MarshalIndent(fromCSV, "", " ")
				b, _ := json.MarshalIndent(fromParquet, "", " ")
				t.Errorf("Parquet result differs from CSV result\n%s", firstDiff(string(a), string(b)))
			}
		})
	}
	if found < len(oracleCases(t)) {
		t.Errorf("only %d of %d oracle cases have a Parquet twin in %s", found, len(oracleCases(t)), oracleDir)
	}
}

// firstDiff shows the first differing line of two texts with context.
func firstDiff(a, b string) string {
	la, lb := splitLines(a), splitLines(b)
	for i := 0; i < len(la) && i < len(lb); i++ {
		if la[i] != lb[i] {
			lo := max(0, i-3)
			return "csv:     " + la[i] + "\nparquet: " + lb[i] + "\n(line " + itoa(i) + ", after " + la[lo] + ")"
		}
	}
	return "lengths differ"
}

func splitLines(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

func itoa(i int) string {
	b, _ := json.Marshal(i)
	return string(b)
}
