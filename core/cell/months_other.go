//go:build !(amd64 || wasm) || purego

package cell

func (m *ISOMonths) known(data []byte, ends []int32, i int, start int32, months []int32) (int, int32) {
	return m.knownGo(data, ends, i, start, months)
}
