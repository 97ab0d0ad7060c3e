//go:build js && wasm

package main

import (
	"fmt"
	"runtime/debug"
	"syscall/js"
	"time"

	"github.com/cxaudit/cxaudit/core/engine"
	"github.com/cxaudit/cxaudit/core/ingest"
	"github.com/cxaudit/cxaudit/core/report"
	"github.com/cxaudit/cxaudit/core/stats"
)

func version() string { return engine.Version }

// progressEvery is how often progress is reported to JavaScript.
const progressEvery = 100 * time.Millisecond

// analyze is cxaudit.analyze(request). It must not block (it runs inside a
// js.FuncOf callback, see syscall/js FuncOf): it starts a goroutine and
// returns a Promise that the goroutine settles.
func analyze(_ js.Value, args []js.Value) any {
	if len(args) != 1 || args[0].Type() != js.TypeObject {
		return rejected("cxaudit.analyze takes one request object")
	}
	req := args[0]
	return newPromise(func() (js.Value, error) {
		return runAnalysis(req)
	})
}

// runAnalysis does the work of analyze on its own goroutine, where blocking
// on JavaScript promises (the file reads) is allowed.
func runAnalysis(req js.Value) (js.Value, error) {
	name, size, read, err := fileOf(req)
	if err != nil {
		return js.Undefined(), err
	}
	progressFn := req.Get("progress")
	confidence, user, err := planOf(req)
	if err != nil {
		return js.Undefined(), err
	}

	f := newFileReader(read, size)
	src, err := ingest.Open(name, f, size, engine.ReaderOptions(name, user))
	if err != nil {
		return js.Undefined(), err
	}
	var last time.Time
	var rowsRead int64
	progress := func(rows int64) {
		rowsRead = rows
		if progressFn.Type() != js.TypeFunction {
			return
		}
		if now := time.Now(); now.Sub(last) >= progressEvery {
			last = now
			progressFn.Invoke(float64(f.End()), float64(rows))
		}
	}
	doc, err := engine.Run(src, user, confidence, progress)
	if err != nil {
		return js.Undefined(), err
	}
	if progressFn.Type() == js.TypeFunction {
		progressFn.Invoke(float64(size), float64(rowsRead))
	}
	return documentValue(doc, src.Header())
}

// planSize is cxaudit.planSize({metric, margin, confidence, p, promoters,
// detractors}): the responses needed for an interval of half-width margin
// (NPS points or percentage points), as `cxaudit plan-size` computes it.
// It returns a JSON string, or throws.
func planSize(_ js.Value, args []js.Value) (ret any) {
	defer func() {
		if r := recover(); r != nil {
			ret = js.Global().Get("Error").New(fmt.Sprint(r))
		}
	}()
	if len(args) != 1 || args[0].Type() != js.TypeObject {
		return js.Global().Get("Error").New("cxaudit.planSize takes one request object")
	}
	req := args[0]
	num := func(k string, def float64) float64 {
		if v := req.Get(k); v.Type() == js.TypeNumber {
			return v.Float()
		}
		return def
	}
	metric := stringField(req, "metric")
	margin, conf := num("margin", 5), num("confidence", 0.95)
	if !(margin > 0) || !(conf > 0 && conf < 1) {
		return js.Global().Get("Error").New("margin must be > 0 and confidence between 0 and 1")
	}
	var doc report.Object
	if metric == "nps" || metric == "" {
		pro, det := num("promoters", 50), num("detractors", 50)
		if pro < 0 || det < 0 || pro+det > 100 {
			return js.Global().Get("Error").New("promoters + detractors must be between 0 and 100")
		}
		n := stats.SampleSizeNPS(margin/100, pro/100, det/100, conf)
		doc = report.Object{"metric": "nps", "margin": margin, "confidence": conf,
			"promoters_pct": pro, "detractors_pct": det, "n": n,
			"method": "adjusted-Wald NPS margin (Rocks 2016; Lewis & Sauro, MeasuringU 2021)"}
	} else {
		p := num("p", 50)
		if p < 0 || p > 100 {
			return js.Global().Get("Error").New("p must be a percentage between 0 and 100")
		}
		n := stats.SampleSizeProportion(margin/100, p/100, conf)
		doc = report.Object{"metric": metric, "margin": margin, "confidence": conf,
			"p_pct": p, "n": n, "method": "normal-approximation margin z·√(p(1−p)/n) (Sauro & Lewis 2016)"}
	}
	out, err := report.JSON(doc)
	if err != nil {
		return js.Global().Get("Error").New(err.Error())
	}
	return string(out)
}

func stringField(v js.Value, k string) string {
	if f := v.Get(k); f.Type() == js.TypeString {
		return f.String()
	}
	return ""
}

// newPromise runs work on a new goroutine and returns a Promise settled
// with its result. A panic in work is recovered into a rejection, so the
// Go instance — and the worker — stay usable for the next file.
func newPromise(work func() (js.Value, error)) js.Value {
	var executor js.Func
	executor = js.FuncOf(func(_ js.Value, args []js.Value) any {
		resolve, reject := args[0], args[1]
		go func() {
			defer executor.Release()
			defer func() {
				if r := recover(); r != nil {
					msg := fmt.Sprintf("internal error: %v", r)
					println("cxaudit: " + msg + "\n" + string(debug.Stack()))
					reject.Invoke(js.Global().Get("Error").New(msg))
				}
			}()
			v, err := work()
			if err != nil {
				reject.Invoke(js.Global().Get("Error").New(err.Error()))
				return
			}
			resolve.Invoke(v)
		}()
		return nil
	})
	return js.Global().Get("Promise").New(executor)
}

func rejected(msg string) js.Value {
	return js.Global().Get("Promise").Call("reject", js.Global().Get("Error").New(msg))
}
