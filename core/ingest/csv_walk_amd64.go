//go:build amd64 && !purego

package ingest

// walkPOPCNT says whether walkAsm counts the unselected delimiters it
// skips with the POPCNT instruction (one instruction instead of the 15 of
// a SWAR count). POPCNT is not part of GOAMD64=v1, the default, so the
// CPU is asked (CPUID); every amd64 CPU since 2008 has it. A test sets it
// to false to check the SWAR count too.
var walkPOPCNT = cpuHasPOPCNT()

// cpuHasPOPCNT reports CPUID leaf 1's ECX bit 23, in csv_walk_amd64.s.
func cpuHasPOPCNT() bool
