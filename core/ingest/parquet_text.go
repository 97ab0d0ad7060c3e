package ingest

import (
	"encoding/binary"
	"fmt"
	"math"
	"strconv"

	"github.com/cxaudit/cxaudit/core/cell"
)

// Canonical text of Parquet values (the table in parquet.go).

// Render kinds: how a leaf's values become text.
const (
	kBool = iota
	kInt32
	kUint32
	kInt64
	kUint64
	kFloat
	kDouble
	kFloat16
	kDecimal32
	kDecimal64
	kDecimalBytes
	kDate
	kTimestamp
	kInt96
	kTime32
	kTime64
	kBytes
	kUUID
)

// setKind chooses the rendering of a leaf from its physical type and its
// logical type, or its converted type when it has no logical type.
func (l *pqLeaf) setKind() error {
	el := l.el
	lt := el.logical
	ct := el.converted
	if lt.kind != 0 {
		ct = -1 // the logical type rules
	}
	decimal := lt.kind == ltDecimal || ct == ctDecimal
	if decimal {
		l.scale = int(el.scale)
		if lt.kind == ltDecimal {
			l.scale = int(lt.scale)
		}
		if l.scale < 0 || l.scale > maxDecimalScale {
			return fmt.Errorf("DECIMAL with scale %d", l.scale)
		}
	}
	switch el.typ {
	case ptBoolean:
		l.kind = kBool
	case ptInt32:
		l.kind = kInt32
		switch {
		case decimal:
			l.kind = kDecimal32
		case lt.kind == ltInteger && !lt.signed, ct == ctUint8, ct == ctUint16, ct == ctUint32:
			l.kind = kUint32
		case lt.kind == ltDate, ct == ctDate:
			l.kind = kDate
		case lt.kind == ltTime && lt.unit == unitMillis, ct == ctTimeMillis:
			l.kind, l.unit = kTime32, unitMillis
		}
	case ptInt64:
		l.kind = kInt64
		switch {
		case decimal:
			l.kind = kDecimal64
		case lt.kind == ltInteger && !lt.signed, ct == ctUint64:
			l.kind = kUint64
		case lt.kind == ltTimestamp && lt.unit >= unitMillis && lt.unit <= unitNanos:
			l.kind, l.unit = kTimestamp, lt.unit
		case ct == ctTimestampMillis:
			l.kind, l.unit = kTimestamp, unitMillis
		case ct == ctTimestampMicros:
			l.kind, l.unit = kTimestamp, unitMicros
		case lt.kind == ltTime && (lt.unit == unitMicros || lt.unit == unitNanos):
			l.kind, l.unit = kTime64, lt.unit
		case ct == ctTimeMicros:
			l.kind, l.unit = kTime64, unitMicros
		}
	case ptInt96:
		l.kind = kInt96
	case ptFloat:
		l.kind = kFloat
	case ptDouble:
		l.kind = kDouble
	case ptByteArray:
		l.kind = kBytes
		if decimal {
			l.kind = kDecimalBytes
		}
	case ptFixed:
		if el.typeLength <= 0 || el.typeLength > maxPageBytes {
			return fmt.Errorf("FIXED_LEN_BYTE_ARRAY of length %d", el.typeLength)
		}
		l.kind = kBytes
		switch {
		case decimal:
			if el.typeLength > maxDecimalBytes {
				return fmt.Errorf("DECIMAL of %d bytes (the limit is %d)", el.typeLength, maxDecimalBytes)
			}
			l.kind = kDecimalBytes
		case lt.kind == ltUUID && el.typeLength == 16:
			l.kind = kUUID
		case lt.kind == ltFloat16 && el.typeLength == 2:
			l.kind = kFloat16
		}
	default:
		return fmt.Errorf("unknown physical type %d", el.typ)
	}
	return nil
}

// appendValue appends the text of value j of v.
func (l *pqLeaf) appendValue(dst []byte, v *pqValues, j int) []byte {
	switch l.kind {
	case kBool:
		if v.bools[j] {
			return append(dst, "true"...)
		}
		return append(dst, "false"...)
	case kInt32:
		return strconv.AppendInt(dst, int64(v.i32[j]), 10)
	case kUint32:
		return strconv.AppendUint(dst, uint64(uint32(v.i32[j])), 10)
	case kInt64:
		return strconv.AppendInt(dst, v.i64[j], 10)
	case kUint64:
		return strconv.AppendUint(dst, uint64(v.i64[j]), 10)
	case kFloat:
		return strconv.AppendFloat(dst, float64(v.f32[j]), 'f', -1, 32)
	case kDouble:
		return strconv.AppendFloat(dst, v.f64[j], 'f', -1, 64)
	case kFloat16:
		return strconv.AppendFloat(dst, float64(pqFloat16(binary.LittleEndian.Uint16(v.bin[j]))), 'f', -1, 32)
	case kDecimal32:
		return appendDecimal(dst, int64(v.i32[j]), l.scale)
	case kDecimal64:
		return appendDecimal(dst, v.i64[j], l.scale)
	case kDecimalBytes:
		return appendDecimalBytes(dst, v.bin[j], l.scale)
	case kDate:
		return appendDate(dst, int64(v.i32[j]))
	case kTimestamp:
		x := v.i64[j]
		per := int64(86_400_000) // units per day
		switch l.unit {
		case unitMicros:
			per = 86_400_000_000
		case unitNanos:
			per = 86_400_000_000_000
		}
		days := pqFloorDiv(x, per)
		rem := x - days*per
		switch l.unit {
		case unitMillis:
			rem *= 1000
		case unitNanos:
			rem /= 1000
		}
		return appendTimestamp(dst, days, rem)
	case kInt96:
		b := v.bin[j]
		nanos := int64(binary.LittleEndian.Uint64(b))
		days := int64(int32(binary.LittleEndian.Uint32(b[8:]))) - 2_440_588 // Julian day of 1970-01-01
		carry := pqFloorDiv(nanos, 86_400_000_000_000)
		nanos -= carry * 86_400_000_000_000
		return appendTimestamp(dst, days+carry, nanos/1000)
	case kTime32:
		return appendTimeOfDay(dst, int64(v.i32[j])*1000)
	case kTime64:
		x := v.i64[j]
		if l.unit == unitNanos {
			x = pqFloorDiv(x, 1000)
		}
		return appendTimeOfDay(dst, x)
	case kUUID:
		return appendUUID(dst, v.bin[j])
	default: // kBytes
		return append(dst, v.bin[j]...)
	}
}

// Timestamps handed over as times (Column.Times) rather than text: those
// of years 1–9999, which the text shows with four digits and which
// cell.Timestamp reads back to the same microsecond.
var (
	minTimeDay = cell.DaysFromCivil(1, 1, 1)
	maxTimeDay = cell.DaysFromCivil(9999, 12, 31)
)

// timesInRange reports whether every TIMESTAMP value of vs (in the leaf's
// unit) falls in the years 1–9999.
func (l *pqLeaf) timesInRange(vs []int64) bool {
	var lo, hi int64
	switch l.unit {
	case unitMillis:
		lo, hi = minTimeDay*86_400_000, (maxTimeDay+1)*86_400_000-1
	case unitMicros:
		lo, hi = minTimeDay*86_400_000_000, (maxTimeDay+1)*86_400_000_000-1
	default: // nanoseconds: every int64 is in 1677–2262
		return true
	}
	return int64sInRange(vs, lo, hi) == len(vs)
}

// micros sets dst to the TIMESTAMP values vs (in the leaf's unit) in
// microseconds, as appendValue converts them before rendering
// (nanoseconds rounded down), and to NullTime where the definition level
// lv is below maxDef (lv nil: no nulls).
func (l *pqLeaf) micros(dst []int64, vs []int64, lv []int32, maxDef int32) {
	if lv == nil || len(vs) == len(dst) {
		switch l.unit {
		case unitMillis:
			scaleInt64s(dst, vs, 1000)
		case unitNanos:
			for i, v := range vs[:len(dst)] {
				dst[i] = pqFloorDiv(v, 1000)
			}
		default:
			copy(dst, vs)
		}
		return
	}
	j := 0
	for i, lev := range lv[:len(dst)] {
		if lev != maxDef {
			dst[i] = NullTime
			continue
		}
		v := vs[j]
		j++
		switch l.unit {
		case unitMillis:
			v *= 1000
		case unitNanos:
			v = pqFloorDiv(v, 1000)
		}
		dst[i] = v
	}
}

// appendMicros renders microseconds as appendValue renders a TIMESTAMP.
func appendMicros(dst []byte, us int64) []byte {
	days := cell.Day(us)
	return appendTimestamp(dst, days, us-days*cell.MicrosPerDay)
}

func pqFloorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// float16 converts IEEE 754 half-precision bits to a float32 (exactly).
func pqFloat16(h uint16) float32 {
	sign := uint32(h>>15) << 31
	exp := uint32(h>>10) & 0x1f
	mant := uint32(h) & 0x3ff
	switch exp {
	case 0:
		f := float32(mant) / (1 << 24)
		if sign != 0 {
			f = -f
		}
		return f
	case 0x1f:
		return math.Float32frombits(sign | 0xff<<23 | mant<<13)
	}
	return math.Float32frombits(sign | (exp-15+127)<<23 | mant<<13)
}

// appendDecimal appends an unscaled integer with scale fraction digits.
func appendDecimal(dst []byte, v int64, scale int) []byte {
	var buf [20]byte
	u := uint64(v)
	if v < 0 {
		u = -u
	}
	digits := strconv.AppendUint(buf[:0], u, 10)
	return appendScaled(dst, v < 0, digits, scale)
}

// appendScaled appends sign, digits and a decimal point scale digits
// from the right ("0.05" for 5 with scale 2).
func appendScaled(dst []byte, neg bool, digits []byte, scale int) []byte {
	if neg {
		dst = append(dst, '-')
	}
	if scale == 0 {
		return append(dst, digits...)
	}
	if len(digits) <= scale {
		dst = append(dst, '0', '.')
		for i := len(digits); i < scale; i++ {
			dst = append(dst, '0')
		}
		return append(dst, digits...)
	}
	dst = append(dst, digits[:len(digits)-scale]...)
	dst = append(dst, '.')
	return append(dst, digits[len(digits)-scale:]...)
}

// appendDecimalBytes appends a big-endian two's complement unscaled
// integer (empty = 0) with scale fraction digits.
func appendDecimalBytes(dst []byte, b []byte, scale int) []byte {
	if len(b) <= 8 {
		var v int64
		if len(b) > 0 && b[0]&0x80 != 0 {
			v = -1
		}
		for _, c := range b {
			v = v<<8 | int64(c)
		}
		return appendDecimal(dst, v, scale)
	}
	neg := b[0]&0x80 != 0
	mag := append([]byte(nil), b...)
	if neg { // two's complement negation: invert, add one
		for i := range mag {
			mag[i] = ^mag[i]
		}
		for i := len(mag) - 1; i >= 0; i-- {
			mag[i]++
			if mag[i] != 0 {
				break
			}
		}
	}
	// Repeated division by 10^9, most significant byte first.
	var groups []uint32
	for {
		nonzero := false
		var rem uint64
		for i, c := range mag {
			cur := rem<<8 | uint64(c)
			mag[i] = byte(cur / 1e9)
			rem = cur % 1e9
			if mag[i] != 0 {
				nonzero = true
			}
		}
		groups = append(groups, uint32(rem))
		if !nonzero {
			break
		}
	}
	digits := strconv.AppendUint(nil, uint64(groups[len(groups)-1]), 10)
	for i := len(groups) - 2; i >= 0; i-- {
		g := strconv.AppendUint(nil, uint64(groups[i]), 10)
		for k := len(g); k < 9; k++ {
			digits = append(digits, '0')
		}
		digits = append(digits, g...)
	}
	return appendScaled(dst, neg, digits, scale)
}

// appendDate appends days since 1970-01-01 as YYYY-MM-DD.
func appendDate(dst []byte, days int64) []byte {
	y, m, d := cell.CivilFromDays(days)
	if y < 0 || y > 9999 {
		if y < 0 {
			dst = append(dst, '-')
			y = -y
		} else {
			dst = append(dst, '+')
		}
		if y < 10000 {
			dst = append(dst, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10))
		} else {
			dst = strconv.AppendInt(dst, int64(y), 10)
		}
	} else {
		dst = append(dst, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10))
	}
	return append(dst, '-', byte('0'+m/10), byte('0'+m%10), '-', byte('0'+d/10), byte('0'+d%10))
}

// appendTimestamp appends a day and the microseconds into it (0 ≤ us <
// one day) as cell.FormatTimestamp does: YYYY-MM-DDTHH:MM:SS[.ffffff]Z.
func appendTimestamp(dst []byte, days, us int64) []byte {
	dst = appendDate(dst, days)
	dst = append(dst, 'T')
	dst = appendClock(dst, us)
	return append(dst, 'Z')
}

// appendClock appends 0 ≤ us < one day as HH:MM:SS[.ffffff].
func appendClock(dst []byte, us int64) []byte {
	sec := us / 1_000_000
	frac := us % 1_000_000
	h, m, s := sec/3600, sec/60%60, sec%60
	dst = append(dst, byte('0'+h/10), byte('0'+h%10), ':', byte('0'+m/10), byte('0'+m%10), ':', byte('0'+s/10), byte('0'+s%10))
	if frac != 0 {
		dst = append(dst, '.')
		for div := int64(100000); div > 0; div /= 10 {
			dst = append(dst, byte('0'+frac/div%10))
		}
	}
	return dst
}

// appendTimeOfDay appends a TIME value in microseconds; values outside a
// day (invalid) keep their sign and full hours so they are not misread.
func appendTimeOfDay(dst []byte, us int64) []byte {
	if us >= 0 && us < 86_400_000_000 {
		return appendClock(dst, us)
	}
	u := uint64(us)
	if us < 0 {
		dst = append(dst, '-')
		u = -u
	}
	h := u / 3_600_000_000
	if h < 10 {
		dst = append(dst, '0')
	}
	dst = strconv.AppendUint(dst, h, 10)
	start := len(dst)
	dst = appendClock(dst, int64(u%3_600_000_000)) // "00:MM:SS…"
	return append(dst[:start], dst[start+2:]...)   // keep ":MM:SS…"

}

const hexDigits = "0123456789abcdef"

// appendUUID appends 16 bytes as 8-4-4-4-12 lowercase hex.
func appendUUID(dst []byte, b []byte) []byte {
	for i, c := range b {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			dst = append(dst, '-')
		}
		dst = append(dst, hexDigits[c>>4], hexDigits[c&15])
	}
	return dst
}
