//go:build amd64 && !purego

package ingest

// masksWindow computes the masks of len(win)/2 blocks of 64 bytes of data
// into win (win[2i], win[2i+1]: delimiters and specials of block i), as
// masks64 does for each, with SSE2 (part of every amd64): a byte compare
// of 16 bytes and a PMOVMSKB gather take the place of the ~25 word
// operations per 8 bytes of masks64, which were a tenth of a survey pass.
// The specials are exact here (quotes and bytes 0x00–0x0D), a subset of
// masks64's, whose false bits the walker skips anyway.
func masksWindow(win []uint64, data []byte, dm uint64) {
	if len(win) == 0 {
		return
	}
	_ = data[32*len(win)-1] // the blocks lie in data
	masksSSE2(&win[0], &data[0], len(win)/2, byte(dm))
}

// masksSSE2 is masksWindow's loop, in csv_masks_amd64.s.
//
//go:noescape
func masksSSE2(win *uint64, data *byte, blocks int, delim byte)
