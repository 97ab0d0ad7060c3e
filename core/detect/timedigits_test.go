package detect

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/cxaudit/cxaudit/core/cell"
)

// TestMinTimestampDigits: newProfile parses a cell as a timestamp only if
// it has minTimestampDigits ASCII digits. The shortest cells each format
// accepts have exactly that many (or more), and no cell with fewer is
// accepted: random cells of the characters timestamps are made of, with
// up to minTimestampDigits-1 digits, in every format.
func TestMinTimestampDigits(t *testing.T) {
	for _, c := range []struct {
		cell   string
		format int
	}{
		{"1/2/2024", cell.DMY},
		{"1.2.2024", cell.MDY},
		{"2024-01-02", cell.ISO},
	} {
		if _, r := cell.Timestamp([]byte(c.cell), c.format); r != cell.OK {
			t.Fatalf("%q (format %d) is not accepted", c.cell, c.format)
		}
		if d := shapeOf(c.cell).asciiDigits; d < minTimestampDigits {
			t.Fatalf("%q is accepted with %d digits, under minTimestampDigits = %d", c.cell, d, minTimestampDigits)
		}
	}
	const nonDigits = "/.-: TZ+\t"
	r := rand.New(rand.NewPCG(6, 7))
	for range 200_000 {
		var b strings.Builder
		digits := r.IntN(minTimestampDigits)
		length := digits + r.IntN(14)
		for i := range length {
			// The digits land at random places among the characters.
			if digits > 0 && (r.IntN(length-i) < digits) {
				b.WriteByte(byte('0' + r.IntN(10)))
				digits--
			} else {
				b.WriteByte(nonDigits[r.IntN(len(nonDigits))])
			}
		}
		v := b.String()
		for f := cell.ISO; f <= cell.MDY; f++ {
			if _, res := cell.Timestamp([]byte(v), f); res == cell.OK {
				t.Fatalf("%q (%d digits) is a timestamp in format %d", v, shapeOf(v).asciiDigits, f)
			}
		}
	}
}
