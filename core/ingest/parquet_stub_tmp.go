package ingest

import "io"

// OpenParquet is a temporary stub so that open.go compiles until parquet.go
// lands. Delete this file then.
func OpenParquet(r io.ReaderAt, size int64, opts Options) (Source, error) {
	return nil, &Error{File: opts.Name, Msg: "Parquet is not supported yet"}
}
