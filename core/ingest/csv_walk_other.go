//go:build !(amd64 || wasm) || purego

package ingest

func (w *walker) walk() int { return w.walkGo() }
