package detect

import (
	"fmt"
	"sort"
	"strings"

	"github.com/cxaudit/cxaudit/core/plan"
)

// metricAssignment is a survey metric bound to a column and a scale.
type metricAssignment struct {
	assignment
	metric plan.Metric
}

// smallSample is the number of values below which the values seen say
// little about a scale's ends (three CES answers 3, 5, 6 do not make a
// 1–6 scale): the metric's documented default scale is used instead,
// widened only if the values exceed it.
const smallSample = 20

// surveyMetrics assigns survey metrics to columns. Candidates are scored
// per (column, metric), the best pairs win, and a column never feeds two
// metrics. Scales come from the header ("(0-10)", "7pt") when it states
// one, else from the dominant range of the values.
func (d *detector) surveyMetrics() map[string]*metricAssignment {
	hints := d.npsGroupHints()
	var cands []*metricAssignment
	for _, p := range d.profiles {
		cands = append(cands, d.metricCandidates(p, hints[p.idx])...)
	}
	rank := map[string]int{}
	for i, m := range plan.SurveyMetricOrder {
		rank[m] = i
	}
	sort.SliceStable(cands, func(i, j int) bool {
		a, b := cands[i], cands[j]
		if a.conf != b.conf {
			return a.conf > b.conf
		}
		if a.p.idx != b.p.idx {
			return a.p.idx < b.p.idx
		}
		return rank[a.role] < rank[b.role]
	})
	out := map[string]*metricAssignment{}
	used := map[int]bool{}
	for _, c := range cands {
		if out[c.role] != nil || used[c.p.idx] {
			continue
		}
		out[c.role] = c
		used[c.p.idx] = true
	}
	// A 7-point CSAT is "csat_7pt" only next to a 5-point "csat"
	// (result-schema.md); alone it is the survey's CSAT.
	if m := out["csat_7pt"]; m != nil && out["csat"] == nil {
		m.role = "csat"
		out["csat"] = m
		delete(out, "csat_7pt")
	}
	return out
}

// npsGroupHints finds Qualtrics' "Q1_NPS_GROUP" columns: they name the
// question they group ("Q1") as the NPS question, which a bare "Q1"
// header cannot say.
func (d *detector) npsGroupHints() map[int]string {
	byNorm := map[string]*profile{}
	for _, p := range d.profiles {
		byNorm[p.norm] = p
	}
	hints := map[int]string{}
	for _, p := range d.profiles {
		for _, suf := range []string{"_nps_group", "_nps_category", "_nps_groups", "_nps"} {
			if base, ok := strings.CutSuffix(p.norm, suf); ok && base != "" {
				if q := byNorm[base]; q != nil && q != p {
					hints[q.idx] = p.name
				}
			}
		}
	}
	return hints
}

// fitIn counts a column's integers inside [lo, hi].
func (p *profile) fitIn(lo, hi int) scaleFit {
	f := scaleFit{ok: true, lo: lo, hi: hi, seenLo: hi, seenHi: lo}
	for v, n := range p.ints {
		if v >= int64(lo) && v <= int64(hi) {
			f.in += n
			f.seenLo, f.seenHi = min(f.seenLo, int(v)), max(f.seenHi, int(v))
		}
	}
	if f.in == 0 || float64(p.intOK-f.in) > p.outliersAllowed() {
		f.ok = false
	}
	return f
}

// metricCandidates lists the metrics one column could feed.
func (d *detector) metricCandidates(p *profile, npsHint string) []*metricAssignment {
	short := strings.Count(p.core, "_") < 4 // a name, not question text
	if bookkeeping.MatchString(p.core) || short && notAMetric.MatchString(p.core) || p.isTimestamp() {
		return nil
	}
	names := map[string]nameMatch{
		"nps":       matchName(p.core, npsNames),
		"csat":      matchName(p.core, csatNames),
		"ces":       matchName(p.core, cesNames),
		"cx_rating": matchName(p.core, cxNames),
	}
	if npsHint != "" {
		names["nps"] = nameMatch{weight: 1, label: fmt.Sprintf("the question that %q groups into promoters, passives and detractors", clip(npsHint, 40))}
	}
	hasValues := p.nonBlank > 0
	if hasValues && p.intOK == 0 {
		return nil // words, not ratings, whatever the header says
	}
	var out []*metricAssignment
	add := func(metric string, conf float64, m plan.Metric, why string) {
		m.Column = p.name
		out = append(out, &metricAssignment{assignment: assignment{role: metric, p: p, conf: conf, why: why}, metric: m})
	}
	for _, metric := range []string{"nps", "csat", "ces", "cx_rating"} {
		nm := names[metric]
		lo, hi := d.metricScale(metric, p, nm.weight > 0)
		fit := p.fitIn(lo, hi)
		share := 0.0
		if p.nonBlank > 0 {
			share = float64(fit.in) / float64(p.nonBlank)
		}
		// A header naming the metric needs the values only to agree
		// mostly; values alone must fit the scale all but a few outliers.
		valuesFit := fit.in > 0 && share >= 0.6 && (fit.ok || nm.weight > 0)
		header := ""
		if nm.weight > 0 {
			header = fmt.Sprintf("header %q matches %s", clip(p.name, 60), nm.label)
			if npsHint != "" && metric == "nps" {
				header = fmt.Sprintf("it is %s", nm.label)
			}
		}
		evidence := ""
		if valuesFit {
			evidence = fmt.Sprintf("%s of values are integers %d–%d", pct(fit.in, p.nonBlank), lo, hi)
			switch {
			case fit.seenLo == fit.seenHi:
				evidence += fmt.Sprintf(" (only %d seen)", fit.seenLo)
			case fit.seenLo != lo || fit.seenHi != hi:
				evidence += fmt.Sprintf(" (%d–%d seen)", fit.seenLo, fit.seenHi)
			}
		}
		var conf float64
		var why string
		switch {
		case nm.weight > 0 && !hasValues:
			conf = 0.3 + 0.1*nm.weight
			why = header + "; every sampled value is blank, so the scale is the default"
		case nm.weight > 0 && valuesFit:
			conf = 0.55 + 0.35*nm.weight + 0.07*share
			why = header + "; " + evidence
			if metric == "cx_rating" && lo == 0 && nm.weight < 1 {
				// "Score" with zeros: Delighted and other NPS tools call
				// the 0–10 answer just "score", so NPS from values wins.
				conf = 0.6
			}
			if metric == "nps" && fit.seenHi <= 7 && p.intOK >= smallSample {
				conf = 0.6
				why += ", but no value is above 7, which is unusual for NPS"
			}
		case nm.weight == 0 && valuesFit:
			conf, why = valuesOnlyMetric(metric, fit, share)
			if conf < minValuesOnly {
				continue
			}
			why = evidence + why
		default:
			continue
		}
		m := plan.Metric{}
		if metric != "nps" {
			m.Scale = []int{lo, hi}
		}
		switch metric {
		case "csat":
			m.TopBox = []int{hi - 1, hi}
			why += fmt.Sprintf(", so the top box is %d–%d", hi-1, hi)
			if hi == 7 {
				// Also offer it as the 7-point CSAT beside a 5-point one.
				add("csat_7pt", conf, m, why)
				conf -= 0.001
			}
		case "ces":
			// The top three of seven points (5–7, CustomerGauge) and the
			// top two of five (4–5): the upper third of the scale.
			m.AgreeMin = hi - (hi-lo)/3
			why += fmt.Sprintf(", so agree is %d or more", m.AgreeMin)
		}
		add(metric, conf, m, why)
	}
	return out
}

// valuesOnlyMetric scores a metric for a column with no telling header:
// the scale alone says what it most likely is (0–10 → NPS, 1–5 → CSAT,
// 1–7 → CES, 1–10 → a rating), and never with the confidence of a name.
func valuesOnlyMetric(metric string, fit scaleFit, share float64) (float64, string) {
	switch metric {
	case "nps":
		if fit.seenHi > 7 && fit.seenLo == 0 {
			return 0.7 + 0.05*share, " with zeros and values above 7, the Net Promoter scale (no header names it)"
		}
		if fit.seenHi > 7 {
			return 0.5, ""
		}
	case "csat":
		if fit.hi == 5 {
			return 0.65 + 0.05*share, ", the usual 5-point satisfaction scale (no header names it)"
		}
		if fit.hi == 7 && fit.seenHi > 5 {
			return 0.6, ", a 7-point scale read as satisfaction (no header names it)"
		}
	case "ces":
		if fit.hi == 7 && fit.seenHi > 5 {
			return 0.6 + 0.05*share, ", the usual 7-point customer effort scale (no header names it)"
		}
	case "cx_rating":
		if fit.lo == 1 && fit.hi == 10 && fit.seenHi > 7 {
			return 0.55 + 0.05*share, ", a 1–10 rating: no zero, so not read as NPS (no header names it)"
		}
	}
	return 0, ""
}

// metricScale picks the scale a column would have as a metric: the header
// when it states one, the dominant range of the values otherwise, and for
// a named column with few values the metric's default scale unless the
// values exceed it. NPS is always 0–10.
func (d *detector) metricScale(metric string, p *profile, named bool) (int, int) {
	if metric == "nps" {
		return 0, 10
	}
	if p.hdrScale {
		return p.hdrLo, p.hdrHi
	}
	switch {
	case sevenPoint.MatchString(p.core):
		return 1, 7
	case fivePoint.MatchString(p.core):
		return 1, 5
	}
	f := p.scale
	if !f.ok {
		switch metric {
		case "csat":
			return 1, 5
		case "ces":
			return 1, 7
		}
		return 1, 10
	}
	few := p.intOK < smallSample
	switch metric {
	case "csat":
		if f.hi <= 5 {
			return 1, 5
		}
		if f.hi <= 7 {
			return 1, 7
		}
		return f.lo, f.hi
	case "ces":
		if f.hi <= 5 && !(few && named) {
			return 1, 5
		}
		if f.hi <= 7 {
			return 1, 7
		}
		return f.lo, f.hi
	default: // cx_rating
		if few && f.hi <= 10 {
			return min(f.lo, 1), 10
		}
		return f.lo, f.hi
	}
}
