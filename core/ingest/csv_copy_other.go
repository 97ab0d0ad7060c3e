//go:build !js || !wasm

package ingest

// copy32 copies 32 bytes as two 16-byte words (a [32]byte copy would call
// memmove).
func copy32(dst, src []byte) {
	*(*[16]byte)(dst[0:16]) = *(*[16]byte)(src[0:16])
	*(*[16]byte)(dst[16:32]) = *(*[16]byte)(src[16:32])
}
