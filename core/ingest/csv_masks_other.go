//go:build !(amd64 || wasm) || purego

package ingest

// masksWindow computes the masks of len(win)/2 blocks of 64 bytes of data
// into win (win[2i], win[2i+1]: delimiters and specials of block i).
func masksWindow(win []uint64, data []byte, dm uint64) {
	for i := 0; 2*i+1 < len(win); i++ {
		win[2*i], win[2*i+1] = masks64(data[64*i:], dm)
	}
}
