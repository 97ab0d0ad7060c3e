package hostile

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"testing"
)

const root = "../.."

// TestCommittedCorpus: the files in testdata/hostile are exactly what
// Small makes (regenerate: go run ./scripts/hostile-gen -out
// testdata/hostile), and expected.json has one entry per file of the
// corpus, small and large, and no other.
func TestCommittedCorpus(t *testing.T) {
	dir := filepath.Join(root, "testdata/hostile")
	files, err := Small(root)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{}
	for _, f := range files {
		want[f.Name] = true
		got, err := os.ReadFile(filepath.Join(dir, f.Name))
		if err != nil {
			t.Errorf("%s: %v (regenerate: go run ./scripts/hostile-gen -out testdata/hostile)", f.Name, err)
			continue
		}
		if !bytes.Equal(got, f.Data) {
			t.Errorf("%s: the committed file differs from the generator's (%d vs %d bytes)", f.Name, len(got), len(f.Data))
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if n := e.Name(); !want[n] && n != "expected.json" && n != "expected.mjs" && n != "README.md" {
			t.Errorf("%s: in testdata/hostile, not made by the generator", n)
		}
	}

	b, err := os.ReadFile(filepath.Join(dir, "expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Files []struct {
			File  string
			Large bool
		}
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, n := range LargeNames {
		want[n] = true
	}
	seen := map[string]bool{}
	for _, f := range m.Files {
		isLarge := false
		for _, n := range LargeNames {
			isLarge = isLarge || n == f.File
		}
		if !want[f.File] || seen[f.File] || f.Large != isLarge {
			t.Errorf("expected.json: %s: unknown, repeated, or large=%v wrongly", f.File, f.Large)
		}
		seen[f.File] = true
	}
	var missing []string
	for n := range want {
		if !seen[n] {
			missing = append(missing, n)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("expected.json has no outcome for %q", missing)
	}
}

// TestParquetSurgery: decoding and encoding the base file's footer gives
// its bytes back, and a spliced page header keeps every offset after it
// pointing at the same bytes.
func TestParquetSurgery(t *testing.T) {
	base, err := os.ReadFile(filepath.Join(root, ParquetBase))
	if err != nil {
		t.Fatal(err)
	}
	p, err := parseParquet(base)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(p.bytes(), base) {
		t.Fatal("footer round trip changed the file")
	}
	last := p.chunks(len(p.meta.get(fmRowGroups).items) - 1)
	cc := last[len(last)-1]
	before := p.data[chunkStart(cc):]
	pg, err := p.firstDataPage(p.chunks(0)[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := p.setPageField(pg, phUncompressed, 2_000_000_000); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(p.data[chunkStart(cc):], before) {
		t.Error("the last column chunk moved off its bytes")
	}
	q, err := parseParquet(p.bytes())
	if err != nil {
		t.Fatal(err)
	}
	pg2, err := q.firstDataPage(q.chunks(0)[0])
	if err != nil || pg2.header.get(phUncompressed).i != 2_000_000_000 {
		t.Errorf("the edited page header reads back as %v, %v", pg2.header.get(phUncompressed), err)
	}
}
