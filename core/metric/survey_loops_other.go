//go:build !wasm || purego

package metric

func countOverall1(c []int64, slots, g0 []int32, w int32) { countOverall1Go(c, slots, g0, w) }

func countOverall2(c []int64, slots, g0, g1 []int32, w int32) {
	countOverall2Go(c, slots, g0, g1, w)
}

func countGroups(c []int64, slots, gids []int32, w int32) { countGroupsGo(c, slots, gids, w) }

func codedSlots(codes, dictSlots []int32, blank int32, slots []int32) {
	codedSlotsGo(codes, dictSlots, blank, slots)
}

func intSlots(v []int64, lo, hi int64, blank, outOfRange int32, slots []int32) {
	intSlotsGo(v, lo, hi, blank, outOfRange, slots)
}

func dictGroups(byEntry []*int32, codes []int32, i int, gids []int32) int {
	return dictGroupsGo(byEntry, codes, i, gids)
}

func dayMonths(times []int64, group *[366]groupID, start, end int64, i int, months []int32) (int, int64) {
	return dayMonthsGo(times, group, start, end, i, months)
}

func monthHints(hint *monthCache, months []int32, i int, rs *reasons) int {
	return monthHintsGo(hint, months, i, rs)
}
