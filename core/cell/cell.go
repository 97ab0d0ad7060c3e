// Package cell parses single cells by the input rules of metrics.md §1:
// rating-scale integers, counts, timestamps and boolean flags. Every parser
// returns either a value or the Reason the cell is excluded, so that no cell
// disappears without being counted.
//
// The parsers take []byte so the CSV reader can hand over slices of its
// buffer without allocating a string per cell.
package cell

// Reason is why a cell was excluded. The zero value OK means "parsed".
type Reason uint8

// Exclusion reasons, with the names the result document uses.
const (
	OK Reason = iota
	Blank
	NonNumeric
	NonInteger
	OutOfRange
	BadTimestamp
	Unrecognized
	NegativeDuration
	numReasons
)

var reasonNames = [numReasons]string{"", "blank", "non_numeric", "non_integer", "out_of_range", "bad_timestamp", "unrecognized", "negative_duration"}

// String returns the reason's name in the result document ("blank", …).
func (r Reason) String() string {
	if r < numReasons {
		return reasonNames[r]
	}
	return "unknown"
}

// NumReasons is the number of reasons including OK; reason counters are
// arrays of this length indexed by Reason.
const NumReasons = int(numReasons)

// Trim returns b without leading and trailing ASCII white space (space, tab,
// CR, LF, VT, FF), as Python's str.strip does for ASCII.
func Trim(b []byte) []byte {
	// White space is all at or below ' ': a cell that starts and ends
	// above it (nearly every cell) is returned without a loop.
	if len(b) != 0 && min(b[0], b[len(b)-1]) <= ' ' {
		b = trimSlow(b)
	}
	return b
}

func trimSlow(b []byte) []byte {
	i, j := 0, len(b)
	for i < j && isSpace(b[i]) {
		i++
	}
	for j > i && isSpace(b[j-1]) {
		j--
	}
	return b[i:j]
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

// Scale parses a rating-scale cell: an integer in [lo, hi].
//
// Rules, checked in this order (metrics.md §1): after trimming, an empty cell
// is Blank; a cell that is neither an integer (^[+-]?\d+$) nor a decimal
// (^[+-]?(\d+\.\d*|\.\d+)$) is NonNumeric ("N/A", "ten"); a decimal with a
// non-zero fraction is NonInteger ("7.5"), an integral one ("9.0") is
// accepted; a value outside [lo, hi] is OutOfRange ("11", "-1", "-99").
// With decimalComma, "," plays the role of "." ("9,0" is 9, "7,5" is
// NonInteger).
func Scale(b []byte, lo, hi int64, decimalComma bool) (int64, Reason) {
	v, ok := shortDigits(b)
	if !ok {
		var r Reason
		if v, r = Integer(b, decimalComma); r != OK {
			return 0, r
		}
	}
	if v < lo || v > hi {
		return 0, OutOfRange
	}
	return v, OK
}

// shortDigits reads a cell of one or two ASCII digits ("7", "10", "07"),
// the shape of nearly every rating-scale cell, with two byte tests instead
// of the general parser; Integer gives the same value for these. Anything
// else (signs, spaces, decimals, blanks) reports false.
func shortDigits(b []byte) (int64, bool) {
	switch len(b) {
	case 1:
		d := b[0] - '0'
		return int64(d), d < 10
	case 2:
		d0, d1 := b[0]-'0', b[1]-'0'
		return int64(d0)*10 + int64(d1), d0 < 10 && d1 < 10
	}
	return 0, false
}

// Count parses a non-negative count (replies per ticket): as Scale with the
// range [0, 10⁹].
func Count(b []byte, decimalComma bool) (int64, Reason) {
	return Scale(b, 0, 1_000_000_000, decimalComma)
}

// Integer parses an integer cell by the rules of Scale without a range.
// Values too large for int64 are OutOfRange.
func Integer(b []byte, decimalComma bool) (int64, Reason) {
	b = Trim(b)
	if len(b) == 0 {
		return 0, Blank
	}
	sep := byte('.')
	if decimalComma {
		sep = ','
	}
	i := 0
	neg := false
	if b[0] == '+' || b[0] == '-' {
		neg = b[0] == '-'
		i = 1
	}
	intStart := i
	var v uint64
	overflow := false
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		if v > (1<<63-1)/10 {
			overflow = true
		} else {
			v = v*10 + uint64(b[i]-'0')
		}
		i++
	}
	intDigits := i - intStart
	fracNonZero := false
	if i < len(b) {
		if b[i] != sep {
			return 0, NonNumeric
		}
		i++
		fracStart := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			if b[i] != '0' {
				fracNonZero = true
			}
			i++
		}
		if i < len(b) {
			return 0, NonNumeric
		}
		if intDigits == 0 && i == fracStart {
			return 0, NonNumeric // "." or "+."
		}
	} else if intDigits == 0 {
		return 0, NonNumeric // "+" or "-"
	}
	if fracNonZero {
		return 0, NonInteger
	}
	if overflow || v > 1<<62 {
		return 0, OutOfRange
	}
	if neg {
		return -int64(v), OK
	}
	return int64(v), OK
}

// Flag parses a boolean flag (first contact resolution): after trimming and
// lower-casing, yes/y/true/1 is true and no/n/false/0 is false; empty is
// Blank; anything else is Unrecognized (metrics.md §1).
func Flag(b []byte) (bool, Reason) {
	b = Trim(b)
	if len(b) == 0 {
		return false, Blank
	}
	if len(b) > 5 {
		return false, Unrecognized
	}
	var buf [5]byte
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	switch string(buf[:len(b)]) {
	case "yes", "y", "true", "1":
		return true, OK
	case "no", "n", "false", "0":
		return false, OK
	}
	return false, Unrecognized
}

// Segment returns a segment value: the trimmed cell, or "(blank)" when it
// is empty (metrics.md §1: trimmed, case-sensitive).
func Segment(b []byte) string {
	b = Trim(b)
	if len(b) == 0 {
		return BlankSegment
	}
	return string(b)
}

// BlankSegment is the segment value of empty cells.
const BlankSegment = "(blank)"
