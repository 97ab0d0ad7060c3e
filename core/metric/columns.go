package metric

import (
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

// NeededColumns lists the columns a plan reads (for column pruning).
func NeededColumns(p *plan.Plan) []string {
	set := map[string]bool{}
	for _, c := range p.Columns {
		if c != "" {
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

// col returns cell i of column j of a batch.
func col(b *ingest.Batch, j, i int) []byte { return b.Cols[j].Cell(i) }
