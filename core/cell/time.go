package cell

import "encoding/binary"

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
	var c Civil
	if r := c.Parse(b, format); r != OK {
		return 0, r
	}
	return c.Micros(), OK
}

// Civil is a timestamp cell as written — a real calendar date, a time of
// day and a UTC offset — validated by the rules of Timestamp but not yet
// converted to microseconds. It exists because many callers only want the
// UTC month (a survey or ticket volume by month): Month reads it off the
// fields, where Month(Timestamp(…)) converts the date to days and back.
type Civil struct {
	y, mo, d, h, mi, s, us int32
	off                    int32 // minutes east of UTC (ISO ±HH:MM)
}

// Parse parses a cell as Timestamp does into c, and returns the same
// Reason. (A method filling c rather than a function returning a Civil:
// the eight fields returned in registers cost more than the parse.)
func (c *Civil) Parse(b []byte, format int) Reason {
	b = Trim(b)
	if len(b) == 0 {
		*c = Civil{}
		return Blank
	}
	var ok bool
	switch format {
	case DMY, MDY:
		ok = c.parseSlashed(b, format == DMY)
	default:
		ok = c.parseISO(b)
	}
	if !ok || !c.valid() {
		*c = Civil{}
		return BadTimestamp
	}
	return OK
}

// SetMicros sets c to the UTC timestamp us (of a year 1–9999), as Parse
// sets it from the text FormatTimestamp(us): for readers that hold
// timestamps as numbers (Parquet TIMESTAMP columns) and consumers that
// want Civil's Month and Micros.
func (c *Civil) SetMicros(us int64) {
	days := Day(us)
	rem := us - days*MicrosPerDay
	y, m, d := CivilFromDays(days)
	sec := rem / 1_000_000
	*c = Civil{y: int32(y), mo: int32(m), d: int32(d), h: int32(sec / 3600), mi: int32(sec / 60 % 60), s: int32(sec % 60), us: int32(rem % 1_000_000)}
}

// Micros returns the timestamp in microseconds since the epoch (UTC).
func (c *Civil) Micros() int64 {
	return DaysFromCivil(int(c.y), int(c.mo), int(c.d))*86_400_000_000 + int64(c.h)*3_600_000_000 +
		int64(c.mi)*60_000_000 + int64(c.s)*1_000_000 + int64(c.us) - int64(c.off)*60_000_000
}

// Month returns the UTC month, as Month(c.Micros()) does. Without an
// offset it is the written month. An offset moves the time by less than a
// day, so the UTC date is the written one or a neighbour, and only the
// first or last day of a month can fall in another month. Seconds do not
// matter: an offset is whole minutes.
func (c *Civil) Month() int32 {
	m := c.y*12 + c.mo - 1
	if c.off != 0 {
		switch local := c.h*60 + c.mi - c.off; {
		case local < 0 && c.d == 1:
			m--
		case local >= 24*60 && int(c.d) == DaysIn(int(c.y), int(c.mo)):
			m++
		}
	}
	return m
}

// valid reports whether the date is a real one (2024-02-30 is not). The
// time of day and the offset are range-checked while parsing.
func (c *Civil) valid() bool {
	return c.y >= 1 && uint32(c.mo-1) < 12 && c.d >= 1 && (c.d <= 28 || int(c.d) <= DaysIn(int(c.y), int(c.mo)))
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

// two reads the two-digit number ab; false if either is not a digit. (One
// test per byte, no loop: timestamps are the bulk of a ticket export.)
func two(a, b byte) (int32, bool) {
	x, y := a-'0', b-'0'
	return int32(x)*10 + int32(y), x < 10 && y < 10
}

// Eight bytes of a timestamp are checked at once ("SWAR"): the date's
// "YYYY-MM-" and the clock's "HH:MM:SS" each fill a word, which is a
// third of the instructions of testing them byte by byte (timestamps are
// the bulk of a ticket export). Byte i of the word is b[i].
const (
	ones8   = 0x0101010101010101
	dateSep = 0xFF0000FF00000000 // bytes 4 and 7 of "YYYY-MM-"
	dateVal = '-' * (1<<32 | 1<<56)
	timeSep = 0x0000FF0000FF0000 // bytes 2 and 5 of "HH:MM:SS"
	timeVal = ':' * (1<<16 | 1<<40)
)

// digits8 checks that the bytes of x are ASCII digits, except where sep
// has 0xFF: those bytes must be as in val. It returns the digit values
// (0–9 in each byte; the separator bytes 0).
func digits8(x, sep, val uint64) (uint64, bool) {
	y := x&^sep | '0'*ones8&sep // separators → '0', a digit
	// A byte is a digit if its high nibble is 3, and still is after adding
	// 6 (0x3A–0x3F become 0x40–0x45; no byte carries into the next).
	ok := x&sep == val && y&(0xF0*ones8) == '0'*ones8 && (y+6*ones8)&(0xF0*ones8) == '0'*ones8
	return y & (0x0F * ones8) &^ sep, ok
}

// pairs turns the digit values of digits8 into two-digit numbers: byte i
// of the result is 10 × digit i + digit i+1 (at most 99, so no byte
// carries into the next).
func pairs(v uint64) uint64 { return v*10 + v>>8 }

// byteAt returns byte i of x.
func byteAt(x uint64, i int) int32 { return int32(uint8(x >> (8 * i))) }

// parseISO implements the ISO rule of Timestamp (the calendar check is
// valid's).
func (c *Civil) parseISO(b []byte) bool {
	*c = Civil{}
	if len(b) < 10 {
		return false
	}
	v, ok := digits8(binary.LittleEndian.Uint64(b), dateSep, dateVal)
	d, okd := two(b[8], b[9])
	if !ok || !okd {
		return false
	}
	p := pairs(v) // "YYYY-MM-": YY at bytes 0 and 2, MM at 5
	c.y, c.mo, c.d = byteAt(p, 0)*100+byteAt(p, 2), byteAt(p, 5), d
	if len(b) == 10 {
		return true
	}
	spaced := b[10] == ' '
	if b[10] != 'T' && !spaced {
		return false
	}
	rest, ok := c.parseClock(b[11:], true)
	if !ok {
		return false
	}
	switch {
	case len(rest) == 0:
		return true
	case spaced:
		return false // the spaced form takes no offset (metrics.md §1)
	case len(rest) == 1 && rest[0] == 'Z':
		return true
	case len(rest) == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':':
		oh, okh := two(rest[1], rest[2])
		om, okm := two(rest[4], rest[5])
		if !okh || !okm || oh > 23 || om > 59 {
			return false
		}
		c.off = oh*60 + om
		if rest[0] == '-' {
			c.off = -c.off
		}
		return true
	}
	return false
}

// parseClock reads HH:MM[:SS[.ffffff]] into c and returns what follows it.
func (c *Civil) parseClock(b []byte, fraction bool) ([]byte, bool) {
	if len(b) >= 8 {
		if v, ok := digits8(binary.LittleEndian.Uint64(b), timeSep, timeVal); ok {
			// HH:MM:SS in one word; the range checks are those below.
			p := pairs(v) // "HH:MM:SS": at bytes 0, 3 and 6
			h, m, s := byteAt(p, 0), byteAt(p, 3), byteAt(p, 6)
			if h > 23 || m > 59 || s > 59 {
				return nil, false
			}
			c.h, c.mi, c.s = h, m, s
			if b = b[8:]; len(b) == 0 || b[0] != '.' {
				return b, true
			}
			return c.fraction(b, fraction)
		}
	}
	if len(b) < 5 || b[2] != ':' {
		return nil, false
	}
	h, ok1 := two(b[0], b[1])
	m, ok2 := two(b[3], b[4])
	if !ok1 || !ok2 || h > 23 || m > 59 {
		return nil, false
	}
	c.h, c.mi = h, m
	b = b[5:]
	if len(b) == 0 || b[0] != ':' {
		return b, true
	}
	if len(b) < 3 {
		return nil, false
	}
	s, ok := two(b[1], b[2])
	if !ok || s > 59 {
		return nil, false
	}
	c.s = s
	return c.fraction(b[3:], fraction)
}

// fraction reads the ".ffffff" after the seconds, if fraction allows one,
// and returns what follows.
func (c *Civil) fraction(b []byte, fraction bool) ([]byte, bool) {
	if !fraction || len(b) == 0 || b[0] != '.' {
		return b, true
	}
	n := 0
	var us int32
	for n < len(b)-1 && b[1+n] >= '0' && b[1+n] <= '9' {
		if n >= 6 {
			return nil, false
		}
		us = us*10 + int32(b[1+n]-'0')
		n++
	}
	if n == 0 {
		return nil, false
	}
	for k := n; k < 6; k++ {
		us *= 10
	}
	c.us = us
	return b[1+n:], true
}

// parseSlashed implements the DMY/MDY rule of Timestamp.
func (c *Civil) parseSlashed(b []byte, dayFirst bool) bool {
	*c = Civil{}
	a, rest, ok := smallNumber(b)
	if !ok || len(rest) == 0 || (rest[0] != '/' && rest[0] != '.') {
		return false
	}
	sep := rest[0]
	e, rest, ok := smallNumber(rest[1:])
	if !ok || len(rest) < 5 || rest[0] != sep {
		return false
	}
	y, ok := digits(rest[1:], 4)
	if !ok {
		return false
	}
	rest = rest[5:]
	if len(rest) > 0 {
		if rest[0] != ' ' {
			return false
		}
		rest, ok = c.parseClock(rest[1:], false)
		if !ok || len(rest) > 0 {
			return false
		}
	}
	c.y, c.d, c.mo = int32(y), a, e
	if !dayFirst {
		c.d, c.mo = e, a
	}
	return true
}

// smallNumber reads one or two digits.
func smallNumber(b []byte) (int32, []byte, bool) {
	if len(b) == 0 || b[0] < '0' || b[0] > '9' {
		return 0, nil, false
	}
	v := int32(b[0] - '0')
	if len(b) > 1 && b[1] >= '0' && b[1] <= '9' {
		return v*10 + int32(b[1]-'0'), b[2:], true
	}
	return v, b[1:], true
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
	y, m, _ := CivilFromDays(Day(us))
	return int32(y*12 + m - 1)
}

// MicrosPerDay is the number of microseconds in a (UTC) day.
const MicrosPerDay = 86_400_000_000

// Day returns the day of a timestamp: days since 1970-01-01 (UTC), rounded
// down, so a time before 1970 falls on the day it is in.
func Day(us int64) int64 {
	days := us / MicrosPerDay
	if us < 0 && us%MicrosPerDay != 0 {
		days--
	}
	return days
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
	days := Day(us)
	rem := us - days*MicrosPerDay
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
