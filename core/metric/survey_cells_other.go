//go:build !(amd64 || wasm) || purego

package metric

func shortGroupsSpans(c *shortCache[int32], buf []byte, spans []uint64, i int, gids []int32) int {
	return shortGroupsSpansGo(c, buf, spans, i, gids)
}

func tableSlotsSpans(t *scoreTable, buf []byte, spans []uint64, i int, slots []int32) int {
	return tableSlotsSpansGo(t, buf, spans, i, slots)
}
