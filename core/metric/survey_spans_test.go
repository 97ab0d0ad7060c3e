package metric

import "testing"

// TestCellKernelsStopAtBadSpans: the kernels (assembly on amd64 and in
// wasm) check each span against the buffer they may read, so a cell that
// ends past the data, ends before it starts or is marked quoted (a
// negative start) stops them at its row (the Go loops stop there too, and
// the caller's Go decides it), and they read nothing outside.
func TestCellKernelsStopAtBadSpans(t *testing.T) {
	var tab scoreTable
	for c := range tab.one {
		tab.one[c] = 1
	}
	var c shortCache[int32]
	g := int32(5)
	w, _ := cellWord([]byte("web"))
	c.put(w, 3, &g)
	// The cell one byte past the data, were it read, is in the cache too.
	g4 := int32(6)
	w4, _ := cellWord([]byte("webw"))
	c.put(w4, 4, &g4)
	// Each buffer is a good cell in the middle of a slice whose memory
	// before and after holds good cells too.
	scores := []byte("777")[1:2]
	segments := []byte("webwebwebwebweb")[3:6]
	for _, bad := range []struct {
		name          string
		score, segent uint64
	}{
		{"one past the data", 2 << 32, 4 << 32},
		{"far past the data", 1 << 62, 1 << 62},
		{"before its start", 1, 2},
		{"quoted", 1<<32 - 1 | 0<<32, 1<<32 - 3 | 0<<32}, // start -1 (-3), end 0: the cell just before the data
	} {
		out := make([]int32, 3)
		for f, sp := range []func() (int, bool){
			func() (int, bool) {
				i := tableSlotsSpans(&tab, scores, []uint64{1 << 32, bad.score, 1 << 32}, 0, out)
				return i, out[0] == 1 && out[1] == 0
			},
			func() (int, bool) {
				i := shortGroupsSpans(&c, segments, []uint64{3 << 32, bad.segent, 3 << 32}, 0, out)
				return i, out[0] == 5 && out[1] == 0
			},
		} {
			clear(out)
			if i, ok := sp(); i != 1 || !ok {
				t.Errorf("kernel %d, a span %s: stopped at row %d (out %v), want 1", f, bad.name, i, out)
			}
		}
	}
}
