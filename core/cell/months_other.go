//go:build !(amd64 || wasm) || purego

package cell

func (m *ISOMonths) known(data []byte, ends []int32, i int, start int32, months []int32) (int, int32) {
	return m.knownGo(data, ends, i, start, months)
}

func (m *ISOMonths) knownSpans(buf []byte, spans []uint64, i int, months []int32) int {
	return m.knownSpansGo(buf, spans, i, months)
}
