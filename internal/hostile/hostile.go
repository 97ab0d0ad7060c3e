// Package hostile builds the hostile corpus of issue #6: files as users'
// export tools produce them at their worst — empty, binary, cut short,
// corrupt, enormous — which every host (CLI, page, Worker) must answer
// with a clear error or a partial result with every problem counted.
//
// Small files are committed in testdata/hostile (Small gives their bytes;
// TestCommittedCorpus keeps them in sync). Large ones are written at test
// time by WriteLarge. The outcome expected of each file is written down,
// by hand, in testdata/hostile/expected.json, which the tests of all three
// hosts read. Regenerate with
//
//	go run ./scripts/hostile-gen -out testdata/hostile
//	go run ./scripts/hostile-gen -large -out /tmp/hostile-large
//
// Everything is deterministic: the same bytes on every machine.
package hostile

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// File is one file of the corpus.
type File struct {
	Name string
	Data []byte
}

// ParquetBase is the real Parquet file (written by arrow-rs through
// parquet-wasm) that the corrupt Parquet files are made from, relative to
// the repository root: 6 columns (respondent_id, submitted_at, channel,
// nps, csat, ces), 3 rows in 3 row groups, SNAPPY, dictionary pages.
const ParquetBase = "testdata/oracle/survey_n3.parquet"

// rng is xorshift64*: a fixed generator, so garbage is the same everywhere.
type rng uint64

func (r *rng) next() uint64 {
	x := uint64(*r)
	x ^= x >> 12
	x ^= x << 25
	x ^= x >> 27
	*r = rng(x)
	return x * 0x2545F4914F6CDD1D
}

func (r *rng) bytes(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.next() >> 56)
	}
	return b
}

var channels = []string{"email", "chat", "phone"}

// survey writes n ordinary rows of respondent_id,nps,channel,comment
// (first id first), nps cycling 0–10.
func survey(b *bytes.Buffer, first, n int, eol string) {
	for i := first; i < first+n; i++ {
		fmt.Fprintf(b, "R%05d,%d,%s,fine%s", i, i%11, channels[i%3], eol)
	}
}

const surveyHeader = "respondent_id,nps,channel,comment"

// Small returns the committed files. root is the repository root (for
// ParquetBase).
func Small(root string) ([]File, error) {
	var files []File
	add := func(name string, data []byte) { files = append(files, File{name, data}) }

	add("empty.csv", nil)
	add("header_only.csv", []byte(surveyHeader+"\r\n"))

	// Binary: what a renamed .xlsx, a zip or a corrupt download looks like
	// to a CSV reader; and a file of zeros (space allocated, never written).
	r := rng(0x9E3779B97F4A7C15)
	add("garbage.csv", r.bytes(4096))
	add("zeros.csv", make([]byte, 4096))

	// NUL bytes in an otherwise good file: in an NPS cell, in a free-text
	// cell, in a segment value, and 16 of them after the last line (a
	// write cut short by a crash leaves zeros behind).
	{
		var b bytes.Buffer
		b.WriteString(surveyHeader + "\n")
		survey(&b, 1, 99, "\n")
		b.WriteString("R00100,7\x00,email,fine\n")         // nps cell with a NUL: non_numeric
		b.WriteString("R00101,9,chat,a NUL \x00 inside\n") // free text: kept
		b.WriteString("R00102,10,phone\x00,fine\n")        // a segment value with a NUL
		survey(&b, 103, 97, "\n")                          // 199 rows so far
		b.Write(make([]byte, 16))                          // row 200: one cell of 16 NULs (ragged)
		add("nul_bytes.csv", b.Bytes())
	}

	// Invalid UTF-8 after the 64 KiB the encoding is sniffed from: three
	// Windows-1252 / stray bytes in comments, read as UTF-8, kept, counted.
	{
		var b bytes.Buffer
		b.WriteString(surveyHeader + "\n")
		i := 1
		for b.Len() < 70000 {
			fmt.Fprintf(&b, "R%05d,%d,%s,très bien\n", i, i%11, channels[i%3])
			i++
		}
		fmt.Fprintf(&b, "R%05d,9,email,caf\xe9\n", i)
		fmt.Fprintf(&b, "R%05d,3,chat,\xff\xfe\n", i+1)
		add("invalid_utf8.csv", b.Bytes())
	}

	// Line ends \n, \r\n and a lone \r, mixed, also inside quoted cells,
	// with empty lines (skipped) between records.
	add("mixed_eol.csv", []byte(surveyHeader+"\r\n"+
		"R00001,9,email,fine\n"+
		"R00002,10,chat,fine\r\n"+
		"R00003,0,phone,fine\r"+
		"R00004,6,email,\"two\r\nlines\"\n"+
		"\r\n"+
		"R00005,7,chat,\"cr\ronly\"\r"+
		"\r"+
		"R00006,8,phone,\"lf\nonly\"\r\n"+
		"\n"+
		"R00007,3,email,fine\r\n"+
		"R00008,,chat,blank nps\r"+
		"R00009,11,phone,out of range\n"+
		"R00010,5,email,fine"))

	// A quote opened in the last record and never closed.
	{
		var b bytes.Buffer
		b.WriteString(surveyHeader + "\n")
		survey(&b, 1, 20, "\n")
		b.WriteString("R00021,8,email,\"it was fine, until\nR00022,9,chat,fine\n")
		add("unterminated_quote.csv", b.Bytes())
	}

	// Duplicate and blank column names.
	{
		var b bytes.Buffer
		b.WriteString("respondent_id,nps,channel,nps,,channel, ,\n")
		for i := 1; i <= 30; i++ {
			fmt.Fprintf(&b, "R%05d,%d,%s,%d,x,%s,y,z\n", i, i%11, channels[i%3], (i+5)%11, channels[(i+1)%3])
		}
		add("duplicate_names.csv", b.Bytes())
	}

	// The wrong extension: CSV named .parquet, Parquet named .csv.
	{
		var b bytes.Buffer
		b.WriteString(surveyHeader + "\n")
		survey(&b, 1, 30, "\n")
		add("csv_named.parquet", b.Bytes())
	}
	base, err := os.ReadFile(filepath.Join(root, ParquetBase))
	if err != nil {
		return nil, err
	}
	add("parquet_named.csv", base)

	pq, err := corruptParquet(base)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", ParquetBase, err)
	}
	files = append(files, pq...)
	return files, nil
}

// corruptParquet makes the broken Parquet files, each from the base file
// with one thing wrong.
func corruptParquet(base []byte) ([]File, error) {
	var files []File
	add := func(name string, data []byte) { files = append(files, File{name, data}) }
	clone := func() []byte { return append([]byte(nil), base...) }

	// Cut short: the first half, as an interrupted download leaves it.
	add("truncated.parquet", clone()[:len(base)/2])

	// The leading magic damaged: no longer recognisable as Parquet.
	{
		b := clone()
		copy(b, "PAR0")
		add("wrong_magic.parquet", b)
	}

	// The footer length (the 4 bytes before the final PAR1) claims 4 GiB.
	{
		b := clone()
		binary.LittleEndian.PutUint32(b[len(b)-8:], 0xFFFFFFF0)
		add("footer_length_4gib.parquet", b)
	}

	// Edits through the decoded footer.
	edit := func(name string, f func(p *pqFile) error) error {
		p, err := parseParquet(base)
		if err != nil {
			return err
		}
		if err := f(p); err != nil {
			return fmt.Errorf("%s: %v", name, err)
		}
		add(name, p.bytes())
		return nil
	}
	nps := func(p *pqFile) *tval { return p.chunks(0)[3] } // row group 1, column "nps"

	// The file and its first row group claim 5 billion more rows than the
	// pages hold (nothing may be allocated for them).
	if err := edit("num_rows_5e9.parquet", func(p *pqFile) error {
		p.meta.get(fmNumRows).i += 5_000_000_000
		p.meta.get(fmRowGroups).items[0].get(rgNumRows).i += 5_000_000_000
		return nil
	}); err != nil {
		return nil, err
	}

	// The nps column chunk claims to be 1 TiB long.
	if err := edit("chunk_size_1tib.parquet", func(p *pqFile) error {
		nps(p).get(ccMeta).get(cmTotalComp).i = 1 << 40
		return nil
	}); err != nil {
		return nil, err
	}

	// A data page claims to decompress to 2 GB.
	if err := edit("page_size_2gb.parquet", func(p *pqFile) error {
		pg, err := p.firstDataPage(nps(p))
		if err != nil {
			return err
		}
		return p.setPageField(pg, phUncompressed, 2_000_000_000)
	}); err != nil {
		return nil, err
	}

	// A data page's compressed bytes garbled (every byte XOR 0x5A).
	if err := edit("corrupt_page.parquet", func(p *pqFile) error {
		pg, err := p.firstDataPage(nps(p))
		if err != nil {
			return err
		}
		for i := pg.at + pg.hlen; i < pg.at+pg.hlen+pg.bodyLen(); i++ {
			p.data[i] ^= 0x5A
		}
		return nil
	}); err != nil {
		return nil, err
	}

	// A data page's header overwritten with 0xFF bytes.
	if err := edit("corrupt_page_header.parquet", func(p *pqFile) error {
		pg, err := p.firstDataPage(nps(p))
		if err != nil {
			return err
		}
		for i := pg.at; i < pg.at+pg.hlen; i++ {
			p.data[i] = 0xFF
		}
		return nil
	}); err != nil {
		return nil, err
	}
	return files, nil
}

// Large files, written by WriteLarge.
const (
	// WideColumns is the width of wide.csv: under ingest.MaxColumns.
	WideColumns = 10_000
	WideRows    = 200
	// TooWideColumns is one more than ingest.MaxColumns (16 384).
	TooWideColumns = 16_385
	// BigCellBytes is the size of the one huge cell of big_cell.csv.
	BigCellBytes = 5 << 20
	// SegmentSampleRows rows cycle through SampleStores values (what
	// detection sees), then SegmentDistinct rows each bring a new value.
	SegmentSampleRows = 2000
	SampleStores      = 20
	SegmentDistinct   = 1_000_000
	// LongRecordBytes is the text after a quote that never closes: over
	// ingest.MaxRecordBytes (16 MiB).
	LongRecordBytes = 16<<20 + 1<<20
)

// LargeNames lists the files WriteLarge writes.
var LargeNames = []string{"wide.csv", "too_wide.csv", "big_cell.csv", "segments_1m.csv", "unclosed_quote_17mib.csv"}

// WriteLarge writes the large files into dir (about 90 MB in all).
func WriteLarge(dir string) error {
	gens := map[string]func(w *bufio.Writer){
		"wide.csv": func(w *bufio.Writer) {
			w.WriteString("nps")
			for c := 1; c < WideColumns; c++ {
				fmt.Fprintf(w, ",q%04d", c)
			}
			w.WriteString("\n")
			for i := 0; i < WideRows; i++ {
				fmt.Fprintf(w, "%d", i%11)
				w.WriteString(strings.Repeat(",a", WideColumns-1))
				w.WriteString("\n")
			}
		},
		"too_wide.csv": func(w *bufio.Writer) {
			for c := 0; c < TooWideColumns; c++ {
				if c > 0 {
					w.WriteString(",")
				}
				fmt.Fprintf(w, "c%05d", c)
			}
			w.WriteString("\n")
			w.WriteString(strings.Repeat("1,", TooWideColumns-1) + "1\n")
		},
		"big_cell.csv": func(w *bufio.Writer) {
			w.WriteString(surveyHeader + "\n")
			// One quoted cell of BigCellBytes: commas, doubled quotes and
			// line breaks in it, as a pasted document would have.
			w.WriteString("R00001,9,email,\"")
			unit := "lorem, ipsum \"\"dolor\"\" sit\namet\r\n" // 32 bytes of file, 30 of cell
			cell := 0
			for cell+30 <= BigCellBytes {
				w.WriteString(unit)
				cell += 30
			}
			w.WriteString(strings.Repeat("x", BigCellBytes-cell))
			w.WriteString("\"\n")
			var b bytes.Buffer
			survey(&b, 2, 49, "\n")
			w.Write(b.Bytes())
		},
		"segments_1m.csv": func(w *bufio.Writer) {
			w.WriteString("nps,store\n")
			for i := 0; i < SegmentSampleRows; i++ {
				fmt.Fprintf(w, "%d,store-%02d\n", i%11, i%SampleStores)
			}
			for i := 0; i < SegmentDistinct; i++ {
				fmt.Fprintf(w, "%d,s%07d\n", i%11, i)
			}
		},
		"unclosed_quote_17mib.csv": func(w *bufio.Writer) {
			w.WriteString(surveyHeader + "\n")
			var b bytes.Buffer
			survey(&b, 1, 2, "\n")
			w.Write(b.Bytes())
			w.WriteString("R00003,7,chat,\"a quote that never closes\n")
			line := strings.Repeat("z", 1023) + "\n"
			for n := 0; n < LongRecordBytes; n += len(line) {
				w.WriteString(line)
			}
		},
	}
	for _, name := range LargeNames {
		if err := writeFile(filepath.Join(dir, name), gens[name]); err != nil {
			return err
		}
	}
	return nil
}

func writeFile(path string, gen func(w *bufio.Writer)) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	gen(w)
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// WriteSmall writes the committed files into dir.
func WriteSmall(root, dir string) error {
	files, err := Small(root)
	if err != nil {
		return err
	}
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(dir, f.Name), f.Data, 0o644); err != nil {
			return err
		}
	}
	return nil
}
