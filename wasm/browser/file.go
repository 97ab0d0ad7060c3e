//go:build js && wasm

package main

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"runtime"
	"syscall/js"
	"unsafe"
)

// chunkSize is how much of the file one JavaScript read fetches: a
// File.slice of 4 MiB, copied into Go once (js.CopyBytesToGo). The CSV
// reader asks for 256 KiB at a time, so one chunk serves 16 of its reads;
// Parquet asks for its footer and column chunks by range.
const chunkSize = 4 << 20

// prepareChunkSize is the read of a file being prepared (detection
// samples 2 000 rows of a CSV, or the start of a Parquet file's first
// pages; its layout the header): a 4 MiB File.slice took 25–45 ms in
// chromium, on the serial path of a split read.
const prepareChunkSize = 1 << 20

// fileReader is an io.ReaderAt over a JavaScript File: read(offset,
// length, address) copies that range into this module's memory at address
// and returns a Promise of the number of bytes copied (see fetch). It
// keeps one chunk (two for a Parquet part, see keepPrev) and the file's
// last 64 KiB once read (see smallRead), so memory stays at chunkSize
// (twice that) however large the file is. Reads block the calling
// goroutine on a channel while the promise settles — never a js.FuncOf
// callback (see newPromise).
type fileReader struct {
	read     js.Value
	size     int64
	chunk    int    // bytes per read (chunkSize; prepareChunkSize to prepare)
	aligned  bool   // chunks begin at multiples of chunk (see runPart)
	buf      []byte // the cached chunk
	at       int64  // file offset of buf
	keepPrev bool   // keep the chunk before the current one (Parquet)
	prev     []byte // that chunk
	prevAt   int64  // file offset of prev
	tail     []byte // the file's last bytes, see smallRead
	end      int64  // highest offset fetched so far (progress)
}

// A read of fewer than smallRead bytes in the file's last tailWindow
// bytes that no cached chunk holds is a Parquet trailer: it fetches all
// of those bytes, without replacing the cached chunk, and the footer that
// comes right after it (the trailer gives its length) is then read from
// them — one read instead of two whole chunks.
const (
	smallRead  = 4 << 10
	tailWindow = 64 << 10
)

func newFileReader(read js.Value, size int64) *fileReader {
	return &fileReader{read: read, size: size, chunk: chunkSize}
}

// End is how far into the file reading has got.
func (f *fileReader) End() int64 { return f.end }

func (f *fileReader) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, errors.New("negative offset")
	}
	n := 0
	for n < len(p) {
		if off >= f.size {
			return n, io.EOF
		}
		if c := f.cached(p[n:], off); c > 0 {
			n += c
			off += int64(c)
			continue
		}
		want := int64(len(p) - n)
		if want < smallRead && off+want > f.size-tailWindow {
			// The tail window: the trailer, then the footer.
			t := max(0, f.size-tailWindow)
			f.tail = make([]byte, f.size-t)
			if err := f.fetch(f.tail, t); err != nil {
				f.tail = nil
				return n, err
			}
			if t == 0 {
				f.end = f.size // the whole (small) file
			}
			continue
		}
		if want >= int64(f.chunk) {
			// A large read (a Parquet column chunk): straight into p.
			m := min(want, f.size-off)
			if err := f.fetch(p[n:n+int(m)], off); err != nil {
				return n, err
			}
			n += int(m)
			off += m
			f.end = max(f.end, off)
			continue
		}
		at := off
		if f.aligned {
			at -= off % int64(f.chunk)
		}
		m := min(int64(f.chunk), f.size-at)
		// The chunk held so far becomes the previous one: a Parquet
		// column whose window crosses into the next chunk does not make
		// the next column, still in this one, read it again (which also
		// keeps a part's reads in file order, so web/worker.js reads
		// ahead).
		if f.keepPrev {
			f.buf, f.prev, f.at, f.prevAt = f.prev, f.buf, -1, f.at
		}
		if cap(f.buf) < int(m) {
			f.buf = make([]byte, m)
		}
		f.buf = f.buf[:m]
		if err := f.fetch(f.buf, at); err != nil {
			f.buf = f.buf[:0]
			return n, err
		}
		f.at = at
		f.end = max(f.end, at+m)
	}
	return n, nil
}

// cached copies into p what the chunks held (the current one, the
// previous one, the tail window) have of the file from off on, and
// returns the count (0: none holds off).
func (f *fileReader) cached(p []byte, off int64) int {
	for _, w := range [...]struct {
		b  []byte
		at int64
	}{{f.buf, f.at}, {f.prev, f.prevAt}, {f.tail, f.size - int64(len(f.tail))}} {
		if off >= w.at && off < w.at+int64(len(w.b)) {
			return copy(p, w.b[off-w.at:])
		}
	}
	return 0
}

// fetch fills dst with the file's bytes at off. (ReadAt counts what is
// progress: chunks, not the small reads.)
//
// JavaScript copies the slice straight into dst, in this module's linear
// memory: read gets dst's address and length as numbers, writes the bytes
// through a Uint8Array view of the memory taken after its own await (so a
// memory grown meanwhile is seen), and resolves with the byte count. One
// copy per chunk: through a Uint8Array of JavaScript's and
// js.CopyBytesToGo it was two, ~2 ms of waiting per 4 MiB chunk. Only
// numbers cross (a fresh Uint8Array per chunk handed to Go would stay
// alive until Go's garbage collector finalized its Value: a 1 GB file
// once kept ~1 GB of chunks reachable).
//
// dst is on the heap, where Go never moves memory: every dst is a
// fileReader buffer or a slice that reached ReadAt through io.ReaderAt,
// and escape analysis puts anything passed to an interface method on the
// heap. (A goroutine's stack can move while it waits; the heap cannot.)
func (f *fileReader) fetch(dst []byte, off int64) error {
	if len(dst) == 0 {
		return nil
	}
	return f.settle(dst, off, f.start(dst, off))
}

// start asks JavaScript for the bytes of dst at off and returns the
// promise, for settle; two reads started before either settles run at
// once (see readHeadAndTail).
func (f *fileReader) start(dst []byte, off int64) js.Value {
	addr := uintptr(unsafe.Pointer(unsafe.SliceData(dst)))
	return f.read.Invoke(float64(off), len(dst), float64(addr))
}

// settle waits for the read of dst at off that start began.
func (f *fileReader) settle(dst []byte, off int64, promise js.Value) error {
	v, err := await(promise)
	runtime.KeepAlive(dst)
	if err != nil {
		return err
	}
	if v.Type() != js.TypeNumber {
		return errors.New("read did not resolve with a byte count")
	}
	if got := v.Int(); got != len(dst) {
		return fmt.Errorf("short read at byte %d: got %d of %d bytes (was the file changed?)", off, got, len(dst))
	}
	return nil
}

// readHeadAndTail reads the file's first chunk and its last tailWindow
// bytes at once, for a Parquet file being prepared: it is opened by its
// first bytes (the magic), then its footer, at the end, and only then
// can the pages it samples be read. The two reads took turns, 4–9 ms
// each in chromium. Called before the first ReadAt.
func (f *fileReader) readHeadAndTail() error {
	m := min(int64(f.chunk), f.size)
	t := max(0, f.size-tailWindow)
	if t < m {
		return nil // the tail is in the first chunk: one read
	}
	f.buf, f.tail = make([]byte, m), make([]byte, f.size-t)
	head, tail := f.start(f.buf, 0), f.start(f.tail, t)
	// Both are awaited even when the first fails: JavaScript writes into
	// the buffers until its read settles.
	errHead, errTail := f.settle(f.buf, 0, head), f.settle(f.tail, t, tail)
	if errHead != nil || errTail != nil {
		f.buf, f.tail = nil, nil
		return cmp.Or(errHead, errTail)
	}
	f.at, f.end = 0, m
	return nil
}

// await blocks the calling goroutine until promise settles. The callbacks
// only send on a buffered channel, so they never block.
func await(promise js.Value) (js.Value, error) {
	type settled struct {
		v   js.Value
		err error
	}
	ch := make(chan settled, 1)
	onOK := js.FuncOf(func(_ js.Value, args []js.Value) any {
		ch <- settled{v: args[0]}
		return nil
	})
	onErr := js.FuncOf(func(_ js.Value, args []js.Value) any {
		ch <- settled{err: jsError(args[0])}
		return nil
	})
	defer onOK.Release()
	defer onErr.Release()
	promise.Call("then", onOK, onErr)
	s := <-ch
	return s.v, s.err
}

// jsError turns a JavaScript rejection reason into a Go error.
func jsError(v js.Value) error {
	if v.Type() == js.TypeObject {
		if m := v.Get("message"); m.Type() == js.TypeString {
			return errors.New(m.String())
		}
	}
	return errors.New(v.String())
}
