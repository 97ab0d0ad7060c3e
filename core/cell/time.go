package cell

// Timestamps are int64 microseconds since 1970-01-01T00:00:00Z (UTC).
// Microseconds are the finest unit the accepted forms carry (".ffffff"), so
// every accepted timestamp is represented exactly and differences are exact.

// Timestamp formats (plan.FormatISO, FormatDMY, FormatMDY).
const (
	ISO = iota
	DMY
	MDY
)

// Timestamp parses a cell in the given format (ISO, DMY or MDY) into UTC
// microseconds.
//
// ISO (metrics.md §1) accepts, after trimming, exactly
//
//	YYYY-MM-DDTHH:MM[:SS[.f{1,6}]][Z|±HH:MM]
//	YYYY-MM-DD HH:MM[:SS[.f{1,6}]]
//	YYYY-MM-DD
//
// with real calendar dates (2024-02-30 is rejected). No offset means UTC.
// DMY and MDY accept D/M/YYYY[ HH:MM[:SS]] (or M/D/YYYY) with one- or
// two-digit day and month, "/" or "." between them, always UTC. An empty
// cell is Blank, anything else BadTimestamp.
func Timestamp(b []byte, format int) (int64, Reason) {
	b = Trim(b)
	if len(b) == 0 {
		return 0, Blank
	}
	var t int64
	var ok bool
	switch format {
	case DMY, MDY:
		t, ok = parseSlashed(b, format == DMY)
	default:
		t, ok = parseISO(b)
	}
	if !ok {
		return 0, BadTimestamp
	}
	return t, OK
}

func digits(b []byte, n int) (int, bool) {
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

// parseISO implements the ISO rule of Timestamp.
func parseISO(b []byte) (int64, bool) {
	if len(b) < 10 || b[4] != '-' || b[7] != '-' {
		return 0, false
	}
	y, ok1 := digits(b, 4)
	mo, ok2 := digits(b[5:], 2)
	d, ok3 := digits(b[8:], 2)
	if !ok1 || !ok2 || !ok3 {
		return 0, false
	}
	rest := b[10:]
	if len(rest) == 0 {
		return civil(y, mo, d, 0, 0, 0, 0)
	}
	spaced := rest[0] == ' '
	if rest[0] != 'T' && !spaced {
		return 0, false
	}
	clock, rest, ok := parseClock(rest[1:], true)
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
			oh, okh := digits(rest[1:], 2)
			om, okm := digits(rest[4:], 2)
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
	t, ok := civil(y, mo, d, clock.h, clock.m, clock.s, clock.us)
	return t - offset, ok
}

type clockTime struct{ h, m, s, us int }

// parseClock reads HH:MM[:SS[.ffffff]] and returns what follows it.
func parseClock(b []byte, fraction bool) (clockTime, []byte, bool) {
	var c clockTime
	if len(b) < 5 || b[2] != ':' {
		return c, nil, false
	}
	h, ok1 := digits(b, 2)
	m, ok2 := digits(b[3:], 2)
	if !ok1 || !ok2 || h > 23 || m > 59 {
		return c, nil, false
	}
	c.h, c.m = h, m
	b = b[5:]
	if len(b) > 0 && b[0] == ':' {
		s, ok := digits(b[1:], 2)
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

// parseSlashed implements the DMY/MDY rule of Timestamp.
func parseSlashed(b []byte, dayFirst bool) (int64, bool) {
	a, rest, ok := smallNumber(b)
	if !ok || len(rest) == 0 || (rest[0] != '/' && rest[0] != '.') {
		return 0, false
	}
	sep := rest[0]
	c, rest, ok := smallNumber(rest[1:])
	if !ok || len(rest) < 5 || rest[0] != sep {
		return 0, false
	}
	y, ok := digits(rest[1:], 4)
	if !ok {
		return 0, false
	}
	rest = rest[5:]
	var clock clockTime
	if len(rest) > 0 {
		if rest[0] != ' ' {
			return 0, false
		}
		clock, rest, ok = parseClock(rest[1:], false)
		if !ok || len(rest) > 0 {
			return 0, false
		}
	}
	d, mo := a, c
	if !dayFirst {
		d, mo = c, a
	}
	return civil(y, mo, d, clock.h, clock.m, clock.s, 0)
}

// smallNumber reads one or two digits.
func smallNumber(b []byte) (int, []byte, bool) {
	if len(b) == 0 || b[0] < '0' || b[0] > '9' {
		return 0, nil, false
	}
	v := int(b[0] - '0')
	if len(b) > 1 && b[1] >= '0' && b[1] <= '9' {
		return v*10 + int(b[1]-'0'), b[2:], true
	}
	return v, b[1:], true
}

// civil converts a proleptic Gregorian date and time to microseconds since
// the epoch, rejecting impossible dates. Days from civil: H. Hinnant,
// "chrono-Compatible Low-Level Date Algorithms" (days_from_civil).
func civil(y, mo, d, h, mi, s, us int) (int64, bool) {
	if y < 1 || mo < 1 || mo > 12 || d < 1 || d > DaysIn(y, mo) {
		return 0, false
	}
	return DaysFromCivil(y, mo, d)*86_400_000_000 + int64(h)*3_600_000_000 + int64(mi)*60_000_000 + int64(s)*1_000_000 + int64(us), true
}

// DaysIn returns the number of days of month mo (1–12) of year y.
func DaysIn(y, mo int) int {
	switch mo {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// DaysFromCivil returns the days since 1970-01-01 of a Gregorian date.
func DaysFromCivil(y, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int64(era)*146097 + int64(doe) - 719468
}

// CivilFromDays is the inverse of DaysFromCivil.
func CivilFromDays(z int64) (y, m, d int) {
	z += 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era--
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	yy := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = int(doy - (153*mp+2)/5 + 1)
	if mp < 10 {
		m = int(mp + 3)
	} else {
		m = int(mp - 9)
	}
	if m <= 2 {
		yy++
	}
	return int(yy), m, d
}

// Month returns the UTC month of a timestamp as a number y*12 + (m−1), which
// sorts in time order; MonthLabel turns it into "YYYY-MM".
func Month(us int64) int32 {
	days := us / 86_400_000_000
	if us < 0 && us%86_400_000_000 != 0 {
		days--
	}
	y, m, _ := CivilFromDays(days)
	return int32(y*12 + m - 1)
}

// MonthLabel formats a Month number as "YYYY-MM".
func MonthLabel(month int32) string {
	y, m := int(month)/12, int(month)%12+1
	b := []byte{byte('0' + y/1000%10), byte('0' + y/100%10), byte('0' + y/10%10), byte('0' + y%10), '-', byte('0' + m/10), byte('0' + m%10)}
	return string(b)
}

// ParseMonthLabel parses "YYYY-MM" into a Month number.
func ParseMonthLabel(s string) (int32, bool) {
	b := []byte(s)
	if len(b) != 7 || b[4] != '-' {
		return 0, false
	}
	y, ok1 := digits(b, 4)
	m, ok2 := digits(b[5:], 2)
	if !ok1 || !ok2 || m < 1 || m > 12 {
		return 0, false
	}
	return int32(y*12 + m - 1), true
}

// MonthStart returns the first microsecond of a Month number (UTC).
func MonthStart(month int32) int64 {
	y, m := int(month)/12, int(month)%12+1
	return DaysFromCivil(y, m, 1) * 86_400_000_000
}

// FormatTimestamp renders microseconds as "YYYY-MM-DDTHH:MM:SSZ" (with
// ".ffffff" when there are microseconds).
func FormatTimestamp(us int64) string {
	days := us / 86_400_000_000
	rem := us % 86_400_000_000
	if rem < 0 {
		rem += 86_400_000_000
		days--
	}
	y, m, d := CivilFromDays(days)
	sec := rem / 1_000_000
	frac := rem % 1_000_000
	out := []byte{byte('0' + y/1000%10), byte('0' + y/100%10), byte('0' + y/10%10), byte('0' + y%10), '-',
		byte('0' + m/10), byte('0' + m%10), '-', byte('0' + d/10), byte('0' + d%10), 'T',
		byte('0' + sec/36000), byte('0' + sec/3600%10), ':', byte('0' + sec/60%60/10), byte('0' + sec/60%10), ':',
		byte('0' + sec%60/10), byte('0' + sec%10)}
	if frac != 0 {
		out = append(out, '.')
		for div := int64(100000); div > 0; div /= 10 {
			out = append(out, byte('0'+frac/div%10))
		}
	}
	return string(append(out, 'Z'))
}

// MonthCache is Month with a one-day memo: exports are mostly sorted by
// time, so consecutive rows usually fall on the same day, and the calendar
// conversion (measured at ~5 % of a survey pass) is skipped for them.
type MonthCache struct {
	day   int64
	month int32
	valid bool
}

// Month returns the UTC month of a timestamp, as Month does.
func (c *MonthCache) Month(us int64) int32 {
	day := us / 86_400_000_000
	if us < 0 && us%86_400_000_000 != 0 {
		day--
	}
	if c.valid && day == c.day {
		return c.month
	}
	y, m, _ := CivilFromDays(day)
	c.day, c.month, c.valid = day, int32(y*12+m-1), true
	return c.month
}
