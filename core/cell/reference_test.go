package cell

// The parsers of Integer and Timestamp as they were before the fast paths
// (core/cell as of commit 25cae4e), kept verbatim but renamed as the
// reference the fast paths are tested against (fastpath_test.go). Do not
// optimise this file: its point is to stay the plain reading of the rules.

func refTrim(b []byte) []byte {
	i, j := 0, len(b)
	for i < j && refIsSpace(b[i]) {
		i++
	}
	for j > i && refIsSpace(b[j-1]) {
		j--
	}
	return b[i:j]
}

func refIsSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

func refInteger(b []byte, decimalComma bool) (int64, Reason) {
	b = refTrim(b)
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

func refTimestamp(b []byte, format int) (int64, Reason) {
	b = refTrim(b)
	if len(b) == 0 {
		return 0, Blank
	}
	var t int64
	var ok bool
	switch format {
	case DMY, MDY:
		t, ok = refParseSlashed(b, format == DMY)
	default:
		t, ok = refParseISO(b)
	}
	if !ok {
		return 0, BadTimestamp
	}
	return t, OK
}

func refDigits(b []byte, n int) (int, bool) {
	if len(b) < n {
		return 0, false
	}
	v := 0
	for i := 0; i < n; i++ {
		c := b[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	return v, true
}

func refParseISO(b []byte) (int64, bool) {
	if len(b) < 10 || b[4] != '-' || b[7] != '-' {
		return 0, false
	}
	y, ok1 := refDigits(b, 4)
	mo, ok2 := refDigits(b[5:], 2)
	d, ok3 := refDigits(b[8:], 2)
	if !ok1 || !ok2 || !ok3 {
		return 0, false
	}
	rest := b[10:]
	if len(rest) == 0 {
		return refCivil(y, mo, d, 0, 0, 0, 0)
	}
	spaced := rest[0] == ' '
	if rest[0] != 'T' && !spaced {
		return 0, false
	}
	clock, rest, ok := refParseClock(rest[1:], true)
	if !ok {
		return 0, false
	}
	var offset int64
	if len(rest) > 0 {
		if spaced {
			return 0, false // the spaced form takes no offset (metrics.md §1)
		}
		switch rest[0] {
		case 'Z':
			if len(rest) != 1 {
				return 0, false
			}
		case '+', '-':
			if len(rest) != 6 || rest[3] != ':' {
				return 0, false
			}
			oh, okh := refDigits(rest[1:], 2)
			om, okm := refDigits(rest[4:], 2)
			if !okh || !okm || oh > 23 || om > 59 {
				return 0, false
			}
			offset = int64(oh*60+om) * 60_000_000
			if rest[0] == '-' {
				offset = -offset
			}
		default:
			return 0, false
		}
	}
	t, ok := refCivil(y, mo, d, clock.h, clock.m, clock.s, clock.us)
	return t - offset, ok
}

func refParseClock(b []byte, fraction bool) (refClockTime, []byte, bool) {
	var c refClockTime
	if len(b) < 5 || b[2] != ':' {
		return c, nil, false
	}
	h, ok1 := refDigits(b, 2)
	m, ok2 := refDigits(b[3:], 2)
	if !ok1 || !ok2 || h > 23 || m > 59 {
		return c, nil, false
	}
	c.h, c.m = h, m
	b = b[5:]
	if len(b) > 0 && b[0] == ':' {
		s, ok := refDigits(b[1:], 2)
		if !ok || s > 59 {
			return c, nil, false
		}
		c.s = s
		b = b[3:]
		if fraction && len(b) > 0 && b[0] == '.' {
			n := 0
			us := 0
			for n < len(b)-1 && b[1+n] >= '0' && b[1+n] <= '9' {
				if n >= 6 {
					return c, nil, false
				}
				us = us*10 + int(b[1+n]-'0')
				n++
			}
			if n == 0 {
				return c, nil, false
			}
			for k := n; k < 6; k++ {
				us *= 10
			}
			c.us = us
			b = b[1+n:]
		}
	}
	return c, b, true
}

func refParseSlashed(b []byte, dayFirst bool) (int64, bool) {
	a, rest, ok := refSmallNumber(b)
	if !ok || len(rest) == 0 || (rest[0] != '/' && rest[0] != '.') {
		return 0, false
	}
	sep := rest[0]
	c, rest, ok := refSmallNumber(rest[1:])
	if !ok || len(rest) < 5 || rest[0] != sep {
		return 0, false
	}
	y, ok := refDigits(rest[1:], 4)
	if !ok {
		return 0, false
	}
	rest = rest[5:]
	var clock refClockTime
	if len(rest) > 0 {
		if rest[0] != ' ' {
			return 0, false
		}
		clock, rest, ok = refParseClock(rest[1:], false)
		if !ok || len(rest) > 0 {
			return 0, false
		}
	}
	d, mo := a, c
	if !dayFirst {
		d, mo = c, a
	}
	return refCivil(y, mo, d, clock.h, clock.m, clock.s, 0)
}

func refSmallNumber(b []byte) (int, []byte, bool) {
	if len(b) == 0 || b[0] < '0' || b[0] > '9' {
		return 0, nil, false
	}
	v := int(b[0] - '0')
	if len(b) > 1 && b[1] >= '0' && b[1] <= '9' {
		return v*10 + int(b[1]-'0'), b[2:], true
	}
	return v, b[1:], true
}

func refCivil(y, mo, d, h, mi, s, us int) (int64, bool) {
	if y < 1 || mo < 1 || mo > 12 || d < 1 || d > DaysIn(y, mo) {
		return 0, false
	}
	return DaysFromCivil(y, mo, d)*86_400_000_000 + int64(h)*3_600_000_000 + int64(mi)*60_000_000 + int64(s)*1_000_000 + int64(us), true
}

type refClockTime struct{ h, m, s, us int }
