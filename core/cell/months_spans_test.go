package cell

import "testing"

// TestKnownSpansStopsAtBadSpans: knownSpans (assembly on amd64 and in
// wasm) checks each span against the data, so a cell that ends past it,
// ends before it starts, or is marked quoted stops it at its row, and it
// reads nothing outside.
func TestKnownSpansStopsAtBadSpans(t *testing.T) {
	const ts = "2024-03-15T10:00:00Z"
	n := uint64(len(ts))
	var m ISOMonths
	months := make([]int32, 3)
	column(&m, []byte(ts), []int32{int32(n)}, months[:1]) // the date is known now
	// The data's capacity holds a good timestamp beyond its length, and
	// the memory before it another one.
	buf := []byte(ts + ts + ts)[n : 2*n+10]
	for _, bad := range []struct {
		name string
		span uint64
	}{
		{"a cell's length on, past the data", n | 2*n<<32},
		{"far past the data", n | (1<<31)<<32},
		{"before its start", n | 3<<32},
		{"quoted", uint64(1<<32-n) | 0<<32}, // start -n, end 0: 20 bytes, as the walker marks a quoted cell at n-1
	} {
		for i := range months {
			months[i] = 0
		}
		spans := []uint64{n << 32, bad.span, n << 32}
		if i := m.knownSpans(buf, spans, 0, months); i != 1 || months[0] != 2024*12+2 || months[1] != 0 {
			t.Errorf("a span %s: stopped at row %d (months %v), want 1", bad.name, i, months)
		}
	}
}
