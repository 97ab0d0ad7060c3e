//go:build js && wasm

// Command browser is the cxaudit engine for the page's Web Worker
// (web/worker.js). It registers one object, globalThis.cxaudit, and then
// waits for calls:
//
//	cxaudit.analyze({name, size, plan, confidence, read, progress}) → Promise<{json, csv, md, header}>
//	cxaudit.planSize({metric, margin, confidence, p, promoters, detractors}) → JSON string
//	cxaudit.version → engine version
//	cxaudit.prepare / runPart / finish → one file on several workers (parts.go)
//
// The bridge moves bytes, not rows: read(offset, length, target) is a
// JavaScript function that copies File.slice(offset, offset+length) into
// the Uint8Array target and returns a Promise of the byte count, called for
// a few MiB at a time; progress(bytes, rows) is
// called a few times a second. No statistics happen here: everything is
// core/engine, exactly as the CLI calls it.
package main

import (
	"syscall/js"
)

func main() {
	api := js.Global().Get("Object").New()
	analyzeFn := js.FuncOf(analyze)
	planSizeFn := js.FuncOf(planSize)
	api.Set("analyze", analyzeFn)
	api.Set("planSize", planSizeFn)
	api.Set("prepare", js.FuncOf(prepare))
	api.Set("runPart", js.FuncOf(runPart))
	api.Set("finish", js.FuncOf(finish))
	api.Set("version", version())
	js.Global().Set("cxaudit", api)
	// The worker lives as long as the page; the funcs are never released.
	select {}
}
