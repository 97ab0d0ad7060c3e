package metric

import (
	"encoding/binary"
	"fmt"
	"sort"
	"strings"

	"github.com/cxaudit/cxaudit/core/cell"
	"github.com/cxaudit/cxaudit/core/ingest"
	"github.com/cxaudit/cxaudit/core/plan"
)

// MaxSegmentValues is how many distinct values one segment column keeps;
// rows with further values are pooled in the OtherSegment bucket, so a
// column of ids used as a segment cannot exhaust memory.
const MaxSegmentValues = 1000

// OtherSegment is the bucket for segment values beyond MaxSegmentValues.
const OtherSegment = "(other)"

// columnIndex finds columns of a header by name.
type columnIndex struct {
	file   string
	header []string
	pos    map[string]int
}

func newColumnIndex(file string, header []string) *columnIndex {
	pos := make(map[string]int, len(header))
	for i, h := range header {
		if _, dup := pos[h]; !dup {
			pos[h] = i
		}
	}
	return &columnIndex{file: file, header: header, pos: pos}
}

// find returns the position of column name, used for what (e.g. "role
// created_at"), or an error naming the file and listing its columns.
func (c *columnIndex) find(name, what string) (int, error) {
	if i, ok := c.pos[name]; ok {
		return i, nil
	}
	file := c.file
	if file == "" {
		file = "input"
	}
	cols := make([]string, len(c.header))
	for i, h := range c.header {
		cols[i] = fmt.Sprintf("%q", h)
	}
	list := strings.Join(cols, ", ")
	if len(list) > 400 {
		list = list[:400] + "…"
	}
	if name == "" {
		return -1, fmt.Errorf("%s: the plan gives no column for %s; columns are: %s", file, what, list)
	}
	return -1, fmt.Errorf("%s: column %q (%s) is not in the file; columns are: %s", file, name, what, list)
}

// optional is find for a role that may be absent from the plan: "" → -1.
func (c *columnIndex) optional(name, what string) (int, error) {
	if name == "" {
		return -1, nil
	}
	return c.find(name, what)
}

// NeededColumns lists the columns the accumulators of a plan read, for
// column pruning: every column the plan names except its "id" role, which
// no metric reads (a survey's respondent ids were ~20 % of the time of a
// 1M-row Parquet pass). NamedColumns lists them all, for the check that
// each is in the file.
func NeededColumns(p *plan.Plan) []string { return planColumns(p, false) }

// NamedColumns lists every column a plan names, sorted.
func NamedColumns(p *plan.Plan) []string { return planColumns(p, true) }

func planColumns(p *plan.Plan, withID bool) []string {
	set := map[string]bool{}
	for role, c := range p.Columns {
		if c != "" && (withID || role != "id") {
			set[c] = true
		}
	}
	for _, m := range p.Metrics {
		set[m.Column] = true
	}
	for _, s := range p.Segments {
		set[s] = true
	}
	for _, c := range p.Compare {
		if c.By != "month" {
			set[c.By] = true
		}
	}
	out := make([]string, 0, len(set))
	for c := range set {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}

// tsFormat returns the cell timestamp format of a column.
func tsFormat(p *plan.Plan, column string) int {
	switch p.Format(column) {
	case plan.FormatDMY:
		return cell.DMY
	case plan.FormatMDY:
		return cell.MDY
	}
	return cell.ISO
}

// segmenter interns the values of one segment column, capping their number.
type segmenter[G any] struct {
	col      int
	name     string
	groups   map[string]*G
	overflow bool
	// first holds the first few values seen, scanned before the map: most
	// segment columns (channel, region, priority) have a handful of values,
	// and comparing a few short byte strings is several times cheaper than
	// hashing (measured: segment lookup was a third of a survey pass).
	first []segmentEntry[G]
	// short resolves raw cells of up to 8 bytes (nearly every segment
	// value) without trimming, converting or comparing strings.
	short shortCache[G]
	// dict and byEntry: see dictGroups.
	dict    *ingest.Dict
	byEntry []*G
}

type segmentEntry[G any] struct {
	key string
	g   *G
}

// firstValues is how many values a segmenter scans before its map.
const firstValues = 8

var blankSegment = []byte(cell.BlankSegment)

// group returns the group of a cell value, creating it with mk.
func (s *segmenter[G]) group(raw []byte, mk func() *G) *G {
	w, short := cellWord(raw)
	if short {
		if g := s.short.get(w, len(raw)); g != nil {
			return g
		}
	}
	g := s.resolve(raw, mk)
	if short {
		// A value keeps its group for good: groups are never removed, and
		// a value pooled in OtherSegment was so because the map is full,
		// which it stays.
		s.short.put(w, len(raw), g)
	}
	return g
}

// dictGroups returns the group of each entry of dictionary d met so far
// (nil: not met yet), and last the empty cell's, for a column that came
// coded (ingest.Column.Coded): a consumer asks group once per entry and
// remembers the answer there. Entries are resolved in row order, as the
// text would be, so groups are numbered, and pooled in OtherSegment, as
// they would be. A new dictionary (a new Parquet row group) starts afresh.
func (s *segmenter[G]) dictGroups(d *ingest.Dict) []*G {
	if s.dict != d {
		s.dict = d
		s.byEntry = append(s.byEntry[:0], make([]*G, d.Len()+1)...)
	}
	return s.byEntry
}

// resolve is group without the short-cell cache.
func (s *segmenter[G]) resolve(raw []byte, mk func() *G) *G {
	v := cell.Trim(raw)
	if len(v) == 0 {
		v = blankSegment
	}
	for i := range s.first {
		if s.first[i].key == string(v) {
			return s.first[i].g
		}
	}
	if g, ok := s.groups[string(v)]; ok {
		return g
	}
	key := string(v)
	if len(s.groups) >= MaxSegmentValues {
		s.overflow = true
		key = OtherSegment
		if g, ok := s.groups[key]; ok {
			return g
		}
	}
	g := mk()
	s.add(key, g)
	return g
}

// shortCache maps raw cells of at most 8 bytes, as read by cellWord, to
// their group: a direct-mapped table indexed by a multiplicative hash of
// the word. A segment column has a handful of values, so they rarely
// collide; when two do, they evict each other and the slower path answers.
type shortCache[G any] struct {
	slots [shortSlots]shortSlot[G]
}

type shortSlot[G any] struct {
	word uint64
	n    int // cell length + 1; 0: the slot is empty
	g    *G
}

const shortSlots = 64

func shortIndex(w uint64) uint64 { return w * 0x9E3779B97F4A7C15 >> 58 } // 6 bits

func (c *shortCache[G]) get(w uint64, n int) *G {
	e := &c.slots[shortIndex(w)]
	if e.word == w && e.n == n+1 {
		return e.g
	}
	return nil
}

func (c *shortCache[G]) put(w uint64, n int, g *G) {
	c.slots[shortIndex(w)] = shortSlot[G]{w, n + 1, g}
}

// cellWord packs a cell of at most 8 bytes into a word, byte i in bits
// 8i…8i+7, the rest zero (with its length, the word identifies the cell).
// ok is false for longer cells. A cell inside a column's arena can usually
// be read as one 8-byte load past its end (within the slice's capacity),
// masked; otherwise its bytes are gathered one by one.
func cellWord(b []byte) (w uint64, ok bool) {
	n := len(b)
	if n > 8 {
		return 0, false
	}
	if cap(b) >= 8 {
		return binary.LittleEndian.Uint64(b[:8]) & (1<<(8*n) - 1), true // n = 8: 1<<64 is 0, the mask all ones
	}
	for i, c := range b {
		w |= uint64(c) << (8 * i)
	}
	return w, true
}

// add records a new value's group.
func (s *segmenter[G]) add(key string, g *G) {
	s.groups[key] = g
	if len(s.first) < firstValues {
		s.first = append(s.first, segmentEntry[G]{key, g})
	}
}

func (s *segmenter[G]) warning() string {
	if !s.overflow {
		return ""
	}
	return fmt.Sprintf("segment column %q has more than %d distinct values; the rest are pooled as %q", s.name, MaxSegmentValues, OtherSegment)
}

// sortedKeys returns a map's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// decimalComma reports whether the plan reads "7,5" as a decimal.
func decimalComma(p *plan.Plan) bool { return p.CSV != nil && p.CSV.Decimal == "," }

// cells reads the cells of one column of a batch in row order, walking
// the column's arena (ingest.Column.Raw) instead of indexing it per row.
// The cells of an absent column (the plan has none) are empty.
type cells struct {
	data  []byte
	ends  []int32
	start int32
}

// columnCells returns the cells of column j of b; j < 0 is an absent column.
func columnCells(b *ingest.Batch, j int) cells {
	if j < 0 {
		return cells{}
	}
	data, ends := b.Cols[j].Raw()
	return cells{data: data, ends: ends}
}

// next returns the next cell (empty past the end, or in an absent column).
func (c *cells) next() []byte {
	if len(c.ends) == 0 {
		return nil
	}
	end := c.ends[0]
	b := c.data[c.start:end]
	c.start, c.ends = end, c.ends[1:]
	return b
}

// timeCells reads the cells of a timestamp column in row order: from the
// microseconds the Parquet reader handed over (ingest.Column.Times) when
// the plan reads the column as ISO 8601 — what parsing their text would
// give, without making and parsing the text — otherwise by parsing the
// text in the plan's format.
type timeCells struct {
	cells
	format int
	typed  bool
	times  []int64
}

// timeColumn returns the timestamp cells of column j of b in format (see
// tsFormat); j < 0 is an absent column (every cell Blank).
func timeColumn(b *ingest.Batch, j int, format int) timeCells {
	if j >= 0 && format == cell.ISO {
		if us, ok := b.Cols[j].Times(); ok {
			return timeCells{format: format, typed: true, times: us}
		}
	}
	return timeCells{cells: columnCells(b, j), format: format}
}

// next parses the next cell into t, as t.Parse does.
func (c *timeCells) next(t *cell.Civil) cell.Reason {
	if !c.typed {
		return t.Parse(c.cells.next(), c.format)
	}
	us := c.times[0]
	c.times = c.times[1:]
	if us == ingest.NullTime {
		*t = cell.Civil{}
		return cell.Blank
	}
	t.SetMicros(us)
	return cell.OK
}

// micros returns the next cell as cell.Timestamp does.
func (c *timeCells) micros() (int64, cell.Reason) {
	var t cell.Civil
	if r := c.next(&t); r != cell.OK {
		return 0, r
	}
	return t.Micros(), cell.OK
}
