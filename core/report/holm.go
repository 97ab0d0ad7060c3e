package report

import (
	"sort"
	"strings"

	"github.com/cxaudit/cxaudit/core/stats"
)

// AdjustHolm adds "p_value_holm" next to every "p_value" of the
// comparisons of a result: Holm's step-down adjustment (Holm 1979) across
// all differences of all comparisons, so "is this change real?" accounts
// for how many changes were tested.
func AdjustHolm(comps []Object) {
	type ref struct {
		obj Object
		p   float64
	}
	var refs []ref
	for _, c := range comps {
		keys := make([]string, 0, len(c))
		for k := range c {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			d, ok := c[k].(Object)
			if !ok || !strings.HasSuffix(k, "_diff") {
				continue
			}
			if p, ok := d["p_value"].(float64); ok {
				refs = append(refs, ref{d, p})
			}
		}
	}
	ps := make([]float64, len(refs))
	for i, r := range refs {
		ps[i] = r.p
	}
	adj := stats.Holm(ps)
	for i, r := range refs {
		r.obj["p_value_holm"] = Float(adj[i])
	}
}
