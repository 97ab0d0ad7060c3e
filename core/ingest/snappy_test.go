package ingest

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/golang/snappy"
)

// snappySamples are snappyBlocks (parquet_sample_test.go) and more: data
// that makes copies of every offset around the word a copy moves at a
// time (offsets under 8 repeat bytes), and literals with 3- and 4-byte
// lengths followed by a copy with a 4-byte offset.
func snappySamples() map[string][]byte {
	blocks := snappyBlocks()
	r := rand.New(rand.NewPCG(5, 8))
	for _, p := range []int{2, 7, 8, 9, 300} {
		b := make([]byte, 70_000)
		for i := range b {
			b[i] = byte('a' + i%p)
		}
		blocks[fmt.Sprintf("period %d", p)] = snappy.Encode(nil, b)
	}
	lit := make([]byte, 70_000)
	for i := range lit {
		lit[i] = byte(r.Uint32())
	}
	n := len(lit) - 1
	hand := binary.AppendUvarint(nil, uint64(2*len(lit)+64))
	hand = append(append(hand, 62<<2, byte(n), byte(n>>8), byte(n>>16)), lit...)
	hand = append(append(hand, 63<<2, byte(n), byte(n>>8), byte(n>>16), 0), lit...)
	hand = append(hand, 63<<2|3, byte(len(lit)), byte(len(lit)>>8), byte(len(lit)>>16), 0) // 64 bytes from len(lit) back
	blocks["literals of 3- and 4-byte lengths, a 4-byte offset"] = hand
	blocks["4-byte offset under the length"] = []byte{12, 3 << 2, 'a', 'b', 'c', 'd', 7<<2 | 3, 3, 0, 0, 0} // 8 bytes from 3 back
	return blocks
}

// decodeLikeSnappy decodes src with snappyDecode into a dst of the length
// its preamble declares, as parquet's decompress does.
func decodeLikeSnappy(src []byte) ([]byte, error) {
	n, err := snappy.DecodedLen(src)
	if err != nil {
		return nil, err
	}
	return snappyDecode(make([]byte, n), src)
}

// TestSnappyDecodeAgrees checks snappyDecode — hand-written WebAssembly in
// the wasm build (snappy_wasm.s), golang/snappy elsewhere — against
// golang/snappy's decoder, on whole blocks of every element kind (and
// that they decode to what was encoded), and on tens of thousands of
// corrupted ones: the same bytes or an error for each, and no read or
// write outside the buffers (the wasm code checks its own bounds).
func TestSnappyDecodeAgrees(t *testing.T) {
	samples := snappySamples()
	r := rand.New(rand.NewPCG(13, 21))
	// The mutations reuse two buffers: tens of thousands of blocks of up
	// to 4 MiB each, allocated afresh, can outrun a collection in wasm's
	// one thread and grow its linear memory, which never shrinks, to GiBs.
	var wantBuf, guardBuf []byte
	for name, block := range samples {
		want, werr := snappy.Decode(nil, block)
		got, gerr := decodeLikeSnappy(block)
		if werr != nil || gerr != nil {
			t.Fatalf("%s: golang/snappy error %v, snappyDecode error %v", name, werr, gerr)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("%s: snappyDecode gives %d bytes, golang/snappy %d (first difference at %s)", name, len(got), len(want), firstDiff(got, want))
		}
		for m := 0; m < 2000; m++ {
			bad := mutateBlock(r, block)
			// A mutated preamble can declare up to 4 GiB, which both
			// decoders would allocate: in wasm's linear memory, which
			// never shrinks, a few of those exhaust it. Skip them
			// before either decoder runs.
			n, err := snappy.DecodedLen(bad)
			if err != nil || n > 1<<22 {
				continue
			}
			if cap(wantBuf) < n {
				wantBuf = make([]byte, n)
			}
			want, werr := snappy.Decode(wantBuf[:cap(wantBuf)], bad)
			got, guard, gerr := decodeGuardedIn(&guardBuf, bad, n)
			if (werr == nil) != (gerr == nil) || !bytes.Equal(got, want) || guard != "" {
				t.Fatalf("%s, mutation %d (% x…): golang/snappy error %v, snappyDecode error %v; outputs equal: %v %s", name, m, bad[:min(len(bad), 24)], werr, gerr, bytes.Equal(got, want), guard)
			}
		}
	}
}

// TestSnappyDecodeCorrupt checks blocks that end or point outside their
// buffers, each followed in memory by bytes that would make it whole if
// they were read, and each decoded into a buffer with more after it that
// must stay as it was.
func TestSnappyDecodeCorrupt(t *testing.T) {
	for _, c := range []struct {
		name        string
		block, more []byte // more follows the block in memory
	}{
		{"copy-1 tag without its offset byte", []byte{12, 3 << 2, 'a', 'b', 'c', 'd', 4<<2 | 1}, []byte{4}},
		{"copy-2 tag without its offset", []byte{12, 3 << 2, 'a', 'b', 'c', 'd', 7<<2 | 2, 4}, []byte{0}},
		{"copy-4 tag without its offset", []byte{12, 3 << 2, 'a', 'b', 'c', 'd', 7<<2 | 3, 4, 0}, []byte{0, 0}},
		{"literal longer than the block", []byte{8, 7 << 2, 'a', 'b', 'c', 'd'}, []byte{'e', 'f', 'g', 'h'}},
		{"literal length bytes missing", []byte{8, 60 << 2}, []byte{7, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'}},
		{"literal longer than the output", []byte{4, 7 << 2, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'}, nil},
		{"copy longer than the output", []byte{6, 1 << 2, 'a', 'b', 4<<2 | 1, 2}, nil},
		{"copy-1 of offset 0", []byte{10, 1 << 2, 'a', 'b', 4<<2 | 1, 0}, nil},
		{"copy from before the output", []byte{10, 1 << 2, 'a', 'b', 4<<2 | 1, 3}, nil},
		{"output short", []byte{10, 1 << 2, 'a', 'b'}, []byte{4<<2 | 1, 2}},
	} {
		buf := append(append([]byte(nil), c.block...), c.more...)
		src := buf[:len(c.block):len(c.block)]
		if _, err := snappy.Decode(nil, src); err == nil {
			t.Fatalf("%s: golang/snappy decodes it", c.name)
		}
		n, err := snappy.DecodedLen(src)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if _, guard, err := decodeGuarded(src, n); err == nil || guard != "" {
			t.Errorf("%s: snappyDecode error %v %s", c.name, err, guard)
		}
	}
}

// decodeGuarded decodes src into n bytes followed in memory by 64 bytes
// that must not change; guard says so if they did.
func decodeGuarded(src []byte, n int) (out []byte, guard string, err error) {
	var buf []byte
	return decodeGuardedIn(&buf, src, n)
}

// decodeGuardedIn is decodeGuarded in *buf, grown if it is too short.
func decodeGuardedIn(bufp *[]byte, src []byte, n int) (out []byte, guard string, err error) {
	if cap(*bufp) < n+64 {
		*bufp = make([]byte, n+64)
	}
	buf := (*bufp)[:n+64]
	clear(buf[:n]) // as if new: what the last block left must not pass for output
	for i := n; i < len(buf); i++ {
		buf[i] = 0xA5
	}
	out, err = snappyDecode(buf[:n:n], src)
	for i := n; i < len(buf); i++ {
		if buf[i] != 0xA5 {
			return out, fmt.Sprintf("(wrote past the output, at +%d)", i-n), err
		}
	}
	return out, "", err
}

// TestSnappyDecodeRoundTrip decodes what golang/snappy encodes, for data
// of every length up to 300 bytes and shapes that make every copy length.
func TestSnappyDecodeRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for n := 0; n <= 300; n++ {
		for _, alphabet := range []int{1, 2, 3, 17, 256} {
			data := make([]byte, n)
			for i := range data {
				data[i] = byte(r.IntN(alphabet))
			}
			got, err := decodeLikeSnappy(snappy.Encode(nil, data))
			if err != nil || !bytes.Equal(got, data) {
				t.Fatalf("%d bytes of an alphabet of %d: error %v, equal %v", n, alphabet, err, bytes.Equal(got, data))
			}
		}
	}
}

// mutateBlock returns a copy of block with one to three random changes:
// a byte changed, the block cut short, or a byte inserted.
func mutateBlock(r *rand.Rand, block []byte) []byte {
	b := append([]byte(nil), block...)
	for k := 1 + r.IntN(3); k > 0 && len(b) > 0; k-- {
		i := r.IntN(len(b))
		switch r.IntN(3) {
		case 0:
			b[i] ^= byte(1 + r.IntN(255))
		case 1:
			b = b[:i]
		default:
			b = append(b[:i], append([]byte{byte(r.Uint32())}, b[i:]...)...)
		}
	}
	return b
}

func firstDiff(a, b []byte) string {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return fmt.Sprint(i)
		}
	}
	return "the end of the shorter"
}
