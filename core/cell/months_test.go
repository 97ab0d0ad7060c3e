package cell

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// parseMonth is the reference: Parse, then Month, as ISOMonths.ColumnSpans
// encodes them.
func parseMonth(b []byte) int32 {
	var c Civil
	if r := c.Parse(b, ISO); r != OK {
		return -1 - int32(r)
	}
	return c.Month()
}

// column is ColumnSpans for cells laid end to end in data, cell i ending
// at ends[i] (as ingest.Column.Spans makes the spans of a text column).
func column(m *ISOMonths, data []byte, ends []int32, months []int32) {
	spans := make([]uint64, len(ends))
	start := int32(0)
	for i, end := range ends {
		spans[i] = uint64(uint32(start)) | uint64(end)<<32
		start = end
	}
	m.ColumnSpans(data, spans, func(i int) []byte { return data[spans[i]&(1<<32-1) : spans[i]>>32] }, months)
}

// checkColumn runs cells through one ISOMonths (so that later cells meet
// the dates of earlier ones) and compares each with parseMonth.
func checkColumn(t *testing.T, m *ISOMonths, cells []string) {
	t.Helper()
	var data []byte
	ends := make([]int32, len(cells))
	for i, c := range cells {
		data = append(data, c...)
		ends[i] = int32(len(data))
	}
	// The same cells as spans of a buffer, with a byte between them as a
	// CSV's delimiter; every third one is marked quoted (a negative
	// start), for ColumnSpans to take from cellAt.
	ms := *m
	var buf []byte
	spans := make([]uint64, len(cells))
	for i, c := range cells {
		buf = append(buf, ',')
		a := len(buf)
		buf = append(buf, c...)
		spans[i] = uint64(uint32(int32(a))) | uint64(len(buf))<<32
		if i%3 == 2 {
			spans[i] = uint64(uint32(int32(-a))) | uint64(len(buf))<<32
		}
	}
	got := make([]int32, len(cells))
	column(m, data, ends, got)
	gotSpans := make([]int32, len(cells))
	ms.ColumnSpans(buf, spans, func(i int) []byte { return []byte(cells[i]) }, gotSpans)
	for i, c := range cells {
		if want := parseMonth([]byte(c)); got[i] != want || gotSpans[i] != want {
			t.Errorf("cell %d %q: %d, as a span %d, Parse+Month give %d", i, c, got[i], gotSpans[i], want)
		}
	}
}

// TestISOMonths: every cell, whether its date is known or not, gets
// Parse's verdict and month — above all the cells that share a known
// date with a bad clock, another shape, padding or an offset.
func TestISOMonths(t *testing.T) {
	for _, tc := range []struct {
		name  string
		cells []string
	}{
		{"fast shapes, date known", []string{"2024-03-15T10:00:00Z", "2024-03-15T23:59:59Z", "2024-03-15 00:00:00", "2024-03-15T12:34:56"}},
		{"bad clocks on a known date", []string{"2024-03-15T10:00:00Z", "2024-03-15T24:00:00Z", "2024-03-15T23:60:00Z", "2024-03-15T23:59:60Z", "2024-03-15T2a:00:00Z", "2024-03-15T10-00-00Z", "2024-03-15T10:00:00X", "2024-03-15X10:00:00Z", "2024-03-15 10:00:00Z", "2024-03-15T10:0:000Z", "2024-03-15T+1:00:00Z"}},
		{"other shapes on a known date", []string{"2024-03-15T10:00:00Z", "2024-03-15", "2024-03-15T10:00", "2024-03-15T10:00Z", "2024-03-15T10:00:00.5Z", "2024-03-15T10:00:00+01:00", "2024-03-15T00:30:00+01:00", "2024-03-31T23:30:00-01:00", " 2024-03-15T10:00:00Z", "2024-03-15T10:00:00Z ", "2024-03-15T10:00:00 ", "2024-03-15 10:00:00+01:00"}},
		{"month ends and offsets", []string{"2024-03-01T00:30:00+01:00", "2024-03-01T00:30:00Z", "2024-03-01T00:30:00+01:00", "2024-02-29T23:30:00-01:00", "2024-02-29T23:30:00", "2024-02-29T23:30:00-01:00"}},
		{"bad dates", []string{"2024-02-30T10:00:00Z", "2023-02-29T10:00:00Z", "2024-13-01T10:00:00Z", "2024-00-10T10:00:00Z", "0000-01-01T00:00:00Z", "2024-02-30T10:00:00Z", "2024/02/03T10:00:00Z", "2024-02-3aT10:00:00Z"}},
		{"blank and junk", []string{"", " ", "N/A", "2024", "20240315T100000Z", "2024-03-15T10:00:00ZZ", "\x002024-03-15T10:00:0"}},
		{"years 1 and 9999", []string{"0001-01-01T00:00:00Z", "0001-01-01 00:00:00", "9999-12-31T23:59:59Z", "9999-12-31T23:59:59"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var m ISOMonths
			checkColumn(t, &m, tc.cells)
			checkColumn(t, &m, tc.cells) // again, every date known now
		})
	}
}

// TestISOMonthsRandom: 200 000 cells of random shapes over a few hundred
// dates (so most meet a known date), with random damage, against Parse.
func TestISOMonthsRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var m ISOMonths
	cells := make([]string, 0, 1000)
	for round := 0; round < 200; round++ {
		cells = cells[:0]
		for range 1000 {
			y, mo, d := 2000+r.IntN(3), 1+r.IntN(12), 1+r.IntN(31)
			h, mi, s := r.IntN(26), r.IntN(62), r.IntN(62)
			var c string
			switch r.IntN(5) {
			case 0:
				c = fmt.Sprintf("%04d-%02d-%02dT%02d:%02d:%02dZ", y, mo, d, h, mi, s)
			case 1:
				c = fmt.Sprintf("%04d-%02d-%02d %02d:%02d:%02d", y, mo, d, h, mi, s)
			case 2:
				c = fmt.Sprintf("%04d-%02d-%02dT%02d:%02d:%02d", y, mo, d, h, mi, s)
			case 3:
				c = fmt.Sprintf("%04d-%02d-%02dT%02d:%02d:%02d%+03d:%02d", y, mo, d, h, mi, s, r.IntN(27)-13, 30*r.IntN(2))
			default:
				c = fmt.Sprintf("%04d-%02d-%02dT%02d:%02d", y, mo, d, h, mi)
			}
			if r.IntN(20) == 0 { // damage one byte
				b := []byte(c)
				b[r.IntN(len(b))] = "0123456789:-TZ .+x"[r.IntN(18)]
				c = string(b)
			}
			cells = append(cells, c)
		}
		checkColumn(t, &m, cells)
		if t.Failed() {
			return
		}
	}
}

// FuzzISOMonths: a cell after any other cell (whose date it may share)
// gets Parse's verdict.
func FuzzISOMonths(f *testing.F) {
	f.Add([]byte("2024-03-15T10:00:00Z"), []byte("2024-03-15T24:00:00Z"))
	f.Add([]byte("2024-03-15 10:00:00"), []byte("2024-03-15 10:00:00+01:00"))
	f.Add([]byte("2024-02-29T10:00:00"), []byte("2024-02-29T10:00:00Z"))
	f.Fuzz(func(t *testing.T, a, b []byte) {
		var m ISOMonths
		checkColumn(t, &m, []string{string(a), string(b), string(a), string(b)})
	})
}

// BenchmarkISOMonths: a column of one shape over the days of a year, as
// a survey export's submitted_at (compare BenchmarkTimestampMonth).
func BenchmarkISOMonths(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 4))
	var data []byte
	ends := make([]int32, 4096)
	for i := range ends {
		data = fmt.Appendf(data, "2024-%02d-%02dT%02d:%02d:%02dZ", 1+r.IntN(12), 1+r.IntN(28), r.IntN(24), r.IntN(60), r.IntN(60))
		ends[i] = int32(len(data))
	}
	months := make([]int32, len(ends))
	var m ISOMonths
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		column(&m, data, ends, months)
	}
}

// TestDateSlots: the days of any four years in a row have entries of
// their own.
func TestDateSlots(t *testing.T) {
	for _, first := range []int{1, 1999, 2022, 9996} {
		seen := map[int]string{}
		for days := DaysFromCivil(first, 1, 1); days < DaysFromCivil(first+4, 1, 1); days++ {
			y, m, d := CivilFromDays(days)
			b := []byte(fmt.Sprintf("%04d-%02d-%02dT00:00:00Z", y, m, d))
			w := uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 | uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
			slot := dateSlot(w, uint16(b[8])|uint16(b[9])<<8)
			if o, ok := seen[slot]; ok {
				t.Fatalf("%s and %s share entry %d", o, b[:10], slot)
			}
			seen[slot] = string(b[:10])
		}
	}
}
