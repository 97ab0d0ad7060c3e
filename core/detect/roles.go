package detect

import (
	"fmt"
	"sort"
)

// valueKind is what a role's values must look like.
type valueKind int

const (
	vTime  valueKind = iota // timestamps (ISO, or a decided D/M/Y or M/D/Y column)
	vID                     // distinct identifiers, one per row
	vUser                   // identifiers repeated over rows (an event log's user)
	vCount                  // non-negative integers
	vFlag                   // yes/no, true/false, 1/0, y/n
	vLabel                  // a few repeated text labels
)

// roleSpec describes one role of a kind.
type roleSpec struct {
	role  string
	names []pattern
	want  valueKind
	// fromValues allows the role on values alone (no matching header):
	// only where one column of that shape is the obvious choice, e.g. the
	// one timestamp column of a survey.
	fromValues bool
	// keepContradicted keeps a column whose header names this role exactly
	// even when its values do not fit, at low confidence and with a why
	// that says so: the role is what the kind cannot do without, and the
	// result's exclusion counts will then show the problem instead of the
	// role silently missing.
	keepContradicted bool
	// reject drops name matches that only look like the role ("First reply
	// time in minutes" is a duration, "Trial End" is not a trial start).
	reject func(core string) bool
}

// Minimum confidence for a role assigned from values alone.
const minValuesOnly = 0.55

// evaluate scores one column for one role, or returns nil.
func (d *detector) evaluate(spec roleSpec, p *profile) *assignment {
	nm := matchName(p.core, spec.names)
	if nm.weight > 0 && spec.reject != nil && spec.reject(p.core) {
		nm = nameMatch{}
	}
	fits, share, evidence, contra := d.valuesFit(spec, p)
	header := ""
	if nm.weight > 0 {
		header = fmt.Sprintf("header %q matches %s", clip(p.name, 60), nm.label)
	}
	a := &assignment{role: spec.role, p: p, rank: nm.rank}
	switch {
	case nm.weight > 0 && p.nonBlank == 0:
		a.conf = 0.3 + 0.15*nm.weight
		a.why = header + "; every sampled value is blank, so the values could not confirm it"
	case nm.weight > 0 && fits:
		a.conf = 0.55 + 0.35*nm.weight + 0.07*share
		a.why = header + "; " + evidence
	case nm.weight >= 0.85 && spec.keepContradicted && (spec.want != vTime || 2*p.dateLike >= p.nonBlank):
		a.conf = 0.2 + 0.05*nm.weight
		a.why = header + ", but " + contra()
	case nm.weight == 0 && fits && spec.fromValues:
		a.conf = 0.55 + 0.15*share
		a.why = evidence + " (no header names the role)"
	default:
		return nil
	}
	if spec.want == vTime && p.ts.ambiguous {
		// The column is a date column, but unless the user picks the
		// order its cells will not parse: say so by a lower confidence.
		a.conf *= 0.6
	}
	if nm.weight == 0 && a.conf < minValuesOnly {
		return nil
	}
	return a
}

// valuesFit checks a column's values against a role. It returns whether
// they fit, how well (0..1), the evidence sentence, and, when they do not
// fit, what was seen instead.
//
// contra is a function because building it (examples sorted by count) is
// wasted work for the many (role, column) pairs that never use it.
func (d *detector) valuesFit(spec roleSpec, p *profile) (fits bool, share float64, evidence string, contra func() string) {
	if p.nonBlank == 0 {
		return false, 0, "", func() string { return "every sampled value is blank" }
	}
	nb := p.nonBlank
	switch spec.want {
	case vTime:
		if p.isTimestamp() {
			return true, p.ts.share, p.ts.why, nil
		}
		parsed := "none of its values parse as timestamps"
		if k := max(p.iso, p.dmy, p.mdy); k > 0 {
			parsed = fmt.Sprintf("only %s of its values parse as timestamps", pct(k, nb))
		}
		return false, 0, "", func() string {
			return fmt.Sprintf("%s (e.g. %s), so its cells will count as bad_timestamp; accepted are ISO 8601 and whole DD/MM/YYYY or MM/DD/YYYY columns", parsed, p.examples(2))
		}
	case vID:
		if p.uniqueShare() >= 0.95 && !p.isTimestamp() && !p.isFreeText() && p.nonInt == 0 && p.nonBlank*2 >= p.rows {
			return true, p.uniqueShare(), fmt.Sprintf("%s of its %s are distinct", pct(p.distinct(), nb), plural(nb, "value")), nil
		}
		return false, 0, "", func() string { return fmt.Sprintf("only %d of its %d values are distinct", p.distinct(), nb) }
	case vUser:
		if p.isTimestamp() || p.isFreeText() || p.numericShare() > 0.5 && p.scale.ok {
			return false, 0, "", func() string { return "its values are not identifiers" }
		}
		perUser := float64(nb) / float64(max(p.distinct(), 1))
		if p.overflow {
			perUser = 1
		}
		shaped := float64(p.idShaped) / float64(nb)
		if perUser >= 1.2 && shaped >= 0.8 && p.distinct() >= 2 {
			return true, min(1, shaped), fmt.Sprintf("%d distinct ids over %d rows (%.1f rows per id)", p.distinct(), nb, perUser), nil
		}
		return false, 0, "", func() string { return fmt.Sprintf("%d distinct values over %d rows", p.distinct(), nb) }
	case vCount:
		neg := 0
		big := 0
		for v, n := range p.ints {
			if v < 0 {
				neg += n
			}
			if v > 100000 {
				big += n
			}
		}
		ok := p.intOK - neg - big
		s := float64(ok) / float64(nb)
		if s >= 0.8 {
			return true, s, fmt.Sprintf("%s of values are non-negative whole numbers", pct(ok, nb)), nil
		}
		return false, 0, "", func() string {
			return fmt.Sprintf("only %s of values are counts (e.g. %s)", pct(ok, nb), p.examples(2))
		}
	case vFlag:
		s := float64(p.flags) / float64(nb)
		if s >= 0.8 {
			return true, s, fmt.Sprintf("%s of values are yes/no flags (%s)", pct(p.flags, nb), p.examples(4)), nil
		}
		return false, 0, "", func() string {
			return fmt.Sprintf("only %s of values are yes/no flags (e.g. %s)", pct(p.flags, nb), p.examples(2))
		}
	case vLabel:
		if !p.isTimestamp() && !p.isFreeText() && p.numericShare() < 0.5 && !p.overflow && p.distinct() <= 50 {
			return true, 1, fmt.Sprintf("%d distinct values (%s)", p.distinct(), p.examples(4)), nil
		}
		return false, 0, "", func() string { return fmt.Sprintf("%d distinct values", p.distinct()) }
	}
	return false, 0, "", func() string { return "" }
}

// plural renders "1 value", "3 values".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// assignRoles gives each role at most one column and each column at most
// one role, best-scored pairs first; columns in taken are already used
// (by survey metrics).
func (d *detector) assignRoles(specs []roleSpec, taken map[int]bool) map[string]*assignment {
	var cands []*assignment
	order := map[string]int{}
	for i, spec := range specs {
		order[spec.role] = i
		for _, p := range d.profiles {
			if taken[p.idx] {
				continue
			}
			if a := d.evaluate(spec, p); a != nil {
				cands = append(cands, a)
			}
		}
	}
	sort.SliceStable(cands, func(i, j int) bool {
		a, b := cands[i], cands[j]
		if a.conf != b.conf {
			return a.conf > b.conf
		}
		if a.rank != b.rank {
			return a.rank < b.rank
		}
		if order[a.role] != order[b.role] {
			return order[a.role] < order[b.role]
		}
		return a.p.idx < b.p.idx
	})
	out := map[string]*assignment{}
	used := map[int]bool{}
	for _, a := range cands {
		if out[a.role] != nil || used[a.p.idx] {
			continue
		}
		out[a.role] = a
		used[a.p.idx] = true
	}
	return out
}

// conf returns the confidence of a role, 0 when unassigned.
func conf(roles map[string]*assignment, role string) float64 {
	if a := roles[role]; a != nil {
		return a.conf
	}
	return 0
}
