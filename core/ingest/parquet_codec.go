package ingest

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/golang/snappy"
	"github.com/klauspost/compress/zstd"
)

// Page decompression. Every codec decompresses into exactly the size the
// page header declares (at most maxPageBytes): more or less is an error,
// so a corrupt or hostile page cannot make the reader allocate more than
// the header admits.
//
// Wasm cost: the whole Parquet reader, these codecs included, adds
// 400 KB raw / 110 KB gzip to a GOOS=js main importing only core/ingest
// (-trimpath -ldflags='-s -w'). LZ4 is a few lines below; Brotli and LZO
// are refused with an error naming the codec and the column.

// codecName names a compression codec for messages.
func codecName(c int32) string {
	switch c {
	case codecUncompressed:
		return "UNCOMPRESSED"
	case codecSnappy:
		return "SNAPPY"
	case codecGzip:
		return "GZIP"
	case codecLZO:
		return "LZO"
	case codecBrotli:
		return "BROTLI"
	case codecLZ4:
		return "LZ4"
	case codecZstd:
		return "ZSTD"
	case codecLZ4Raw:
		return "LZ4_RAW"
	}
	return fmt.Sprintf("codec %d", c)
}

// codecSupported reports whether pages compressed with c can be read.
func codecSupported(c int32) bool {
	switch c {
	case codecUncompressed, codecSnappy, codecGzip, codecZstd, codecLZ4, codecLZ4Raw:
		return true
	}
	return false
}

var (
	zstdOnce sync.Once
	zstdDec  *zstd.Decoder
	zstdErr  error
)

// zstdDecoder is shared: DecodeAll is safe for concurrent use, and one
// decoder's buffers are reused by every file.
func zstdDecoder() (*zstd.Decoder, error) {
	zstdOnce.Do(func() {
		zstdDec, zstdErr = zstd.NewReader(nil,
			zstd.WithDecoderConcurrency(1),
			zstd.WithDecoderLowmem(true),
			zstd.WithDecoderMaxMemory(maxPageBytes))
	})
	return zstdDec, zstdErr
}

// decompress decompresses src (compressed with codec) into dst, which it
// grows to exactly size bytes; it returns the decompressed bytes.
func decompress(codec int32, dst, src []byte, size int) ([]byte, error) {
	// Each codec can expand its input only so much: a header declaring
	// more is corrupt, and is refused before the output is allocated.
	limit := -1
	switch codec {
	case codecUncompressed:
		if len(src) != size {
			return nil, fmt.Errorf("uncompressed page of %d bytes declares %d", len(src), size)
		}
		return src, nil
	case codecSnappy:
		limit = 22*len(src) + 64 // a 3-byte copy tag yields at most 64 bytes
	case codecGzip:
		limit = 1032*len(src) + 1024 // deflate's maximum ratio
	case codecLZ4, codecLZ4Raw:
		limit = 255*len(src) + 64
	case codecZstd:
		// no ratio bound; DecodeAll grows dst as it goes, up to maxPageBytes
	default:
		return nil, fmt.Errorf("unsupported compression %s", codecName(codec))
	}
	if limit >= 0 && size > limit {
		return nil, fmt.Errorf("%s page of %d bytes cannot decompress to the %d bytes its header declares", codecName(codec), len(src), size)
	}
	if codec == codecZstd {
		d, err := zstdDecoder()
		if err != nil {
			return nil, fmt.Errorf("zstd: %v", err)
		}
		out, err := d.DecodeAll(src, dst[:0])
		if err != nil {
			return nil, fmt.Errorf("zstd: %v", err)
		}
		if len(out) != size {
			return nil, fmt.Errorf("zstd page decompresses to %d bytes, the header says %d", len(out), size)
		}
		return out, nil
	}
	if cap(dst) < size {
		dst = make([]byte, size)
	}
	dst = dst[:size]
	switch codec {
	case codecSnappy:
		n, err := snappy.DecodedLen(src)
		if err != nil {
			return nil, fmt.Errorf("snappy: %v", err)
		}
		if n != size {
			return nil, fmt.Errorf("snappy page decompresses to %d bytes, the header says %d", n, size)
		}
		out, err := snappyDecode(dst, src)
		if err != nil {
			return nil, fmt.Errorf("snappy: %v", err)
		}
		return out, nil
	case codecGzip:
		zr, err := gzip.NewReader(bytes.NewReader(src))
		if err != nil {
			return nil, fmt.Errorf("gzip: %v", err)
		}
		if _, err := io.ReadFull(zr, dst); err != nil {
			if err == io.ErrUnexpectedEOF || err == io.EOF {
				return nil, fmt.Errorf("gzip page decompresses to fewer bytes than the %d the header says", size)
			}
			return nil, fmt.Errorf("gzip: %v", err)
		}
		var one [1]byte
		if n, err := zr.Read(one[:]); n > 0 {
			return nil, fmt.Errorf("gzip page decompresses to more than the %d bytes the header says", size)
		} else if err != io.EOF {
			return nil, fmt.Errorf("gzip: %v", err)
		}
		return dst, nil
	case codecLZ4Raw:
		if err := lz4Block(dst, src); err != nil {
			return nil, err
		}
		return dst, nil
	default: // codecLZ4
		// The deprecated LZ4 codec: Hadoop's framing (what parquet-mr and
		// arrow write), else a bare LZ4 block (some old writers).
		if lz4Hadoop(dst, src) == nil {
			return dst, nil
		}
		if err := lz4Block(dst, src); err != nil {
			return nil, err
		}
		return dst, nil
	}
}

var errLZ4 = errors.New("corrupt LZ4 data")

// lz4Block decodes one LZ4 block (https://github.com/lz4/lz4/blob/dev/doc/lz4_Block_format.md)
// into dst, which must come out exactly full.
func lz4Block(dst, src []byte) error {
	d, s := 0, 0
	for s < len(src) {
		tok := src[s]
		s++
		n := int(tok >> 4)
		if n == 15 {
			for {
				if s >= len(src) {
					return errLZ4
				}
				c := src[s]
				s++
				n += int(c)
				if n > len(dst) {
					return errLZ4
				}
				if c != 255 {
					break
				}
			}
		}
		if n > len(src)-s || n > len(dst)-d {
			return errLZ4
		}
		d += copy(dst[d:], src[s:s+n])
		s += n
		if s == len(src) {
			break // the last sequence has literals only
		}
		if s+2 > len(src) {
			return errLZ4
		}
		off := int(src[s]) | int(src[s+1])<<8
		s += 2
		m := int(tok & 15)
		if m == 15 {
			for {
				if s >= len(src) {
					return errLZ4
				}
				c := src[s]
				s++
				m += int(c)
				if m > len(dst) {
					return errLZ4
				}
				if c != 255 {
					break
				}
			}
		}
		m += 4
		if off == 0 || off > d || m > len(dst)-d {
			return errLZ4
		}
		for i := 0; i < m; i++ { // overlapping copy
			dst[d+i] = dst[d-off+i]
		}
		d += m
	}
	if d != len(dst) {
		return fmt.Errorf("LZ4 page decompresses to %d bytes, the header says %d", d, len(dst))
	}
	return nil
}

// lz4Hadoop decodes Hadoop's LZ4 framing: blocks of (4-byte big-endian
// decompressed size, 4-byte big-endian compressed size, LZ4 block).
func lz4Hadoop(dst, src []byte) error {
	d := 0
	for len(src) > 0 {
		if len(src) < 8 {
			return errLZ4
		}
		un := int(binary.BigEndian.Uint32(src))
		cn := int(binary.BigEndian.Uint32(src[4:]))
		src = src[8:]
		if cn > len(src) || un > len(dst)-d || un < 0 || cn < 0 {
			return errLZ4
		}
		if err := lz4Block(dst[d:d+un], src[:cn]); err != nil {
			return err
		}
		d += un
		src = src[cn:]
	}
	if d != len(dst) {
		return errLZ4
	}
	return nil
}
