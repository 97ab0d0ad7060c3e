package engine

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"sync"

	"github.com/cxaudit/cxaudit/core/ingest"
	"github.com/cxaudit/cxaudit/core/metric"
	"github.com/cxaudit/cxaudit/core/plan"
	"github.com/cxaudit/cxaudit/core/report"
)

// Reading one file with several workers: Prepare settles the plan and the
// layout once, Split cuts the file into Parts, RunPart reads one part into
// an accumulator state (anywhere: another goroutine, another Web Worker),
// and Finish verifies that the parts tile the file, merges them, and
// renders the document — the same document, byte for byte, as Run.
//
// When the parts cannot give the one pass's result, Finish says which part
// to read again: a CSV part that guessed its first record wrong (see
// ingest/csv_range.go) is read again from the right offset, and a file
// whose parts hit an error or pooled segment values into "(other)" is read
// again whole, in one part (the error then names the right line, and the
// pooling follows the file's order).

// MinPartBytes is the smallest CSV part worth a worker of its own (a
// variable so that tests can split small files).
var MinPartBytes int64 = 4 << 20

// Prepared is a file opened once: its plan settled (detected, merged,
// normalised) and what its parts share.
type Prepared struct {
	Name string     `json:"name"`
	Size int64      `json:"size"`
	Plan *plan.Plan `json:"plan"`
	// Header is the file's column names; Columns those the plan reads.
	Header  []string `json:"header"`
	Columns []string `json:"columns"`
	// Info is the reader's Info before any row (Parquet: its row groups).
	Info ingest.Info `json:"info"`
	// CSV is the layout of a CSV file that can be read in parts (UTF-8);
	// nil for Parquet and for CSV that is read whole.
	CSV *ingest.CSVLayout `json:"csv,omitempty"`
	// ParquetFooter is a Parquet file's footer, so that a part does not
	// read it again (ingest.Options.ParquetFooter).
	ParquetFooter []byte `json:"parquet_footer,omitempty"`
}

// Part is one piece of a file: a byte range of a CSV (records that begin
// in [Start, End)), a range of Parquet row groups, or the whole file.
type Part struct {
	Index     int                  `json:"index"`
	Whole     bool                 `json:"whole,omitempty"`
	Start     int64                `json:"start,omitempty"`
	End       int64                `json:"end,omitempty"`
	Exact     bool                 `json:"exact,omitempty"`
	RowGroups ingest.RowGroupRange `json:"row_groups"`
}

// PartResult is what reading a part gives: the accumulator state, what
// the reader counted, and an error of the input, if any (for a CSV part
// the error only counts once the part is verified to begin right).
type PartResult struct {
	Part  Part            `json:"part"`
	Rows  int64           `json:"rows"`
	Tally ingest.Tally    `json:"tally"`
	Info  *ingest.Info    `json:"info,omitempty"` // a whole part's
	State json.RawMessage `json:"state,omitempty"`
	Error string          `json:"error,omitempty"`
}

// Prepare opens the file at r, detects what the user plan leaves open
// (reading up to SampleRows rows), and returns what every part needs.
func Prepare(r io.ReaderAt, size int64, name string, user *plan.Plan, confidence float64) (*Prepared, error) {
	opts := ReaderOptions(name, user)
	opts.Limit = SampleRows // detection reads no more; the parts read the rows
	src, err := ingest.Open(name, r, size, opts)
	if err != nil {
		return nil, err
	}
	layout, splittable, err := ingest.LayoutOf(src, r)
	if err != nil {
		return nil, err
	}
	p, _, err := settle(src, user, confidence, false)
	if err != nil {
		return nil, err
	}
	if _, err := metric.New(p, name, src.Header()); err != nil {
		return nil, err
	}
	prep := &Prepared{Name: name, Size: size, Plan: p, Header: src.Header(), Columns: metric.NeededColumns(p), Info: src.Info()}
	prep.Info.Rows = 0
	if splittable {
		prep.CSV = &layout
	}
	prep.ParquetFooter = ingest.FooterOf(src)
	return prep, nil
}

// Split cuts the file into at most n parts: CSV into byte ranges of at
// least MinPartBytes, Parquet into runs of row groups. A file that cannot
// be split is one whole part.
func (p *Prepared) Split(n int) []Part {
	switch {
	case p.CSV != nil:
		data := p.Size - p.CSV.DataStart
		k := int(min(int64(max(n, 1)), max(data/MinPartBytes, 1)))
		parts := make([]Part, k)
		for i := range parts {
			parts[i] = Part{Index: i, Start: p.CSV.DataStart + data*int64(i)/int64(k), End: p.CSV.DataStart + data*int64(i+1)/int64(k), Exact: i == 0}
		}
		return parts
	case p.Info.Format == "parquet" && p.Info.RowGroups > 0:
		g := p.Info.RowGroups
		k := min(max(n, 1), g)
		parts := make([]Part, k)
		for i := range parts {
			parts[i] = Part{Index: i, RowGroups: ingest.RowGroupRange{From: g * i / k, To: g * (i + 1) / k}}
		}
		return parts
	}
	return []Part{{Index: 0, Whole: true}}
}

// RunPart reads one part of the prepared file into an accumulator and
// returns its state. progress, if not nil, gets the part's rows so far.
// Errors of the input are in PartResult.Error; the error returned is for
// what no retry can fix (a plan that does not fit, a failing encoder).
func RunPart(r io.ReaderAt, prep *Prepared, part Part, progress Progress) (*PartResult, error) {
	p := prep.Plan
	res := &PartResult{Part: part}
	var src ingest.Source
	var err error
	switch {
	case part.Whole:
		src, err = ingest.Open(prep.Name, r, prep.Size, ReaderOptions(prep.Name, p))
	case prep.CSV != nil:
		src, err = ingest.OpenCSVRange(r, prep.Size, ingest.RangeOptions{Name: prep.Name, Layout: *prep.CSV,
			Columns: prep.Columns, Start: part.Start, End: part.End, Exact: part.Exact, CellSpans: metric.ReadsSpans(p)})
	default:
		src, err = ingest.OpenParquet(r, prep.Size, ingest.Options{Name: prep.Name, Columns: prep.Columns, RowGroups: part.RowGroups, ParquetFooter: prep.ParquetFooter})
	}
	if err != nil {
		res.Error = err.Error()
		return res, nil
	}
	acc, err := metric.New(p, prep.Name, src.Header())
	if err != nil {
		return nil, err
	}
	for {
		b, err := src.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			res.Error = err.Error()
			break
		}
		acc.Add(b)
		res.Rows += int64(b.Rows)
		if progress != nil {
			progress(res.Rows)
		}
	}
	if t, ok := src.(ingest.Tallier); ok && !part.Whole {
		res.Tally = t.Tally()
	}
	if part.Whole {
		in := src.Info()
		res.Info = &in
	}
	if res.State, err = metric.EncodeState(acc); err != nil {
		return nil, err
	}
	return res, nil
}

// Finish verifies and merges the results of every part of a split (in
// any order) into the result document. When the parts cannot give the
// one pass's result it returns no document and the part to read again in
// place of results[redo.Index] (Whole: read the whole file as one part,
// and call Finish with that result alone).
func Finish(prep *Prepared, results []PartResult) (doc report.Object, redo *Part, err error) {
	if len(results) == 0 {
		return nil, nil, errors.New("engine: no parts to finish")
	}
	rs := append([]PartResult(nil), results...)
	sort.Slice(rs, func(i, j int) bool { return rs[i].Part.Index < rs[j].Part.Index })
	whole := rs[0].Part.Whole
	if !whole && prep.CSV != nil {
		for i := 1; i < len(rs); i++ {
			if rs[i-1].Error != "" {
				// Verified (it began right): a real error, whose line
				// only a whole read can name.
				return nil, &Part{Index: 0, Whole: true}, nil
			}
			if rs[i].Tally.Began != rs[i-1].Tally.Ended {
				next := rs[i].Part
				next.Start, next.Exact = rs[i-1].Tally.Ended, true
				return nil, &next, nil
			}
		}
	}
	for _, r := range rs {
		if r.Error != "" {
			if whole {
				return nil, nil, errors.New(r.Error)
			}
			return nil, &Part{Index: 0, Whole: true}, nil
		}
	}
	var acc metric.Accumulator
	for _, r := range rs {
		a, err := metric.DecodeState(prep.Plan, prep.Name, prep.Header, r.State)
		if err != nil {
			return nil, nil, err
		}
		if acc == nil {
			acc = a
		} else if err := acc.Merge(a); err != nil {
			return nil, nil, err
		}
	}
	if !whole && metric.Overflowed(acc) {
		return nil, &Part{Index: 0, Whole: true}, nil
	}
	var info ingest.Info
	switch {
	case whole:
		info = *rs[0].Info
	case prep.CSV != nil:
		tallies := make([]ingest.Tally, len(rs))
		for i, r := range rs {
			tallies[i] = r.Tally
		}
		info = ingest.MergeCSVInfo(*prep.CSV, prep.Size, tallies)
	default:
		info = prep.Info
		for _, r := range rs {
			info.Rows += r.Rows
		}
	}
	doc, err = Document(prep.Plan, info, acc)
	return doc, nil, err
}

// RunParallel is Run for a file with random access, read in up to
// workers parts on as many goroutines; the document is the same as Run's.
func RunParallel(r io.ReaderAt, size int64, name string, user *plan.Plan, confidence float64, workers int, progress Progress) (report.Object, error) {
	prep, err := Prepare(r, size, name, user, confidence)
	if err != nil {
		return nil, err
	}
	parts := prep.Split(workers)
	results := make([]PartResult, len(parts))
	var mu sync.Mutex
	var rows int64
	counted := make([]int64, len(parts))
	run := func(part Part, slot int) error {
		var prog Progress
		if progress != nil {
			prog = func(n int64) {
				mu.Lock()
				rows += n - counted[slot]
				counted[slot] = n
				progress(rows)
				mu.Unlock()
			}
		}
		res, err := RunPart(r, prep, part, prog)
		if err != nil {
			return err
		}
		results[slot] = *res
		return nil
	}
	errs := make([]error, len(parts))
	var wg sync.WaitGroup
	for i, part := range parts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = run(part, i)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	for {
		doc, redo, err := Finish(prep, results)
		if err != nil || redo == nil {
			return doc, err
		}
		if redo.Whole {
			results = results[:1]
			counted = counted[:1]
			counted[0], rows = 0, 0
		}
		if err := run(*redo, redo.Index); err != nil {
			return nil, err
		}
	}
}

// String describes a part for messages and logs.
func (p Part) String() string {
	switch {
	case p.Whole:
		return "the whole file"
	case p.RowGroups.To > 0:
		return fmt.Sprintf("row groups %d–%d", p.RowGroups.From, p.RowGroups.To-1)
	}
	return fmt.Sprintf("bytes %d–%d", p.Start, p.End)
}
