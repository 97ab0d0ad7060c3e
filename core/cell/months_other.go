//go:build !(amd64 || wasm) || purego

package cell

func (m *ISOMonths) knownSpans(buf []byte, spans []uint64, i int, months []int32) int {
	return m.knownSpansGo(buf, spans, i, months)
}
