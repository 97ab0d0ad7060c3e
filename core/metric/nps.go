package metric

import (
	"math"

	"github.com/cxaudit/cxaudit/core/stats"
)

// npsCounts splits a 0–10 histogram into promoters (9–10), passives (7–8)
// and detractors (0–6) (Reichheld 2003).
func npsCounts(h *hist) (P, Pa, D int64) {
	for i, c := range h.count {
		switch v := h.lo + int64(i); {
		case v >= 9:
			P += c
		case v <= 6:
			D += c
		default:
			Pa += c
		}
	}
	return
}

// npsBlock is the Net Promoter Score of a 0–10 histogram with the
// adjusted-Wald interval (Rocks 2016; Lewis & Sauro 2021) and the
// alternatives the oracle reports: plain Wald, Tango's score interval,
// the trinomial t interval, and (with b) the percentile bootstrap.
// NPS is on the −100…100 scale.
func npsBlock(h *hist, conf float64, b *boot) Object {
	P, Pa, D := npsCounts(h)
	n := P + Pa + D
	if n == 0 {
		return Object{"n": int64(0), "value": nil, "ci": nil, "note": "no valid observations"}
	}
	fn := float64(n)
	value := 100 * float64(P-D) / fn
	out := Object{"n": n, "promoters": P, "passives": Pa, "detractors": D,
		"promoters_pct": 100 * float64(P) / fn, "passives_pct": 100 * float64(Pa) / fn,
		"detractors_pct": 100 * float64(D) / fn, "value": value,
		// The count of each score 0–10, for the distribution chart.
		"distribution": append([]int64(nil), h.count...)}
	adj := stats.NPSAdjustedWald(int(P), int(Pa), int(D), conf)
	clo, chi := math.Max(adj.Lo, -1), math.Min(adj.Hi, 1)
	ci := Object{"method": "adjusted_wald", "lo": 100 * clo, "hi": 100 * chi,
		"center": 100 * adj.Center, "se": 100 * adj.SE, "n_adj": adj.NAdj,
		"clipped":      clo != adj.Lo || chi != adj.Hi,
		"unclipped_lo": 100 * adj.Lo, "unclipped_hi": 100 * adj.Hi}
	if raw := float64(P-D) / fn; !(clo <= raw && raw <= chi) {
		ci["note"] = "observed NPS lies outside the adjusted-Wald interval (n too small)"
	}
	out["ci"] = ci

	wald, se := stats.NPSWald(int(P), int(Pa), int(D), conf)
	tango := stats.NPSTango(int(P), int(D), int(n), conf)
	alts := Object{
		"wald":        Object{"lo": 100 * wald.Lo, "hi": 100 * wald.Hi, "se": 100 * se},
		"tango_score": Object{"lo": 100 * tango.Lo, "hi": 100 * tango.Hi},
	}
	// Scores recoded −1/0/+1 ("trinomial means", MeasuringU).
	scores := npsScores(P, Pa, D)
	if n >= 2 {
		iv, _, _ := stats.TMean(int(n), scores.mean, scores.sd, conf)
		alts["trinomial_t"] = Object{"lo": 100 * math.Max(iv.Lo, -1), "hi": 100 * math.Min(iv.Hi, 1)}
	}
	if b != nil {
		alts["bootstrap_percentile"] = bootstrapObject(scores, *b, conf, "percentile", 100)
	}
	out["ci_alternatives"] = alts
	return out
}

// npsScores is the −1/0/+1 recoding of an NPS sample as a histogram sample.
func npsScores(P, Pa, D int64) meanSample {
	h := newHist(-1, 1)
	h.count[0], h.count[1], h.count[2] = D, Pa, P
	return histSample(&h)
}

// npsDiffBlock is NPS(a) − NPS(b) with the adjusted-Wald difference
// interval (MeasuringU 2021, "How to statistically compare two NPS"),
// clipped to [−200, 200], and the two-sided normal p-value of the adjusted
// difference.
func npsDiffBlock(a, b *hist, conf float64) Object {
	Pa, Ma, Da := npsCounts(a)
	Pb, Mb, Db := npsCounts(b)
	na, nb := Pa+Ma+Da, Pb+Mb+Db
	if na == 0 || nb == 0 {
		return Object{"value": nil, "ci": nil, "note": "a group is empty"}
	}
	center, se, iv, p := stats.NPSAdjustedWaldDiff([3]int{int(Pa), int(Ma), int(Da)}, [3]int{int(Pb), int(Mb), int(Db)}, conf)
	raw := float64(Pa-Da)/float64(na) - float64(Pb-Db)/float64(nb)
	return Object{"n_a": na, "n_b": nb, "value": 100 * raw,
		"ci": Object{"method": "adjusted_wald_diff", "lo": 100 * iv.Lo, "hi": 100 * iv.Hi,
			"center": 100 * center, "se": 100 * se},
		"p_value": floatOrNil(p)}
}

func floatOrNil(x float64) any {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return nil
	}
	return x
}

// propDiffBlock is p_a − p_b in percentage points with Newcombe's hybrid
// score interval (Newcombe 1998b, method 10) and the Wald alternative.
func propDiffBlock(ka, na, kb, nb int64, conf float64) Object {
	if na == 0 || nb == 0 {
		return Object{"value": nil, "ci": nil, "note": "a group is empty"}
	}
	iv := stats.NewcombeDiff(int(ka), int(na), int(kb), int(nb), conf)
	w := stats.WaldDiff(int(ka), int(na), int(kb), int(nb), conf)
	return Object{"k_a": ka, "n_a": na, "k_b": kb, "n_b": nb,
		"value":           100 * (float64(ka)/float64(na) - float64(kb)/float64(nb)),
		"ci":              Object{"method": "newcombe_hybrid_score", "lo": 100 * iv.Lo, "hi": 100 * iv.Hi},
		"ci_alternatives": Object{"wald": Object{"lo": 100 * w.Lo, "hi": 100 * w.Hi}},
		"p_value":         floatOrNil(stats.PropDiffP(int(ka), int(na), int(kb), int(nb)))}
}

// meanDiffBlock is mean_a − mean_b with Welch's t interval (Welch 1947).
func meanDiffBlock(a, b meanSample, conf float64) Object {
	if a.n < 2 || b.n < 2 {
		return Object{"value": nil, "ci": nil, "note": "each group needs n >= 2"}
	}
	iv, df, p := stats.WelchDiff(int(a.n), a.mean, a.sd*a.sd, int(b.n), b.mean, b.sd*b.sd, conf)
	return Object{"n_a": a.n, "n_b": b.n, "value": a.mean - b.mean,
		"ci":      Object{"method": "welch_t", "lo": floatOrNil(iv.Lo), "hi": floatOrNil(iv.Hi), "df": floatOrNil(df)},
		"p_value": floatOrNil(p)}
}
