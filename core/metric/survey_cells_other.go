//go:build !(amd64 || wasm) || purego

package metric

func shortGroups(c *shortCache[int32], data []byte, ends []int32, i int, start int32, gids []int32) (int, int32) {
	return shortGroupsGo(c, data, ends, i, start, gids)
}

func tableSlots(t *scoreTable, data []byte, ends []int32, i int, start int32, slots []int32) (int, int32) {
	return tableSlotsGo(t, data, ends, i, start, slots)
}

func shortGroupsSpans(c *shortCache[int32], buf []byte, spans []uint64, i int, gids []int32) int {
	return shortGroupsSpansGo(c, buf, spans, i, gids)
}

func tableSlotsSpans(t *scoreTable, buf []byte, spans []uint64, i int, slots []int32) int {
	return tableSlotsSpansGo(t, buf, spans, i, slots)
}

// spanKernels: the survey's span loops are Go, no faster than copying
// the cells for the text loops.
const spanKernels = false
