//go:build amd64 && !purego

package ingest

import "testing"

// TestWalkAgreesSWARCount is TestWalkAgrees with walkAsm's count of
// skipped delimiters in SWAR, as on a CPU without POPCNT (TestWalkAgrees
// takes the CPU's). Not parallel: it sets walkPOPCNT for its run, before
// the parallel tests start.
func TestWalkAgreesSWARCount(t *testing.T) {
	if !walkPOPCNT {
		t.Log("this CPU has no POPCNT: TestWalkAgrees checks the SWAR count already")
	}
	defer func(was bool) { walkPOPCNT = was }(walkPOPCNT)
	walkPOPCNT = false
	checkWalkAgrees(t)
}
