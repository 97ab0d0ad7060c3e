package cell

import (
	"math/rand/v2"
	"testing"
)

// The fast paths (shortDigits in Scale, Trim's early return, the one-pass
// ISO parser and Civil.Month) must accept, reject and value every cell
// exactly as the reference parsers of reference_test.go do.

// refScale is Scale on the reference parser.
func refScale(b []byte, lo, hi int64, comma bool) (int64, Reason) {
	v, r := refInteger(b, comma)
	if r != OK {
		return 0, r
	}
	if v < lo || v > hi {
		return 0, OutOfRange
	}
	return v, OK
}

// scaleRanges are the scales of metrics.md §1 and a count's range.
var scaleRanges = [][2]int64{{0, 10}, {1, 5}, {1, 7}, {1, 10}, {0, 1_000_000_000}}

func checkScale(t *testing.T, in []byte) {
	t.Helper()
	for _, r := range scaleRanges {
		for _, comma := range []bool{false, true} {
			v, why := Scale(in, r[0], r[1], comma)
			wv, wwhy := refScale(in, r[0], r[1], comma)
			if v != wv || why != wwhy {
				t.Fatalf("Scale(%q, %d, %d, comma=%v) = %d, %v; reference %d, %v", in, r[0], r[1], comma, v, why, wv, wwhy)
			}
		}
	}
}

func TestScaleFastPathAgrees(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		in   string
		want int64 // on 0–10 without decimal comma
		why  Reason
	}{
		{"7", 7, OK}, {"0", 0, OK}, {"10", 10, OK}, {"07", 7, OK}, {"00", 0, OK},
		{"11", 0, OutOfRange}, {"99", 0, OutOfRange},
		{" 7", 7, OK}, {"7 ", 7, OK}, {"\t7\r", 7, OK}, {"+7", 7, OK}, {"-0", 0, OK}, {"-1", 0, OutOfRange},
		{"1e1", 0, NonNumeric}, {"10.0", 10, OK}, {"10,0", 0, NonNumeric}, {"7.", 7, OK}, {".7", 0, NonInteger},
		{"", 0, Blank}, {" ", 0, Blank},
		{"٧", 0, NonNumeric},                                                                     // ARABIC-INDIC DIGIT SEVEN
		{"７", 0, NonNumeric},                                                                     // FULLWIDTH DIGIT SEVEN
		{"7\u00a0", 0, NonNumeric},                                                               // no-break space is not trimmed
		{"/", 0, NonNumeric}, {":", 0, NonNumeric}, {"1/", 0, NonNumeric}, {"1:", 0, NonNumeric}, // the bytes around '0'–'9'
		{"a", 0, NonNumeric}, {"N/A", 0, NonNumeric},
	} {
		v, why := Scale([]byte(tt.in), 0, 10, false)
		if v != tt.want || why != tt.why {
			t.Errorf("Scale(%q) = %d, %v; want %d, %v", tt.in, v, why, tt.want, tt.why)
		}
		checkScale(t, []byte(tt.in))
	}
	// With a decimal comma, "10,0" is 10 and "10.0" is not a number.
	if v, why := Scale([]byte("10,0"), 0, 10, true); v != 10 || why != OK {
		t.Errorf(`Scale("10,0", comma) = %d, %v`, v, why)
	}
	if _, why := Scale([]byte("10.0"), 0, 10, true); why != NonNumeric {
		t.Errorf(`Scale("10.0", comma) = %v`, why)
	}
}

// TestScaleFastPathExhaustive compares every cell of up to two bytes (the
// fast path's whole domain) and random longer cells.
func TestScaleFastPathExhaustive(t *testing.T) {
	t.Parallel()
	checkScale(t, []byte{})
	for a := 0; a < 256; a++ {
		checkScale(t, []byte{byte(a)})
		for b := 0; b < 256; b++ {
			checkScale(t, []byte{byte(a), byte(b)})
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	const alphabet = "0123456789 +-.,eE\t/:a\xd9\xa7"
	for range 100_000 {
		b := make([]byte, rng.IntN(7))
		for i := range b {
			if rng.IntN(8) == 0 {
				b[i] = byte(rng.IntN(256))
			} else {
				b[i] = alphabet[rng.IntN(len(alphabet))]
			}
		}
		checkScale(t, b)
	}
}

func TestTrimFastPathAgrees(t *testing.T) {
	t.Parallel()
	const alphabet = " \t\n\r\v\f\x00\x1f!a\x85\xa0"
	var rec func(b []byte)
	rec = func(b []byte) {
		if got, want := Trim(b), refTrim(b); string(got) != string(want) {
			t.Fatalf("Trim(%q) = %q; reference %q", b, got, want)
		}
		if len(b) == 4 {
			return
		}
		for i := 0; i < len(alphabet); i++ {
			rec(append(b, alphabet[i]))
		}
	}
	rec(nil)
}

// checkTimestamp compares Timestamp, Civil.Parse, Civil.Micros and Civil.Month with
// the reference parser and Month.
func checkTimestamp(t *testing.T, in []byte) {
	t.Helper()
	for _, format := range []int{ISO, DMY, MDY} {
		us, why := Timestamp(in, format)
		wus, wwhy := refTimestamp(in, format)
		if us != wus || why != wwhy {
			t.Fatalf("Timestamp(%q, %d) = %d, %v; reference %d, %v", in, format, us, why, wus, wwhy)
		}
		c, cwhy := parseCivil(in, format)
		if cwhy != wwhy {
			t.Fatalf("Civil.Parse(%q, %d) reason %v; reference %v", in, format, cwhy, wwhy)
		}
		if wwhy == OK && (c.Micros() != wus || c.Month() != Month(wus)) {
			t.Fatalf("Civil.Parse(%q, %d): micros %d month %d; reference %d, month %d", in, format, c.Micros(), c.Month(), wus, Month(wus))
		}
	}
}

func TestTimestampFastPathAgrees(t *testing.T) {
	t.Parallel()
	for _, s := range []string{
		"2024-03-05T10:00:00Z", "2024-03-05T10:00:00+01:00", "2024-03-31T23:30:00-05:00", "2024-03-05T10:00",
		"2024-03-05T10:00:00.5Z", "2024-03-05T10:00:00.123456", "2024-03-05 10:00:00", "2024-03-05 10:00", "2024-03-05",
		" 2024-02-29 ", "", "   ", "2024-02-30", "2023-02-29", "2024-03-05T10:00:00.1234567Z", "2024-03-05 10:00:00Z",
		"2024-03-05T24:00", "2024/02/15 09:12", "15-03-2024 10:00", "05/02/2024 14:03", "Feb 3 2024", "pending",
		"31/01/2024", "5/2/2024 14:03", "05.02.2024", "05/02/2024 14:03:09", "2024-01-31",
		// Offsets that move the UTC month, and ones that do not.
		"2024-03-01T00:30:00+01:00", "2024-03-01T01:00:00+01:00", "2024-03-01T00:59:59.999999+01:00",
		"2024-02-29T23:30:00-00:31", "2024-02-29T23:29:00-00:30", "2024-12-31T23:59:00-23:59", "2025-01-01T00:00:00+23:59",
		"2024-01-15T00:00:00+23:59", "2024-01-15T23:59:00-23:59", "2024-03-01T00:00:00-00:00", "2024-03-01T00:00:00+00:00",
		"0001-01-01T00:00:00+00:01", "0001-01-01T00:00:00Z", "0000-12-31", "9999-12-31T23:59:59-23:59",
		"2024-03-05T10:00:00+24:00", "2024-03-05T10:00:00+01:60", "2024-03-05T10:00:00+0100", "2024-03-05T10:00:00z",
		"2024-03-05T10:00:60Z", "2024-03-05T10:60Z", "2024-03-05T10:00:0Z", "2024-03-05T10:00:00.Z", "2024-03-05T10:00:",
		"2024-03-05T", "2024-03-05 ", "2024-3-05", "2024-03-5", "+2024-03-05", "2024-13-01", "2024-00-01", "2024-01-00",
		"２０２４-03-05", "2024-03-05T10:00:00.000000Z", "2024-03-05T1:00", "31/12/2024 23:59:59", "29.02.2023", "1/1/0000",
		"12/31/2024 23:59", "31.12.2024 24:00", "1/2/2024 10:00:00.5",
	} {
		checkTimestamp(t, []byte(s))
	}
}

// TestTimestampFastPathRandom compares plausible timestamps, drawn near
// every boundary of the rules, and random mutations of them.
func TestTimestampFastPathRandom(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(5, 6))
	pick := func(xs ...string) string { return xs[rng.IntN(len(xs))] }
	num := func(width, max int) string {
		v := rng.IntN(max + 1)
		s := make([]byte, width)
		for i := width - 1; i >= 0; i-- {
			s[i] = byte('0' + v%10)
			v /= 10
		}
		return string(s)
	}
	gen := func() string {
		y := pick("0000", "0001", "1969", "1970", "2000", "2023", "2024", "2100", "9999", num(4, 9999))
		mo := pick("01", "02", "03", "12", "00", "13", num(2, 99))
		d := pick("01", "28", "29", "30", "31", "00", "32", num(2, 99))
		s := y + "-" + mo + "-" + d
		switch rng.IntN(10) {
		case 0:
			return pick("", " ", "\t") + s + pick("", " ", "\r\n")
		case 1:
			dd, mm := pick("1", "01", "29", "31", "12", "13"), pick("1", "02", "12", "13")
			return dd + pick("/", ".", "-") + mm + pick("/", ".") + y + pick("", " 00:00", " 23:59:59", " 24:00", " 1:00", " 10:00:00.5")
		}
		s += pick("T", " ", "t") + pick("00", "23", "24", num(2, 99)) + ":" + pick("00", "59", "60", num(2, 99))
		if rng.IntN(3) > 0 {
			s += ":" + pick("00", "59", "60", num(2, 99))
			if rng.IntN(3) == 0 {
				s += "." + num(7, 9_999_999)[:1+rng.IntN(7)]
			}
		}
		switch rng.IntN(4) {
		case 0:
			s += "Z"
		case 1:
			s += pick("+", "-") + pick("00", "01", "05", "12", "23", "24", num(2, 99)) + ":" + pick("00", "30", "31", "59", "60", num(2, 99))
		}
		return s
	}
	const mutate = "0123456789-:T .+Z/\x00\xff"
	accepted, shifted := 0, 0 // the generator must reach both
	for range 200_000 {
		b := []byte(gen())
		if rng.IntN(4) == 0 && len(b) > 0 {
			i := rng.IntN(len(b))
			switch rng.IntN(3) {
			case 0:
				b[i] = mutate[rng.IntN(len(mutate))]
			case 1:
				b = append(b[:i], b[i+1:]...)
			default:
				b = append(b[:i], append([]byte{mutate[rng.IntN(len(mutate))]}, b[i:]...)...)
			}
		}
		checkTimestamp(t, b)
		if c, why := parseCivil(b, ISO); why == OK {
			accepted++
			if c.Month() != c.y*12+c.mo-1 {
				shifted++
			}
		}
	}
	if accepted < 5_000 || shifted < 25 {
		t.Fatalf("generator too narrow: %d accepted, %d moved to another UTC month", accepted, shifted)
	}
}

// FuzzCellFastPaths compares the fast paths with the reference parsers on
// arbitrary bytes (go test -fuzz FuzzCellFastPaths ./core/cell/).
func FuzzCellFastPaths(f *testing.F) {
	for _, s := range []string{"7", "07", " 7", "10,0", "2024-03-05T10:00:00Z", "2024-03-01T00:30:00+01:00", "31/01/2024 10:00", ""} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		checkScale(t, b)
		checkTimestamp(t, b)
		if got, want := Trim(b), refTrim(b); string(got) != string(want) {
			t.Fatalf("Trim(%q) = %q; reference %q", b, got, want)
		}
	})
}

// parseCivil is Civil.Parse returning the value.
func parseCivil(b []byte, format int) (Civil, Reason) {
	var c Civil
	r := c.Parse(b, format)
	return c, r
}
