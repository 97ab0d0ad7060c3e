package detect

import (
	"fmt"
	"sort"
	"strings"

	"github.com/cxaudit/cxaudit/core/cell"
	"github.com/cxaudit/cxaudit/core/plan"
)

// Role specifications per kind, in the order ties are broken.
var (
	surveySpecs = []roleSpec{
		{role: "timestamp", names: surveyTimestamp, want: vTime, fromValues: true, keepContradicted: true},
		{role: "id", names: surveyID, want: vID, fromValues: true},
	}
	ticketSpecs = []roleSpec{
		{role: "created_at", names: ticketCreated, want: vTime, keepContradicted: true},
		{role: "resolved_at", names: ticketResolved, want: vTime, keepContradicted: true, reject: isDuration},
		{role: "first_response_at", names: ticketFirstReponse, want: vTime, keepContradicted: true, reject: isDuration},
		{role: "replies", names: ticketReplies, want: vCount},
		{role: "fcr", names: ticketFCR, want: vFlag},
		{role: "id", names: ticketID, want: vID, fromValues: true},
	}
	customerSpecs = []roleSpec{
		{role: "subscribed_at", names: customerSubscribed, want: vTime, keepContradicted: true},
		{role: "trial_started_at", names: customerTrial, want: vTime, keepContradicted: true, reject: trialEnd.MatchString},
		{role: "cancelled_at", names: customerCancelled, want: vTime, keepContradicted: true},
		{role: "source", names: customerSource, want: vLabel},
		{role: "id", names: customerID, want: vID, fromValues: true},
	}
	eventSpecs = []roleSpec{
		{role: "timestamp", names: eventTime, want: vTime, fromValues: true, keepContradicted: true},
		{role: "user_id", names: eventUser, want: vUser, fromValues: true},
	}
)

// isDuration rejects "First reply time in minutes", "Resolution time
// (hrs)": Zendesk and Freshdesk durations, not the timestamps the roles
// need.
func isDuration(core string) bool { return durationWords.MatchString(core) }

// minRole is the confidence a defining role needs for its kind to
// qualify: a matching header whose values fit, or exact values alone.
// With no rows at all (a header-only file) a header alone must do.
func (d *detector) minRole() float64 {
	if d.rows == 0 {
		return 0.3
	}
	return 0.5
}

// survey: at least one rating metric.
func (d *detector) survey() *result {
	r := &result{kind: plan.KindSurvey, metrics: d.surveyMetrics()}
	taken := map[int]bool{}
	for _, m := range r.metrics {
		taken[m.p.idx] = true
		r.score += m.conf
	}
	r.qualifies = len(r.metrics) > 0
	r.roles = d.assignRoles(surveySpecs, taken)
	r.segments = d.segments(r, taken)
	return r
}

// tickets: a creation time plus at least one of resolution time, first
// response time, reply count or first-contact flag.
func (d *detector) tickets() *result {
	r := &result{kind: plan.KindTickets, roles: d.assignRoles(ticketSpecs, nil)}
	others := 0.0
	for _, role := range []string{"resolved_at", "first_response_at", "replies", "fcr"} {
		if c := conf(r.roles, role); c >= d.minRole() {
			others += c
		}
	}
	created := conf(r.roles, "created_at")
	r.qualifies = created > 0 && others > 0
	r.score = created + others
	r.segments = d.segments(r, nil)
	return r
}

// customers: a subscription date, or two of trial start, subscription and
// cancellation.
func (d *detector) customers() *result {
	r := &result{kind: plan.KindCustomers, roles: d.assignRoles(customerSpecs, nil)}
	dates := 0
	for _, role := range []string{"subscribed_at", "trial_started_at", "cancelled_at"} {
		if c := conf(r.roles, role); c >= d.minRole() {
			dates++
			r.score += c
		}
	}
	r.qualifies = conf(r.roles, "subscribed_at") > 0 && (dates >= 2 || conf(r.roles, "subscribed_at") >= 0.9)
	r.score += 0.3 * conf(r.roles, "source")
	r.periods, r.periodWhy = d.periods(r)
	r.referral, r.refWhy = d.referral(r.roles["source"])
	return r
}

// events: a user id repeated over rows and an event time. An event log is
// the least specific shape (a survey with returning respondents has it
// too), so it scores at most 0.78: below one named survey metric (≥ 0.9)
// or two ticket or customer roles, above one metric guessed from values.
func (d *detector) events() *result {
	r := &result{kind: plan.KindEvents, roles: d.assignRoles(eventSpecs, nil)}
	u, t := conf(r.roles, "user_id"), conf(r.roles, "timestamp")
	r.qualifies = u > 0 && t > 0
	r.score = 0.4 * (u + t)
	return r
}

// segments picks up to maxSegments columns worth breaking every metric
// down by (surveys and tickets; customer and event metrics have no
// breakdown): few distinct values that repeat, not an id, free text,
// timestamp, number, bookkeeping or personal data, and not used in a role.
func (d *detector) segments(r *result, taken map[int]bool) []*assignment {
	used := map[int]bool{}
	for k := range taken {
		used[k] = true
	}
	for _, a := range r.roles {
		used[a.p.idx] = true
	}
	var cands []*assignment
	for _, p := range d.profiles {
		if used[p.idx] {
			continue
		}
		if a := d.segmentCandidate(r.kind, p); a != nil {
			cands = append(cands, a)
		}
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].conf > cands[j].conf })
	if len(cands) > maxSegments {
		cands = cands[:maxSegments]
	}
	return cands
}

// maxSegments keeps the breakdown readable: every segment multiplies the
// result's tables.
const maxSegments = 4

// segmentCandidate scores one column as a segment, or returns nil.
func (d *detector) segmentCandidate(kind string, p *profile) *assignment {
	if p.nonBlank == 0 || p.overflow || p.isTimestamp() || p.isFreeText() ||
		freeText.MatchString(p.core) && !segmentName.MatchString(p.core) {
		return nil // comments, however few distinct ones a sample shows; "feedback_channel" is fine
	}
	if personal.MatchString(p.core) || idName.MatchString(p.core) && !segmentName.MatchString(p.core) {
		return nil
	}
	if kind == plan.KindSurvey && (bookkeeping.MatchString(p.core) || metricStem.MatchString(p.core)) {
		return nil // Qualtrics Status/Finished; "Q1_NPS_GROUP" or "NPS category" split NPS by itself
	}
	named := segmentName.MatchString(p.core)
	if p.numericShare() >= 0.8 && !named {
		return nil // numbers are measures or codes, not groups
	}
	groups := p.distinct()
	if p.blank() >= 2 {
		groups++ // blanks form their own "(blank)" segment
	}
	if groups < 2 || groups > 50 {
		return nil
	}
	repeated := 0
	for _, n := range p.counts {
		if n >= 2 {
			repeated += n
		}
	}
	if float64(repeated) < 0.7*float64(p.nonBlank) || p.nonBlank*5 < p.rows {
		return nil // mostly one-off values, or mostly blank
	}
	if p.uniqueShare() > 0.5 && p.nonBlank >= 10 {
		return nil
	}
	score := 0.55
	reason := ""
	if named {
		score += 0.21
		if topSegment.MatchString(p.core) {
			score += 0.04
		}
		reason = fmt.Sprintf("; header %q is a typical breakdown", clip(p.name, 60))
	}
	if weakSegment.MatchString(p.core) || p.flags == p.nonBlank {
		score -= 0.15 // status, agent, yes/no: less telling than channel or region
	}
	if groups <= 12 {
		score += 0.08
	}
	score += 0.04 * float64(p.nonBlank) / float64(max(p.rows, 1))
	// Rounded, so that columns alike but for a few blanks keep file order.
	return &assignment{role: "segment", p: p, conf: round2(score),
		why: fmt.Sprintf("%d distinct values (%s) repeated over %d rows%s", p.distinct(), p.examples(5), p.nonBlank, reason)}
}

// periods proposes customer periods: the last three full calendar months
// present in the data and the quarter containing them (the quarter of the
// latest of them; if the three straddle two quarters, the latest quarter
// fully present). A month is full when the data reach its last day and
// begin before its first. The sample decides, so a file sorted by date
// may need periods set by hand; the why says what was seen.
func (d *detector) periods(r *result) ([]plan.Period, string) {
	lo, hi := int64(1<<62), int64(-1<<62)
	for _, role := range []string{"trial_started_at", "subscribed_at", "cancelled_at"} {
		a := r.roles[role]
		if a == nil || !a.p.isTimestamp() {
			continue
		}
		f := cellFormat(a.p.ts.format)
		lo, hi = min(lo, a.p.tMin[f]), max(hi, a.p.tMax[f])
	}
	if lo > hi {
		return nil, ""
	}
	const day = 86_400_000_000
	lastDay := floorDiv(hi, day)
	last := cell.Month(hi)
	y, m, dd := cell.CivilFromDays(lastDay)
	if dd < cell.DaysIn(y, m) {
		last-- // the latest month is not complete
	}
	first := cell.Month(lo)
	if cell.MonthStart(first) < lo {
		first++ // the earliest month is not complete
	}
	latest := fmt.Sprintf("the latest date seen is %s", cell.FormatTimestamp(hi)[:10])
	if last < first {
		// No full month: offer the latest month as it is, and say so.
		p := monthPeriod(cell.Month(hi))
		return []plan.Period{p}, fmt.Sprintf("periods: only %s, which is not complete in the data (%s)", p.Label, latest)
	}
	var months []plan.Period
	for mo := max(first, last-2); mo <= last; mo++ {
		months = append(months, monthPeriod(mo))
	}
	var out []plan.Period
	q := last - last%3 // first month of the quarter holding the latest full month
	if q+2 > last {
		q -= 3 // that quarter is not complete: take the one before
	}
	if q >= first && q+2 <= last && q+2 >= max(first, last-2) {
		out = append(out, quarterPeriod(q))
	}
	out = append(out, months...)
	labels := make([]string, len(out))
	for i, p := range out {
		labels[i] = p.Label
	}
	return out, fmt.Sprintf("periods %s: the last full months (%s)", strings.Join(labels, ", "), latest)
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

func cellFormat(f string) int {
	switch f {
	case plan.FormatDMY:
		return cell.DMY
	case plan.FormatMDY:
		return cell.MDY
	}
	return cell.ISO
}

func dateOf(month int32) string {
	return cell.FormatTimestamp(cell.MonthStart(month))[:10]
}

func monthPeriod(m int32) plan.Period {
	return plan.Period{Label: cell.MonthLabel(m), Start: dateOf(m), End: dateOf(m + 1)}
}

func quarterPeriod(q int32) plan.Period {
	return plan.Period{Label: fmt.Sprintf("%s-Q%d", cell.MonthLabel(q)[:4], q%12/3+1), Start: dateOf(q), End: dateOf(q + 3)}
}

// referral finds the source value that means "referred": among values
// that read like a referral, those saying "refer…" first, then "word of
// mouth" and the like; within a tier the most frequent, counting spellings
// that differ only in case as one (the engine compares case-insensitively,
// so "Referral" and "referral" are one value).
func (d *detector) referral(src *assignment) (string, string) {
	if src == nil {
		return "referral", ""
	}
	p := src.p
	type group struct {
		spelling string // most frequent spelling
		n, best  int
		tier     int
	}
	groups := map[string]*group{}
	var order []string
	for _, v := range p.first {
		if !referralish.MatchString(v) {
			continue
		}
		k := strings.ToLower(v)
		g := groups[k]
		if g == nil {
			g = &group{tier: 2}
			if strings.Contains(k, "refer") {
				g.tier = 1
			}
			groups[k] = g
			order = append(order, k)
		}
		g.n += p.counts[v]
		if p.counts[v] > g.best {
			g.spelling, g.best = v, p.counts[v]
		}
	}
	if len(order) == 0 {
		return "referral", fmt.Sprintf("no value looks like a referral (%s), so referral_value stays \"referral\"", p.examples(4))
	}
	sort.SliceStable(order, func(i, j int) bool {
		a, b := groups[order[i]], groups[order[j]]
		if a.tier != b.tier {
			return a.tier < b.tier
		}
		return a.n > b.n
	})
	g := groups[order[0]]
	why := fmt.Sprintf("referral value %q (%d rows, any case)", clip(g.spelling, 40), g.n)
	if len(order) > 1 {
		var others []string
		for _, k := range order[1:] {
			others = append(others, fmt.Sprintf("%q", clip(groups[k].spelling, 24)))
		}
		why += fmt.Sprintf("; %s also read like referrals, but only one value counts", strings.Join(others, ", "))
	}
	return g.spelling, why
}
