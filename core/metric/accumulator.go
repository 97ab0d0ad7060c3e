package metric

import (
	"errors"
	"fmt"

	"github.com/cxaudit/cxaudit/core/cell"
	"github.com/cxaudit/cxaudit/core/ingest"
	"github.com/cxaudit/cxaudit/core/plan"
)

// Accumulator is the state of one analysis over some rows of a file.
type Accumulator interface {
	// Add accumulates the rows of a batch.
	Add(b *ingest.Batch)
	// Merge adds the state of another accumulator of the same plan and
	// header, built over other rows.
	Merge(other Accumulator) error
	// Result renders the kind-specific part of the result document, and
	// warnings about the data (e.g. a segment column with too many values).
	Result() (Object, []string)
}

var errMismatch = errors.New("metric: merging accumulators of different plans")

// New returns the accumulator for a plan's kind, bound to a header.
func New(p *plan.Plan, file string, header []string) (Accumulator, error) {
	switch p.Kind {
	case plan.KindSurvey:
		return NewSurvey(p, file, header)
	case plan.KindTickets:
		return NewTickets(p, file, header)
	case plan.KindCustomers:
		return NewCustomers(p, file, header)
	case plan.KindEvents:
		return NewEvents(p, file, header)
	}
	return nil, fmt.Errorf("metric: unknown kind %q", p.Kind)
}

func errorf(file, format string, args ...any) error {
	if file == "" {
		file = "input"
	}
	return fmt.Errorf("%s: "+format, append([]any{file}, args...)...)
}

// mergeSegments merges the groups of segment column o into s.
func mergeSegments[G any](s, o *segmenter[G], mk func() *G, mergeGroup func(*G, *G)) {
	for _, k := range sortedKeys(o.groups) {
		g := o.groups[k]
		if mine, ok := s.groups[k]; ok {
			mergeGroup(mine, g)
			continue
		}
		if len(s.groups) >= MaxSegmentValues {
			s.overflow = true
			other := s.groups[OtherSegment]
			if other == nil {
				other = mk()
				s.add(OtherSegment, other)
			}
			mergeGroup(other, g)
			continue
		}
		s.add(k, g)
	}
	s.overflow = s.overflow || o.overflow
}

func cellMonth(m int32) string { return cell.MonthLabel(m) }
