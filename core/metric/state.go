package metric

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"

	"github.com/cxaudit/cxaudit/core/plan"
)

// Accumulators travel between workers: in the browser each Web Worker runs
// its own Go instance over one part of the file, and the parts' states are
// merged in one of them (engine.Finish). EncodeState and DecodeState carry
// exactly the mergeable state — counts, histograms, raw durations, user
// sets — as JSON; the plan and header are not in it (the receiver binds
// the same ones with New).

// EncodeState serialises the mergeable state of an accumulator.
func EncodeState(acc Accumulator) ([]byte, error) {
	switch a := acc.(type) {
	case *Survey:
		st := surveyState{Rows: a.rows, Counts: a.counts, Groups: a.groups, TSReasons: a.tsReasons}
		st.Months = map[int32]int32{}
		for m, g := range a.months {
			st.Months[m] = g
		}
		for _, sg := range a.segs {
			ids := map[string]int32{}
			for k, g := range sg.groups {
				ids[k] = *g
			}
			st.Segments = append(st.Segments, segmentState[int32]{Groups: ids, Overflow: sg.overflow})
		}
		return json.Marshal(st)
	case *Tickets:
		st := ticketsState{Rows: a.rows, Overall: ticketGroupOut(a.overall),
			Excluded: [5]reasons{a.exCreated, a.exFirst, a.exResolved, a.exReplies, a.exFCR}, Volume: a.volume}
		for k, v := range a.backlog {
			st.Backlog = append(st.Backlog, [3]int64{int64(k.created), int64(k.resolved), v})
		}
		for _, sg := range a.segs {
			groups := map[string]ticketGroupState{}
			for k, g := range sg.groups {
				groups[k] = ticketGroupOut(g)
			}
			st.Segments = append(st.Segments, segmentState[ticketGroupState]{Groups: groups, Overflow: sg.overflow})
		}
		return json.Marshal(st)
	case *Customers:
		st := customersState{Rows: a.rows, Customers: a.customers, TrialOnly: a.trialOnly, Excluded: a.excl}
		for _, p := range a.periods {
			st.Periods = append(st.Periods, [10]int64{p.S, p.E, p.N, p.L, p.NLost, p.NRef, p.ERef, p.T, p.K, p.subBeforeTrial})
		}
		return json.Marshal(st)
	case *Events:
		st := eventsState{Rows: a.rows, Excluded: a.excl, Users: map[int32][]string{}}
		for m, set := range a.users {
			for u := range set {
				st.Users[m] = append(st.Users[m], u)
			}
		}
		return json.Marshal(st)
	}
	return nil, fmt.Errorf("metric: cannot encode %T", acc)
}

// DecodeState returns the accumulator of plan p and header whose state
// EncodeState wrote.
func DecodeState(p *plan.Plan, file string, header []string, data []byte) (Accumulator, error) {
	acc, err := New(p, file, header)
	if err != nil {
		return nil, err
	}
	bad := func(err error) (Accumulator, error) {
		return nil, fmt.Errorf("metric: a part's state does not fit the plan: %v", err)
	}
	switch a := acc.(type) {
	case *Survey:
		var st surveyState
		if err := json.Unmarshal(data, &st); err != nil {
			return bad(err)
		}
		if len(st.Counts) != len(a.metrics) || len(st.Segments) != len(a.segs) {
			return bad(errMismatch)
		}
		for k, m := range a.metrics {
			if len(st.Counts[k]) != st.Groups*m.width {
				return bad(errMismatch)
			}
		}
		a.rows, a.counts, a.groups, a.tsReasons = st.Rows, st.Counts, st.Groups, st.TSReasons
		a.months = map[int32]groupID{}
		for m, g := range st.Months {
			if g < 0 || int(g) >= st.Groups {
				return bad(errMismatch)
			}
			a.months[m] = g
		}
		for j, ss := range st.Segments {
			for _, k := range sortedKeys(ss.Groups) {
				g := ss.Groups[k]
				if g < 0 || int(g) >= st.Groups {
					return bad(errMismatch)
				}
				a.segs[j].add(k, &g)
			}
			a.segs[j].overflow = ss.Overflow
		}
	case *Tickets:
		var st ticketsState
		if err := json.Unmarshal(data, &st); err != nil {
			return bad(err)
		}
		if len(st.Segments) != len(a.segs) {
			return bad(errMismatch)
		}
		a.rows, a.overall = st.Rows, st.Overall.in()
		a.exCreated, a.exFirst, a.exResolved, a.exReplies, a.exFCR = st.Excluded[0], st.Excluded[1], st.Excluded[2], st.Excluded[3], st.Excluded[4]
		for k, v := range st.Volume {
			a.volume[k] = v
		}
		for _, b := range st.Backlog {
			a.backlog[monthPair{int32(b[0]), int32(b[1])}] = b[2]
		}
		for j, ss := range st.Segments {
			for _, k := range sortedKeys(ss.Groups) {
				a.segs[j].add(k, ss.Groups[k].in())
			}
			a.segs[j].overflow = ss.Overflow
		}
	case *Customers:
		var st customersState
		if err := json.Unmarshal(data, &st); err != nil {
			return bad(err)
		}
		if len(st.Periods) != len(a.periods) {
			return bad(errMismatch)
		}
		a.rows, a.customers, a.trialOnly = st.Rows, st.Customers, st.TrialOnly
		for k, v := range st.Excluded {
			a.excl[k] = v
		}
		for k, q := range st.Periods {
			p := &a.periods[k]
			p.S, p.E, p.N, p.L, p.NLost, p.NRef, p.ERef, p.T, p.K, p.subBeforeTrial = q[0], q[1], q[2], q[3], q[4], q[5], q[6], q[7], q[8], q[9]
		}
	case *Events:
		var st eventsState
		if err := json.Unmarshal(data, &st); err != nil {
			return bad(err)
		}
		a.rows = st.Rows
		for k, v := range st.Excluded {
			a.excl[k] = v
		}
		for m, users := range st.Users {
			set := make(map[string]struct{}, len(users))
			for _, u := range users {
				set[u] = struct{}{}
			}
			a.users[m] = set
		}
	}
	return acc, nil
}

// Overflowed reports whether a segment column of acc pooled values into
// OtherSegment. Which values keep a group of their own then depends on the
// order rows were seen in, so a merge of parts may pool differently from
// one pass: engine reads such a file again in one pass.
func Overflowed(acc Accumulator) bool {
	var segs []bool
	switch a := acc.(type) {
	case *Survey:
		for _, s := range a.segs {
			segs = append(segs, s.overflow)
		}
	case *Tickets:
		for _, s := range a.segs {
			segs = append(segs, s.overflow)
		}
	}
	for _, o := range segs {
		if o {
			return true
		}
	}
	return false
}

type segmentState[G any] struct {
	Groups   map[string]G `json:"groups"`
	Overflow bool         `json:"overflow,omitempty"`
}

type surveyState struct {
	Rows      int64                 `json:"rows"`
	Counts    [][]int64             `json:"counts"`
	Groups    int                   `json:"groups"`
	Months    map[int32]int32       `json:"months"`
	TSReasons reasons               `json:"ts_reasons"`
	Segments  []segmentState[int32] `json:"segments"`
}

type ticketsState struct {
	Rows     int64                            `json:"rows"`
	Overall  ticketGroupState                 `json:"overall"`
	Excluded [5]reasons                       `json:"excluded"`
	Volume   map[int32]int64                  `json:"volume"`
	Backlog  [][3]int64                       `json:"backlog"`
	Segments []segmentState[ticketGroupState] `json:"segments"`
}

type ticketGroupState struct {
	Tickets      int64           `json:"tickets"`
	ART          float64s        `json:"art"`
	FRT          float64s        `json:"frt"`
	NegRes       int64           `json:"neg_res"`
	NegFRT       int64           `json:"neg_frt"`
	RepliesLo    int64           `json:"replies_lo"`
	Replies      []int64         `json:"replies"`
	RepliesExtra map[int64]int64 `json:"replies_extra,omitempty"`
	FCRK         int64           `json:"fcr_k"`
	FCRN         int64           `json:"fcr_n"`
}

func ticketGroupOut(g *ticketGroup) ticketGroupState {
	return ticketGroupState{Tickets: g.tickets, ART: g.art, FRT: g.frt, NegRes: g.negRes, NegFRT: g.negFRT,
		RepliesLo: g.replies.lo, Replies: g.replies.count, RepliesExtra: g.replies.extra, FCRK: g.fcrK, FCRN: g.fcrN}
}

func (s ticketGroupState) in() *ticketGroup {
	return &ticketGroup{tickets: s.Tickets, art: s.ART, frt: s.FRT, negRes: s.NegRes, negFRT: s.NegFRT,
		replies: hist{lo: s.RepliesLo, count: s.Replies, extra: s.RepliesExtra}, fcrK: s.FCRK, fcrN: s.FCRN}
}

type customersState struct {
	Rows      int64            `json:"rows"`
	Customers int64            `json:"customers"`
	TrialOnly int64            `json:"trial_only"`
	Excluded  map[string]int64 `json:"excluded"`
	Periods   [][10]int64      `json:"periods"`
}

type eventsState struct {
	Rows     int64              `json:"rows"`
	Excluded map[string]int64   `json:"excluded"`
	Users    map[int32][]string `json:"users"`
}

// float64s is raw durations, written as the base64 of their little-endian
// bits: exact, and about 11 characters a value instead of up to 24.
type float64s []float64

func (f float64s) MarshalJSON() ([]byte, error) {
	b := make([]byte, 8*len(f))
	for i, v := range f {
		binary.LittleEndian.PutUint64(b[8*i:], math.Float64bits(v))
	}
	return json.Marshal(b)
}

func (f *float64s) UnmarshalJSON(data []byte) error {
	var b []byte
	if err := json.Unmarshal(data, &b); err != nil {
		return err
	}
	if len(b)%8 != 0 {
		return fmt.Errorf("durations: %d bytes is not a whole number of float64", len(b))
	}
	out := make([]float64, len(b)/8)
	for i := range out {
		out[i] = math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:]))
	}
	*f = out
	return nil
}
