package ingest

import (
	"fmt"
	"io"
	"path"
	"strings"
)

// parquetMagic starts (and ends) every Parquet file.
const parquetMagic = "PAR1"

// IsParquet reports whether a file starting with prefix is Parquet: it
// starts with the magic "PAR1". Four bytes are enough to decide; a CSV file
// would need a header starting with the word PAR1 to be mistaken.
func IsParquet(prefix []byte) bool {
	return len(prefix) >= len(parquetMagic) && string(prefix[:len(parquetMagic)]) == parquetMagic
}

// Open opens a file of either format, deciding by its content — the
// first bytes — not by its name: files get renamed, and a ".csv" that is
// really Parquet (or the reverse) should just work. When the name's
// extension says otherwise, Info.Warnings says so.
//
// Parquet needs random access (its footer is at the end), hence the
// io.ReaderAt; CSV is read sequentially through an io.SectionReader. The
// name is used in messages when opts.Name is empty.
func Open(name string, r io.ReaderAt, size int64, opts Options) (Source, error) {
	if opts.Name == "" {
		opts.Name = name
	}
	var head [len(parquetMagic)]byte
	n := 0
	if size > 0 {
		var err error
		n, err = r.ReadAt(head[:min(int64(len(head)), size)], 0)
		if err != nil && err != io.EOF {
			return nil, fmt.Errorf("%s: read error: %w", displayName(opts.Name), err)
		}
	}
	ext := extOf(name)
	if IsParquet(head[:n]) {
		src, err := OpenParquet(r, size, opts)
		if err != nil {
			return nil, err
		}
		if csvExts[ext] {
			return &notedSource{src, fmt.Sprintf("the file is named %s but holds Parquet (it starts with PAR1); read as Parquet", ext)}, nil
		}
		return src, nil
	}
	src, err := OpenCSV(io.NewSectionReader(r, 0, size), opts)
	if err != nil {
		return nil, err
	}
	if parquetExts[ext] {
		return &notedSource{src, fmt.Sprintf("the file is named %s but is not Parquet (no PAR1 magic); read as CSV", ext)}, nil
	}
	return src, nil
}

var (
	csvExts     = map[string]bool{".csv": true, ".tsv": true, ".tab": true, ".txt": true}
	parquetExts = map[string]bool{".parquet": true, ".parq": true, ".pq": true}
)

// ParquetName reports whether a file's name says Parquet (.parquet, .parq,
// .pq): a hint for reading ahead, never for deciding the format (Open
// goes by content).
func ParquetName(name string) bool {
	return parquetExts[extOf(name)]
}

// extOf is the extension of a file name (Windows paths too), lower case.
func extOf(name string) string {
	return strings.ToLower(path.Ext(strings.ReplaceAll(name, "\\", "/")))
}

func displayName(name string) string {
	if name == "" {
		return "input"
	}
	return name
}

// notedSource adds a warning of Open's to a source's Info.
type notedSource struct {
	Source
	note string
}

func (s *notedSource) Info() Info {
	in := s.Source.Info()
	in.Warnings = append([]string{s.note}, in.Warnings...)
	return in
}
