package ingest

import "fmt"

// Binary input. A user who drops a spreadsheet (.xlsx is a zip), an
// archive, a damaged download or a file of zeros meant "a table", and
// reading it as CSV gives columns named after garbage and an error about
// those. So sniffing also decides whether the start of the file is text
// at all: text has (next to) no control characters, compressed or random
// bytes have about 12 % (30 of the 256 byte values), a file of zeros 100 %.
//
// Rule: the sniffed sample (the first SniffBytes, as UTF-8) is binary when
// at least 1 in binaryShare of its bytes is a C0 control character other
// than tab, line feed, vertical tab (FileMaker's line break in a cell),
// form feed or carriage return — NUL included — or DEL. A few NUL bytes in
// cells (some database exports have them) stay far below that and are read
// as data. The check is part of sniffing: when the caller names the
// encoding or the delimiter, the file is taken to be text as said (which is
// also how UTF-16 text without a byte order mark, half NUL bytes, is read).

// binaryShare: 1 in 20 bytes (5 %) are control characters.
const binaryShare = 20

// controlBytes counts the bytes of text that text files do not have.
func controlBytes(text []byte) int {
	n := 0
	for _, c := range text {
		if c < 0x20 && (c < '\t' || c > '\r') || c == 0x7f {
			n++
		}
	}
	return n
}

// binaryError returns the *Error for a sample that is binary, or nil.
func binaryError(name string, text []byte) error {
	n := controlBytes(text)
	if len(text) == 0 || n*binaryShare < len(text) {
		return nil
	}
	return &Error{File: name, Msg: fmt.Sprintf("not a CSV or Parquet file: %d of its first %d bytes are control characters, so it is binary data "+
		"(a spreadsheet such as .xlsx, an archive or a damaged file?); save it as CSV or Parquet. "+
		"If it is text in UTF-16 without a byte order mark, name the encoding in the plan (csv.encoding)", n, len(text))}
}
