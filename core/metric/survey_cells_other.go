//go:build !(amd64 || wasm) || purego

package metric

func shortGroups(c *shortCache[int32], data []byte, ends []int32, i int, start int32, gids []int32) (int, int32) {
	return shortGroupsGo(c, data, ends, i, start, gids)
}

func tableSlots(t *scoreTable, data []byte, ends []int32, i int, start int32, slots []int32) (int, int32) {
	return tableSlotsGo(t, data, ends, i, start, slots)
}
