//go:build !(amd64 || wasm) || purego

package ingest

func copyShort(dst []byte, o int, ends []int32, spans []uint64, buf []byte) (int, int) {
	return copyShortGo(dst, o, ends, spans, buf)
}
