package cell

import (
	"math/rand/v2"
	"testing"
	"time"
)

// Expected reasons follow oracle.py parse_scale / parse_ts / parse_flag
// (../shared/oracle), which implement metrics.md §1.
func TestScale(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in    string
		comma bool
		want  int64
		why   Reason
	}{
		{"9", false, 9, OK},
		{" 8 ", false, 8, OK},
		{"9.0", false, 9, OK},
		{"10.0", false, 10, OK},
		{"+5", false, 5, OK},
		{"0", false, 0, OK},
		{"5.", false, 5, OK},
		{"", false, 0, Blank},
		{"   ", false, 0, Blank},
		{"N/A", false, 0, NonNumeric},
		{"ten", false, 0, NonNumeric},
		{"1e1", false, 0, NonNumeric},
		{".", false, 0, NonNumeric},
		{"-", false, 0, NonNumeric},
		{"9,0", false, 0, NonNumeric},
		{"7.5", false, 0, NonInteger},
		{"8.5", false, 0, NonInteger},
		{".5", false, 0, NonInteger},
		{"11", false, 0, OutOfRange},
		{"-1", false, 0, OutOfRange},
		{"-99", false, 0, OutOfRange},
		{"99999999999999999999999", false, 0, OutOfRange},
		{"9,0", true, 9, OK},
		{"7,5", true, 0, NonInteger},
		{"9.0", true, 0, NonNumeric},
	}
	for _, tt := range tests {
		got, why := Scale([]byte(tt.in), 0, 10, tt.comma)
		if got != tt.want || why != tt.why {
			t.Errorf("Scale(%q, comma=%v) = %d, %v; want %d, %v", tt.in, tt.comma, got, why, tt.want, tt.why)
		}
	}
}

func TestFlag(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want bool
		why  Reason
	}{
		{"yes", true, OK}, {"Yes", true, OK}, {"TRUE", true, OK}, {"true", true, OK}, {"1", true, OK}, {"Y", true, OK},
		{"no", false, OK}, {"No", false, OK}, {"FALSE", false, OK}, {"0", false, OK}, {" n ", false, OK},
		{"", false, Blank}, {" ", false, Blank}, {"maybe", false, Unrecognized}, {"unknown", false, Unrecognized}, {"2", false, Unrecognized},
	}
	for _, tt := range tests {
		got, why := Flag([]byte(tt.in))
		if got != tt.want || why != tt.why {
			t.Errorf("Flag(%q) = %v, %v; want %v, %v", tt.in, got, why, tt.want, tt.why)
		}
	}
}

func TestTimestamp(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in     string
		format int
		want   string // RFC 3339 in UTC, "" when excluded
		why    Reason
	}{
		{"2024-03-05T10:00:00Z", ISO, "2024-03-05T10:00:00Z", OK},
		{"2024-03-05T10:00:00+01:00", ISO, "2024-03-05T09:00:00Z", OK},
		{"2024-03-31T23:30:00-05:00", ISO, "2024-04-01T04:30:00Z", OK},
		{"2024-03-05T10:00", ISO, "2024-03-05T10:00:00Z", OK},
		{"2024-03-05T10:00:00.5Z", ISO, "2024-03-05T10:00:00.5Z", OK},
		{"2024-03-05T10:00:00.123456", ISO, "2024-03-05T10:00:00.123456Z", OK},
		{"2024-03-05 10:00:00", ISO, "2024-03-05T10:00:00Z", OK},
		{"2024-03-05 10:00", ISO, "2024-03-05T10:00:00Z", OK},
		{"2024-03-05", ISO, "2024-03-05T00:00:00Z", OK},
		{" 2024-02-29 ", ISO, "2024-02-29T00:00:00Z", OK},
		{"", ISO, "", Blank},
		{"2024-02-30", ISO, "", BadTimestamp},
		{"2023-02-29", ISO, "", BadTimestamp},
		{"2024-03-05T10:00:00.1234567Z", ISO, "", BadTimestamp},
		{"2024-03-05 10:00:00Z", ISO, "", BadTimestamp},
		{"2024-03-05T24:00", ISO, "", BadTimestamp},
		{"2024/02/15 09:12", ISO, "", BadTimestamp},
		{"15-03-2024 10:00", ISO, "", BadTimestamp},
		{"05/02/2024 14:03", ISO, "", BadTimestamp},
		{"Feb 3 2024", ISO, "", BadTimestamp},
		{"pending", ISO, "", BadTimestamp},
		{"31/01/2024", DMY, "2024-01-31T00:00:00Z", OK},
		{"5/2/2024 14:03", DMY, "2024-02-05T14:03:00Z", OK},
		{"05.02.2024", DMY, "2024-02-05T00:00:00Z", OK},
		{"05/02/2024 14:03:09", MDY, "2024-05-02T14:03:09Z", OK},
		{"31/01/2024", MDY, "", BadTimestamp},
		{"2024-01-31", DMY, "", BadTimestamp},
	}
	for _, tt := range tests {
		got, why := Timestamp([]byte(tt.in), tt.format)
		if why != tt.why {
			t.Errorf("Timestamp(%q) reason %v; want %v", tt.in, why, tt.why)
			continue
		}
		if why == OK {
			s := time.UnixMicro(got).UTC().Format(time.RFC3339Nano)
			if s != tt.want {
				t.Errorf("Timestamp(%q) = %s; want %s", tt.in, s, tt.want)
			}
			if FormatTimestamp(got) != formatWant(tt.want) {
				t.Errorf("FormatTimestamp(%q) = %s", tt.in, FormatTimestamp(got))
			}
		}
	}
}

// formatWant is FormatTimestamp's rendering of an RFC 3339 UTC string.
func formatWant(rfc string) string {
	tm, _ := time.Parse(time.RFC3339Nano, rfc)
	if tm.Nanosecond() == 0 {
		return tm.Format("2006-01-02T15:04:05Z")
	}
	return tm.Format("2006-01-02T15:04:05.000000Z")
}

func TestMonths(t *testing.T) {
	t.Parallel()
	// Months round-trip against the time package over four centuries.
	for y := 1970; y < 2400; y += 7 {
		for m := 1; m <= 12; m++ {
			us := time.Date(y, time.Month(m), 15, 12, 0, 0, 0, time.UTC).UnixMicro()
			label := MonthLabel(Month(us))
			if want := time.UnixMicro(us).UTC().Format("2006-01"); label != want {
				t.Fatalf("Month(%d) = %s, want %s", us, label, want)
			}
			got, ok := ParseMonthLabel(label)
			if !ok || got != Month(us) {
				t.Fatalf("ParseMonthLabel(%s) = %d", label, got)
			}
			if start := MonthStart(got); start != time.Date(y, time.Month(m), 1, 0, 0, 0, 0, time.UTC).UnixMicro() {
				t.Fatalf("MonthStart(%s) = %d", label, start)
			}
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	// SetMicros gives what Parse gives from the text of the same time.
	lo, hi := DaysFromCivil(1, 1, 1)*86_400_000_000, (DaysFromCivil(9999, 12, 31)+1)*86_400_000_000-1
	for i := range 200_000 {
		us := lo + rng.Int64N(hi-lo+1)
		switch i % 4 {
		case 1:
			us -= us % 1_000_000 // whole seconds
		case 2:
			us = rng.Int64N(2) - 1 // around the epoch
		case 3:
			us = []int64{lo, hi, 0, -1, 951_782_400_000_000}[i%5] // edges, 2000-02-29
		}
		var parsed, set Civil
		if r := parsed.Parse([]byte(FormatTimestamp(us)), ISO); r != OK {
			t.Fatalf("FormatTimestamp(%d) = %q does not parse", us, FormatTimestamp(us))
		}
		if set.SetMicros(us); set != parsed || set.Micros() != us || set.Month() != Month(us) {
			t.Fatalf("SetMicros(%d) = %+v, Parse(%q) = %+v", us, set, FormatTimestamp(us), parsed)
		}
	}
	if _, ok := ParseMonthLabel("2024-13"); ok {
		t.Error("2024-13 accepted")
	}
}

func FuzzTimestamp(f *testing.F) {
	for _, s := range []string{"2024-03-05T10:00:00Z", "2024-03-05 10:00", "31/01/2024 10:00", "2024-03-05T10:00:00.123+05:30"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, format := range []int{ISO, DMY, MDY} {
			us, why := Timestamp([]byte(s), format)
			if why == OK && format == ISO {
				// Every accepted ISO value agrees with the time package.
				if _, err := time.Parse("2006", FormatTimestamp(us)[:4]); err != nil {
					t.Fatalf("%q gave unformattable %d", s, us)
				}
			}
		}
		Scale([]byte(s), 0, 10, false)
		Flag([]byte(s))
	})
}
