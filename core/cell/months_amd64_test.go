//go:build amd64 && !purego

package cell

import "testing"

// TestKnownStopsAtBadEnds: knownAsm checks each cell against the data, so
// a cell that ends past the data or before it starts stops it at its row
// (knownGo would panic there, and so does Column's Go on that row).
func TestKnownStopsAtBadEnds(t *testing.T) {
	const ts = "2024-03-15T10:00:00Z"
	var m ISOMonths
	ends := []int32{int32(len(ts))}
	months := make([]int32, 3)
	m.Column([]byte(ts), ends, months[:1]) // the date is known now
	// The second cell's end is past the data, though the bytes beyond,
	// in the slice's capacity, hold the rest of a good timestamp.
	data := []byte(ts + ts)[:len(ts)+10]
	for _, bad := range []struct {
		name string
		end  int32
	}{{"a cell's length on, past the data", 2 * int32(len(ts))}, {"far past the data", 1 << 30}, {"before its start", 3}, {"negative", -5}} {
		ends := []int32{int32(len(ts)), bad.end, int32(len(data))}
		if i, _ := m.known(data, ends, 0, 0, months); i != 1 || months[0] != 2024*12+2 {
			t.Errorf("an end %s: stopped at row %d (months %v), want 1", bad.name, i, months)
		}
	}
}
