package ingest

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/golang/snappy"
)

// snappyInputs are texts of every kind of compressibility: incompressible
// bytes, runs with periods 1–16 (copies overlapping what they write),
// CSV-like text, little-endian timestamps as a Parquet page holds them,
// and the edges of the format (empty, one byte, literals needing 1–4
// length bytes).
func snappyInputs() [][]byte {
	rng := rand.New(rand.NewPCG(7, 8))
	random := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		return b
	}
	in := [][]byte{nil, {0}, random(59), random(60), random(61), random(256), random(65536 + 3), random(1 << 20)}
	for period := 1; period <= 16; period++ {
		p := random(period)
		in = append(in, bytes.Repeat(p, 5000/period+1))
	}
	var csv strings.Builder
	for i := range 20000 {
		csv.WriteString([]string{"email,EMEA,9,5\n", "web,NA,10,4\n", "sms,APAC,N/A,3\n"}[i%3])
	}
	in = append(in, []byte(csv.String()))
	ts := make([]byte, 0, 8*50000)
	for range 50000 {
		v := 1704067200000 + rng.Int64N(31_536_000_000)
		ts = append(ts, byte(v), byte(v>>8), byte(v>>16), byte(v>>24), byte(v>>32), byte(v>>40), byte(v>>48), byte(v>>56))
	}
	return append(in, ts)
}

// TestSnappyBlock: what github.com/golang/snappy encodes, snappyBlock
// decodes to the same bytes; a wrong size, a cut stream or a corrupt tag
// is an error, never a panic or a wrong page.
func TestSnappyBlock(t *testing.T) {
	for i, want := range snappyInputs() {
		enc := snappy.Encode(nil, want)
		got := make([]byte, len(want))
		if err := snappyBlock(got, enc); err != nil || !bytes.Equal(got, want) {
			t.Fatalf("input %d (%d bytes): err %v, equal %v", i, len(want), err, bytes.Equal(got, want))
		}
		if err := snappyBlock(make([]byte, len(want)+1), enc); err == nil {
			t.Errorf("input %d: a size one too large accepted", i)
		}
		if len(enc) < 4096 {
			for cut := 1; cut < len(enc); cut++ {
				if err := snappyBlock(make([]byte, len(want)), enc[:cut]); err == nil && len(want) > 0 {
					t.Fatalf("input %d cut at %d of %d: accepted", i, cut, len(enc))
				}
			}
		}
	}
	for _, bad := range [][]byte{
		{},                   // no length
		{0x80},               // length cut
		{2, 0x01, 0x00},      // copy with offset 0
		{4, 0x05, 0x01},      // copy before the start
		{4, 0x00, 'a', 0x06}, // copy cut short
		{1, 0xf0},            // literal length cut
	} {
		if err := snappyBlock(make([]byte, 4), bad); err == nil {
			t.Errorf("%x accepted", bad)
		}
	}
}

// FuzzSnappyBlock: on any input, snappyBlock and golang/snappy agree —
// both refuse it, or both give the same bytes — and any data round-trips.
func FuzzSnappyBlock(f *testing.F) {
	for _, in := range snappyInputs() {
		if len(in) < 4096 {
			f.Add(snappy.Encode(nil, in))
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if n, err := snappy.DecodedLen(b); err == nil && n <= 1<<20 {
			want, werr := snappy.Decode(nil, b)
			got := make([]byte, n)
			gerr := snappyBlock(got, b)
			if (werr == nil) != (gerr == nil) || (werr == nil && !bytes.Equal(got, want)) {
				t.Fatalf("golang/snappy: %v; snappyBlock: %v", werr, gerr)
			}
		}
		got := make([]byte, len(b))
		if err := snappyBlock(got, snappy.Encode(nil, b)); err != nil || !bytes.Equal(got, b) {
			t.Fatalf("round trip: %v", err)
		}
	})
}
