//go:build !wasm || purego

package ingest

import "github.com/golang/snappy"

// snappyDecode decodes the Snappy block src into dst (of the block's
// decoded length). golang/snappy has assembly of its own for amd64 and
// arm64; the wasm build has snappy_wasm.s.
func snappyDecode(dst, src []byte) ([]byte, error) { return snappy.Decode(dst, src) }
