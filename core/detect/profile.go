package detect

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/cxaudit/cxaudit/core/cell"
	"github.com/cxaudit/cxaudit/core/plan"
)

// maxDistinct caps the distinct values a profile counts, so that a column
// of ids or a hostile sample costs bounded memory; a column with more
// distinct values than this is neither a segment nor a scale anyway.
const maxDistinct = 4096

// profile is what detection knows about one column: its name and what its
// sampled values parse as, using the same cell parsers the engine uses, so
// that "98% parse as a scale" here means 98% will count in the result.
type profile struct {
	idx  int
	name string // header as in the file (the plan refers to it verbatim)
	norm string // normalize(name)
	core string // core(norm): what name patterns match

	rows, nonBlank int
	counts         map[string]int // trimmed non-blank value → occurrences
	first          []string       // distinct values in order of appearance
	overflow       bool           // more than maxDistinct distinct values

	ints   map[int64]int // integer cells (metrics.md §1 rules) by value
	intOK  int
	nonInt int // decimals with a fraction ("7.5")

	iso, dmy, mdy          int
	dmyOnly, mdyOnly, both string // examples: parses only as DMY / only as MDY / as either
	isoEx                  string
	tMin, tMax             [3]int64 // per cell format, over parsed cells
	flags                  int
	words, maxLen, lines   int
	idShaped               int // no white space and a digit or "@" in it
	dateLike               int // four or more digits: a date in some format, or epoch seconds

	hdrLo, hdrHi int
	hdrScale     bool

	scale scaleFit
	ts    tsFit

	byCount []string // distinct values, most frequent first (built on first use)
}

// scaleFit is the rating scale a column's integers fit.
type scaleFit struct {
	ok     bool
	lo, hi int // the scale: [1,5], [1,7], [1,10] or [0,10]
	seenLo int // smallest and largest value seen inside the scale
	seenHi int
	in     int // cells that are integers inside the scale
}

// tsFit is how a column reads as timestamps.
type tsFit struct {
	format    string  // plan.FormatISO/DMY/MDY; "" when not a timestamp column
	share     float64 // parsed / non-blank in that format
	ambiguous bool    // D/M/Y or M/D/Y cells that no day above 12 decides
	why       string  // evidence, for the Detected sentence
}

// candidateScales are the rating scales detection recognises, narrowest
// first: a column gets the narrowest one that holds nearly all its
// integers, so a CSAT column with one stray "6" stays 1–5.
var candidateScales = [][2]int{{1, 5}, {1, 7}, {1, 10}, {0, 10}}

// outlierShare is the share of integer cells that may fall outside a scale
// and still leave it the column's scale: dirt like 11, -1 or Qualtrics'
// -99 (metrics.md §1 counts those as out_of_range).
const outlierShare = 0.03

func newProfile(idx int, name string, cells []string, decimalComma bool) *profile {
	p := &profile{idx: idx, name: name, norm: normalize(name), counts: map[string]int{}, ints: map[int64]int{}}
	p.core = core(p.norm)
	if lo, hi, ok := headerScale(name); ok {
		p.hdrLo, p.hdrHi, p.hdrScale = lo, hi, true
	}
	p.rows = len(cells)
	for f := range p.tMin {
		p.tMin[f], p.tMax[f] = 1<<62, -1<<62
	}
	var buf []byte // one buffer for the cell parsers, which take []byte
	for _, raw := range cells {
		v := trimASCII(raw) // a substring: no copy
		if v == "" {
			continue
		}
		buf = append(buf[:0], v...)
		b := buf
		p.nonBlank++
		if c, ok := p.counts[v]; ok {
			p.counts[v] = c + 1
		} else if len(p.counts) < maxDistinct {
			p.counts[v] = 1
			p.first = append(p.first, v)
		} else {
			p.overflow = true
		}
		switch n, r := cell.Integer(b, decimalComma); r {
		case cell.OK:
			p.intOK++
			if len(p.ints) < maxDistinct || p.ints[n] > 0 {
				p.ints[n]++
			}
		case cell.NonInteger:
			p.nonInt++
		}
		sh := shapeOf(v)
		if sh.asciiDigits >= minTimestampDigits {
			p.parseTimes(b, v)
		}
		if _, r := cell.Flag(b); r == cell.OK {
			p.flags++
		}
		p.words += sh.words
		p.maxLen = max(p.maxLen, len(v))
		if sh.lines {
			p.lines++
		}
		if sh.idShaped() {
			p.idShaped++
		}
		if sh.asciiDigits >= 4 {
			p.dateLike++
		}
	}
	p.scale = p.fitScale()
	p.ts = p.fitTimestamp()
	return p
}

// minTimestampDigits is the fewest ASCII digits a cell that cell.Timestamp
// accepts can hold in any format: a day, a month and a four-digit year
// (D/M/YYYY). Cells with fewer (scores, names, most free text) are not
// parsed three times over. TestMinTimestampDigits checks the shortest of
// each format.
const minTimestampDigits = 6

// parseTimes counts the cell under each accepted format.
func (p *profile) parseTimes(b []byte, v string) {
	var ok [3]bool
	for f := cell.ISO; f <= cell.MDY; f++ {
		t, r := cell.Timestamp(b, f)
		if r != cell.OK {
			continue
		}
		ok[f] = true
		p.tMin[f], p.tMax[f] = min(p.tMin[f], t), max(p.tMax[f], t)
	}
	if ok[cell.ISO] {
		p.iso++
		if p.isoEx == "" {
			p.isoEx = v
		}
	}
	if ok[cell.DMY] {
		p.dmy++
	}
	if ok[cell.MDY] {
		p.mdy++
	}
	switch {
	case ok[cell.DMY] && !ok[cell.MDY] && p.dmyOnly == "":
		p.dmyOnly = v
	case ok[cell.MDY] && !ok[cell.DMY] && p.mdyOnly == "":
		p.mdyOnly = v
	case ok[cell.MDY] && ok[cell.DMY] && p.both == "":
		p.both = v
	}
}

// trimASCII is cell.Trim on a string: ASCII white space only, as the
// engine trims.
func trimASCII(s string) string {
	i, j := 0, len(s)
	for i < j && isSpaceByte(s[i]) {
		i++
	}
	for j > i && isSpaceByte(s[j-1]) {
		j--
	}
	return s[i:j]
}

func isSpaceByte(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

// textShape is what one pass over a cell tells detection about its text.
type textShape struct {
	words       int  // runs of non-space characters (strings.Fields' count)
	asciiDigits int  // '0'–'9'
	digit       bool // any Unicode digit, or '@'
	space       bool // any Unicode white space
	lines       bool // a '\n' or '\r'
}

// idShaped: one token with a digit or an '@' (an id, an e-mail address).
func (t textShape) idShaped() bool { return t.digit && !t.space }

// asciiClass classifies the bytes below 0x80 for shapeOf.
var asciiClass = func() (c [128]uint8) {
	for b := range c {
		switch {
		case b == '\n' || b == '\r':
			c[b] = classSpace | classLine
		case b == ' ' || b == '\t' || b == '\v' || b == '\f':
			c[b] = classSpace
		case b >= '0' && b <= '9':
			c[b] = classDigit
		case b == '@':
			c[b] = classAt
		}
	}
	return c
}()

const (
	classSpace = 1 << iota
	classLine
	classDigit
	classAt

	classDigitShift = 2 // classDigit == 1<<classDigitShift
)

// classDigit must be 1<<classDigitShift (a negative constant does not
// compile).
const (
	_ = uint(classDigit - 1<<classDigitShift)
	_ = uint(1<<classDigitShift - classDigit)
)

// shapeOf scans v once: ASCII by table, anything else as runes (invalid
// UTF-8 counts as U+FFFD, a letter, as ranging over the string does).
// Detection ran four passes over every sampled cell, with a call to
// unicode.IsSpace per character; a tenth of engine.Prepare in wasm.
func shapeOf(v string) textShape {
	// Branch-free on ASCII: the classes seen are ORed, digits and word
	// starts (a non-space after a space, or first) summed from the class
	// bits. Branching on each byte mispredicted about five times a cell
	// of free text (cachegrind).
	var seen uint8            // the classes of every character
	prev := uint8(classSpace) // the class before v's first character
	words, digits := 0, 0
	uniDigit := false
	for i := 0; i < len(v); {
		c := v[i]
		var k uint8
		if c < utf8.RuneSelf {
			k = asciiClass[c]
			i++
		} else {
			r, n := utf8.DecodeRuneInString(v[i:])
			if unicode.IsSpace(r) {
				k = classSpace
			}
			uniDigit = uniDigit || unicode.IsDigit(r)
			i += n
		}
		seen |= k
		digits += int(k>>classDigitShift) & 1
		words += int(prev&^k) & classSpace
		prev = k
	}
	return textShape{
		words:       words,
		asciiDigits: digits,
		digit:       uniDigit || seen&(classDigit|classAt) != 0,
		space:       seen&classSpace != 0,
		lines:       seen&classLine != 0,
	}
}

// decimalKind reports ',' for "7,5"-like cells, '.' for "7.5"-like cells.
func decimalKind(b []byte) byte {
	sep := byte(0)
	i := 0
	if len(b) > 0 && (b[0] == '+' || b[0] == '-') {
		i++
	}
	digitsBefore, digitsAfter := 0, 0
	for ; i < len(b); i++ {
		c := b[i]
		switch {
		case c >= '0' && c <= '9':
			if sep == 0 {
				digitsBefore++
			} else {
				digitsAfter++
			}
		case (c == ',' || c == '.') && sep == 0:
			sep = c
		default:
			return 0
		}
	}
	if digitsBefore == 0 || digitsAfter == 0 {
		return 0
	}
	return sep
}

// fitScale finds the narrowest candidate scale holding all but
// outlierShare of the integer cells. A 1–10 fit that also saw a few zeros
// (two or more, and at least 0.5%) is widened to 0–10: such zeros are the
// bottom of an NPS scale, while a single stray 0 in a 1–10 rating is dirt.
func (p *profile) fitScale() scaleFit {
	if p.intOK == 0 {
		return scaleFit{}
	}
	for _, c := range candidateScales {
		in := 0
		for v, n := range p.ints {
			if v >= int64(c[0]) && v <= int64(c[1]) {
				in += n
			}
		}
		if float64(p.intOK-in) > p.outliersAllowed() {
			continue
		}
		lo, hi := c[0], c[1]
		if z := p.ints[0]; lo == 1 && hi == 10 && z >= 2 && float64(z) >= 0.005*float64(p.intOK) {
			lo = 0
			in += p.ints[0]
		}
		f := scaleFit{ok: true, lo: lo, hi: hi, in: in, seenLo: hi, seenHi: lo}
		for v := range p.ints {
			if v >= int64(lo) && v <= int64(hi) {
				f.seenLo, f.seenHi = min(f.seenLo, int(v)), max(f.seenHi, int(v))
			}
		}
		return f
	}
	return scaleFit{}
}

// fitTimestamp decides the column's timestamp format (metrics.md §1 and
// its product rule): ISO when most values are ISO; otherwise D/M/Y or
// M/D/Y when most values are slashed dates and some cell decides which
// (a first field above 12 means day first, a second field above 12 means
// month first). When every slashed value has both fields ≤ 12 the column
// is ambiguous: it stays ISO only, so those cells will be bad_timestamp,
// and the why says how to choose.
func (p *profile) fitTimestamp() tsFit {
	if p.nonBlank == 0 {
		return tsFit{}
	}
	n := float64(p.nonBlank)
	iso := float64(p.iso) / n
	slashed := max(p.dmy, p.mdy)
	if p.iso > 0 && p.iso >= slashed && iso >= 0.5 {
		return tsFit{format: plan.FormatISO, share: iso,
			why: fmt.Sprintf("%s of values are ISO 8601 timestamps (%q)", pct(p.iso, p.nonBlank), clip(p.isoEx, 32))}
	}
	if float64(slashed) < 0.5*n {
		return tsFit{share: max(iso, float64(slashed)/n)}
	}
	switch {
	case p.dmy > p.mdy:
		return tsFit{format: plan.FormatDMY, share: float64(p.dmy) / n,
			why: fmt.Sprintf("%s of values are DD/MM/YYYY dates (%q has a day above 12)", pct(p.dmy, p.nonBlank), clip(p.dmyOnly, 32))}
	case p.mdy > p.dmy:
		return tsFit{format: plan.FormatMDY, share: float64(p.mdy) / n,
			why: fmt.Sprintf("%s of values are MM/DD/YYYY dates (%q has a day above 12)", pct(p.mdy, p.nonBlank), clip(p.mdyOnly, 32))}
	}
	return tsFit{format: plan.FormatISO, share: float64(p.dmy) / n, ambiguous: true,
		why: fmt.Sprintf("values like %q could be DD/MM/YYYY or MM/DD/YYYY and no day above 12 decides which, so they are read as ISO only and will count as bad_timestamp; set timestamp_formats[%q] to \"dmy\" or \"mdy\" to read them", clip(p.both, 32), clip(p.name, 40))}
}

// outliersAllowed is how many integer cells may fall outside a scale:
// outlierShare of them, and at least one once there are five, so that one
// stray "11" among six NPS answers does not hide the 0–10 scale.
func (p *profile) outliersAllowed() float64 {
	a := outlierShare * float64(p.intOK)
	if p.intOK >= 5 {
		a = max(a, 1)
	}
	return a
}

// isTimestamp reports whether most values are timestamps of one format.
func (p *profile) isTimestamp() bool { return p.ts.format != "" && p.ts.share >= 0.5 }

// distinct is the number of distinct non-blank values.
func (p *profile) distinct() int { return len(p.counts) }

// blank is the number of blank cells.
func (p *profile) blank() int { return p.rows - p.nonBlank }

// numericShare is the share of non-blank values that are numbers.
func (p *profile) numericShare() float64 {
	if p.nonBlank == 0 {
		return 0
	}
	return float64(p.intOK+p.nonInt) / float64(p.nonBlank)
}

// uniqueShare is distinct / non-blank: 1 for an id column.
func (p *profile) uniqueShare() float64 {
	if p.nonBlank == 0 {
		return 0
	}
	if p.overflow {
		return 1
	}
	return float64(p.distinct()) / float64(p.nonBlank)
}

// isFreeText reports comment-like values: several words on average, or
// line breaks, or long cells. Such columns are never segments, however
// few distinct comments a small sample shows.
func (p *profile) isFreeText() bool {
	if p.nonBlank == 0 {
		return false
	}
	return p.lines > 0 || float64(p.words)/float64(p.nonBlank) >= 3 || p.maxLen > 80
}

// examples lists up to n distinct values, most frequent first.
func (p *profile) examples(n int) string {
	var parts []string
	for i, v := range p.mostFrequent() {
		if i == n {
			parts = append(parts, "…")
			break
		}
		parts = append(parts, fmt.Sprintf("%q", clip(v, 24)))
	}
	return strings.Join(parts, ", ")
}

// mostFrequent returns the distinct values, most frequent first (ties in
// order of appearance).
func (p *profile) mostFrequent() []string {
	if p.byCount == nil {
		p.byCount = append([]string{}, p.first...)
		sortByCount(p.byCount, p.counts)
	}
	return p.byCount
}

// pct renders k/n as a percentage that never rounds up to 100%.
func pct(k, n int) string {
	if n == 0 {
		return "0%"
	}
	v := 100 * k / n
	return fmt.Sprintf("%d%%", v)
}
