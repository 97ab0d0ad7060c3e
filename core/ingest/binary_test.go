package ingest

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// TestBinaryInput: binary data (random bytes as in a zip or .xlsx, a file
// of zeros, UTF-16 without a byte order mark) is an *Error naming the file
// that says it is not CSV, when the delimiter and encoding are sniffed; a
// few NUL bytes in a text file, FileMaker's vertical tabs and form feeds
// are data; naming the encoding reads the file as told.
func TestBinaryInput(t *testing.T) {
	random := make([]byte, 4096)
	x := uint32(1)
	for i := range random {
		x = x*1664525 + 1013904223
		random[i] = byte(x >> 24)
	}
	utf16 := utf16String("id,nps\n1,9\n2,10\n", false, false) // LE, no BOM
	var nul bytes.Buffer
	nul.WriteString("id,nps,comment\n")
	for i := 0; i < 100; i++ {
		nul.WriteString("1,9,a free-text answer with one NUL \x00 in it\n") // 1 in 46 bytes
	}
	for _, c := range []struct {
		name   string
		in     []byte
		opts   Options
		binary bool
	}{
		{"random bytes", random, Options{}, true},
		{"zip header and random bytes", append([]byte("PK\x03\x04\x14\x00\x06\x00"), random...), Options{}, true},
		{"zeros", make([]byte, 1000), Options{}, true},
		{"one NUL", []byte{0}, Options{}, true},
		{"utf-16 without BOM", []byte(utf16), Options{}, true},
		{"utf-16 without BOM, encoding named", []byte(utf16), Options{Encoding: "utf-16le"}, false},
		{"random bytes, delimiter named", random, Options{Delimiter: ','}, false},
		{"a NUL per row", nul.Bytes(), Options{}, false},
		{"vertical tabs and form feeds", []byte("id,nps,comment\n1,9,\"a\vb\fc\"\n2,8,\"\v\v\v\"\n"), Options{}, false},
		{"text", []byte("id,nps\n1,9\n"), Options{}, false},
	} {
		c.opts.Name = "f.csv"
		_, err := OpenCSV(bytes.NewReader(c.in), c.opts)
		var e *Error
		isBinary := errors.As(err, &e) && strings.Contains(err.Error(), "not a CSV or Parquet file")
		if isBinary != c.binary {
			t.Errorf("%s: binary %v, want %v (err %v)", c.name, isBinary, c.binary, err)
		}
		if isBinary && (e.File != "f.csv" || e.Row != 0 || strings.Contains(err.Error(), "\n")) {
			t.Errorf("%s: %q", c.name, err)
		}
	}
	_, err := OpenCSV(bytes.NewReader(make([]byte, 100)), Options{Name: "z.csv"})
	want := "z.csv: not a CSV or Parquet file: 100 of its first 100 bytes are control characters"
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("got %v, want %q…", err, want)
	}
}
