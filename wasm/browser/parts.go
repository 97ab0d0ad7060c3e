//go:build js && wasm

package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"syscall/js"
	"time"

	"github.com/cxaudit/cxaudit/core/engine"
	"github.com/cxaudit/cxaudit/core/ingest"
	"github.com/cxaudit/cxaudit/core/plan"
	"github.com/cxaudit/cxaudit/core/report"
)

// One file, several Web Workers (see core/engine/parts.go). The page asks
// one worker to prepare the file, hands each part to a worker, and asks one
// worker to finish:
//
//	cxaudit.prepare({name, size, plan, confidence, read, workers}) → Promise<{prepared, parts}>
//	cxaudit.runPart({name, size, prepared, part, read, progress}) → Promise<result>
//	cxaudit.finish({prepared, results}) → Promise<{json, csv, md, header} | {redo}>
//
// prepared, part(s), result(s) and redo are JSON text: what crosses
// between workers is the plan, byte offsets and accumulator states —
// counts, never rows.

func prepare(_ js.Value, args []js.Value) any {
	if len(args) != 1 || args[0].Type() != js.TypeObject {
		return rejected("cxaudit.prepare takes one request object")
	}
	req := args[0]
	return newPromise(func() (js.Value, error) {
		name, size, read, err := fileOf(req)
		if err != nil {
			return js.Undefined(), err
		}
		confidence, user, err := planOf(req)
		if err != nil {
			return js.Undefined(), err
		}
		f := newFileReader(read, size)
		// Chunks of 1 MiB, aligned: web/worker.js cuts them from the
		// chunks it reads ahead for this worker's part once those are
		// here, and reads them on their own before. A Parquet file's
		// detection reads the start of its first row group's pages.
		f.chunk = prepareChunkSize
		f.aligned = true
		if ingest.ParquetName(name) {
			if err := f.readHeadAndTail(); err != nil {
				return js.Undefined(), err
			}
		}
		prep, err := engine.Prepare(f, size, name, user, confidence)
		if err != nil {
			return js.Undefined(), err
		}
		workers := 1
		if w := req.Get("workers"); w.Type() == js.TypeNumber {
			workers = w.Int()
		}
		pj, err := json.Marshal(prep)
		if err != nil {
			return js.Undefined(), err
		}
		parts, err := json.Marshal(prep.Split(workers))
		if err != nil {
			return js.Undefined(), err
		}
		res := js.Global().Get("Object").New()
		res.Set("prepared", string(pj))
		res.Set("parts", string(parts))
		return res, nil
	})
}

func runPart(_ js.Value, args []js.Value) any {
	if len(args) != 1 || args[0].Type() != js.TypeObject {
		return rejected("cxaudit.runPart takes one request object")
	}
	req := args[0]
	return newPromise(func() (js.Value, error) {
		_, size, read, err := fileOf(req)
		if err != nil {
			return js.Undefined(), err
		}
		var prep engine.Prepared
		var part engine.Part
		if err := json.Unmarshal([]byte(stringField(req, "prepared")), &prep); err != nil {
			return js.Undefined(), fmt.Errorf("cxaudit.runPart: prepared: %v", err)
		}
		if err := json.Unmarshal([]byte(stringField(req, "part")), &part); err != nil {
			return js.Undefined(), fmt.Errorf("cxaudit.runPart: part: %v", err)
		}
		if prep.Size != size {
			return js.Undefined(), errors.New("cxaudit.runPart: the file changed since it was prepared")
		}
		f := newFileReader(read, size)
		// A part reads chunks that begin at multiples of chunkSize, so
		// that web/worker.js can read a CSV part's first chunks ahead while
		// another worker prepares the file (before the part's bounds are
		// known), and a part's reads come in file order, which it reads
		// ahead of. A Parquet part keeps the previous chunk too: its
		// columns' windows cross from one chunk into the next.
		f.aligned = true
		f.keepPrev = prep.CSV == nil
		progressFn := req.Get("progress")
		var last time.Time
		progress := func(rows int64) {
			if progressFn.Type() != js.TypeFunction {
				return
			}
			if now := time.Now(); now.Sub(last) >= progressEvery {
				last = now
				progressFn.Invoke(float64(f.End()), float64(rows))
			}
		}
		res, err := engine.RunPart(f, &prep, part, progress)
		if err != nil {
			return js.Undefined(), err
		}
		if progressFn.Type() == js.TypeFunction {
			progressFn.Invoke(float64(f.End()), float64(res.Rows))
		}
		out, err := json.Marshal(res)
		if err != nil {
			return js.Undefined(), err
		}
		return js.ValueOf(string(out)), nil
	})
}

func finish(_ js.Value, args []js.Value) any {
	if len(args) != 1 || args[0].Type() != js.TypeObject {
		return rejected("cxaudit.finish takes one request object")
	}
	req := args[0]
	return newPromise(func() (js.Value, error) {
		start := time.Now()
		var prep engine.Prepared
		if err := json.Unmarshal([]byte(stringField(req, "prepared")), &prep); err != nil {
			return js.Undefined(), fmt.Errorf("cxaudit.finish: prepared: %v", err)
		}
		list := req.Get("results")
		results := make([]engine.PartResult, list.Length())
		for i := range results {
			if err := json.Unmarshal([]byte(list.Index(i).String()), &results[i]); err != nil {
				return js.Undefined(), fmt.Errorf("cxaudit.finish: result %d: %v", i, err)
			}
		}
		t0 := time.Now()
		doc, redo, err := engine.Finish(&prep, results)
		t1 := time.Now()
		if err != nil {
			return js.Undefined(), err
		}
		res := js.Global().Get("Object").New()
		if redo != nil {
			b, err := json.Marshal(redo)
			if err != nil {
				return js.Undefined(), err
			}
			res.Set("redo", string(b))
			return res, nil
		}
		out, err := documentValue(doc, prep.Header)
		if err != nil {
			return out, err
		}
		// Where the time went (web/lib/engine.js's timeline): decoding the
		// request, Finish (merge + Document), rendering JSON/CSV/Markdown.
		timing := js.Global().Get("Object").New()
		timing.Set("decode", float64(t0.Sub(start).Microseconds())/1000)
		timing.Set("finish", float64(t1.Sub(t0).Microseconds())/1000)
		timing.Set("render", float64(time.Since(t1).Microseconds())/1000)
		out.Set("timing", timing)
		return out, nil
	})
}

// fileOf reads the file fields of a request: name, size and read.
func fileOf(req js.Value) (string, int64, js.Value, error) {
	size := int64(req.Get("size").Float())
	if size < 0 {
		return "", 0, js.Value{}, errors.New("file size is negative")
	}
	read := req.Get("read")
	if read.Type() != js.TypeFunction {
		return "", 0, js.Value{}, errors.New("request.read is not a function")
	}
	return stringField(req, "name"), size, read, nil
}

// planOf reads the confidence and the user plan of a request.
func planOf(req js.Value) (float64, *plan.Plan, error) {
	confidence := 0.0
	if c := req.Get("confidence"); c.Type() == js.TypeNumber {
		confidence = c.Float()
		if !(confidence > 0 && confidence < 1) {
			return 0, nil, fmt.Errorf("confidence %v is not between 0 and 1", confidence)
		}
	}
	var user *plan.Plan
	if s := stringField(req, "plan"); strings.TrimSpace(s) != "" {
		p, err := plan.Parse(strings.NewReader(s))
		if err != nil {
			return 0, nil, fmt.Errorf("plan: %v", strings.TrimPrefix(err.Error(), "plan: "))
		}
		user = p
	}
	return confidence, user, nil
}

// documentValue renders a result document for the page: JSON, CSV,
// Markdown and the file's header.
func documentValue(doc report.Object, header []string) (js.Value, error) {
	out, err := report.JSON(doc)
	if err != nil {
		return js.Undefined(), err
	}
	csv, err := report.CSV(doc)
	if err != nil {
		return js.Undefined(), err
	}
	res := js.Global().Get("Object").New()
	res.Set("json", string(out))
	res.Set("csv", string(csv))
	res.Set("md", string(report.Markdown(doc)))
	names := make([]any, len(header))
	for i, h := range header {
		names[i] = h
	}
	res.Set("header", js.ValueOf(names))
	return res, nil
}
