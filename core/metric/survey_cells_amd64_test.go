//go:build amd64 && !purego

package metric

import "testing"

// TestCellKernelsStopAtBadEnds: the amd64 kernels check each cell against
// the data they may read, so a cell that ends past the data or before it
// starts stops them at its row (the Go loops would panic there, and so
// does the caller's Go on that row), and they read nothing outside.
func TestCellKernelsStopAtBadEnds(t *testing.T) {
	var tab scoreTable
	for c := range tab.one {
		tab.one[c] = 1
	}
	var c shortCache[int32]
	g := int32(5)
	w, _ := cellWord([]byte("web"))
	c.put(w, 3, &g)
	scores := []byte("7")
	segments := append(make([]byte, 0, 16), "web"...)
	for _, bad := range []struct {
		name string
		end  int32
	}{{"one past the data", 2}, {"far past the data", 1 << 30}, {"before its start", 0}, {"negative", -5}} {
		out := make([]int32, 3)
		if i, _ := tableSlots(&tab, scores, []int32{1, bad.end, 1}, 0, 0, out); i != 1 || out[0] != 1 {
			t.Errorf("tableSlots, an end %s: stopped at row %d (slots %v), want 1", bad.name, i, out)
		}
		out = make([]int32, 3)
		if i, _ := shortGroups(&c, segments, []int32{3, bad.end, 3}, 0, 0, out); i != 1 || out[0] != 5 {
			t.Errorf("shortGroups, an end %s: stopped at row %d (groups %v), want 1", bad.name, i, out)
		}
	}
}
