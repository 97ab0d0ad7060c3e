// Package engine runs the one data path of cxaudit: a source of batches,
// a plan (given, detected, or both merged), one accumulator, and the
// result document. Every host — CLI, browser bridge, Worker — calls it.
package engine

import (
	"errors"
	"fmt"
	"io"

	"github.com/cxaudit/cxaudit/core/detect"
	"github.com/cxaudit/cxaudit/core/ingest"
	"github.com/cxaudit/cxaudit/core/metric"
	"github.com/cxaudit/cxaudit/core/plan"
	"github.com/cxaudit/cxaudit/core/report"
)

// Version is the engine version reported in result documents.
const Version = "0.1.0"

// SampleRows is how many rows detection looks at.
const SampleRows = 2000

// SampleCells bounds the cells detection looks at: a file wider than
// SampleCells/SampleRows (524) columns is sampled over fewer rows (see
// sampleRows). Detection holds its sample as strings, so without it a
// 10 000-column export took 0.8 GB and 10 s (native) to detect.
const SampleCells = 1 << 20

// sampleRows is how many rows detection looks at in a file of cols
// columns: SampleRows, or fewer when that many rows would have more than
// SampleCells cells, but never fewer than 50.
func sampleRows(cols int) int {
	if cols <= 0 {
		return SampleRows
	}
	return min(SampleRows, max(SampleCells/cols, 50))
}

// Progress is called after each batch with the rows read so far.
type Progress func(rows int64)

// Complete reports whether a user plan says enough to run without
// detection: a kind and the columns that kind cannot do without.
func Complete(p *plan.Plan) bool {
	if p == nil {
		return false
	}
	switch p.Kind {
	case plan.KindSurvey:
		return len(p.Metrics) > 0
	case plan.KindTickets:
		return p.Columns["created_at"] != ""
	case plan.KindCustomers:
		return p.Columns["subscribed_at"] != "" && len(p.Periods) > 0
	case plan.KindEvents:
		return p.Columns["user_id"] != "" && p.Columns["timestamp"] != ""
	}
	return false
}

// ReaderOptions turns the CSV part of a plan into reader options.
func ReaderOptions(name string, p *plan.Plan) ingest.Options {
	o := ingest.Options{Name: name, SkipRowsAfterHeader: -1}
	if p == nil {
		return o
	}
	if p.CSV != nil {
		if d := p.CSV.Delimiter; len(d) == 1 {
			o.Delimiter = d[0]
		} else if d == "\\t" || d == "tab" {
			o.Delimiter = '\t'
		}
		o.Encoding = p.CSV.Encoding
	}
	o.SkipRowsAfterHeader = p.SkipRows()
	if Complete(p) {
		o.Columns = metric.NeededColumns(p)
		o.Require = metric.NamedColumns(p)
		o.CellSpans = metric.ReadsSpans(p)
	}
	return o
}

// sampled is a Source that first replays the batches read for detection.
type sampled struct {
	ingest.Source
	kept []*ingest.Batch
}

func (s *sampled) Next() (*ingest.Batch, error) {
	if len(s.kept) > 0 {
		b := s.kept[0]
		s.kept = s.kept[1:]
		return b, nil
	}
	return s.Source.Next()
}

// Detect reads a sample of src (SampleRows rows; fewer in a file of more
// than 524 columns, see SampleCells) and infers a plan. It returns the
// plan and a Source that replays the sampled rows before the rest, so a
// stream (stdin, an upload) is read once.
func Detect(src ingest.Source) (*plan.Plan, ingest.Source, error) {
	return DetectKind(src, "")
}

// DetectKind is Detect for a known kind ("" = infer it too): when a user
// plan names the kind, detection looks for that kind's roles only.
func DetectKind(src ingest.Source, kind string) (*plan.Plan, ingest.Source, error) {
	return detectKind(src, kind, true)
}

// detectKind is DetectKind; without replay, the Source returned does not
// replay the sample (Prepare, whose parts read the rows): the batches are
// not copied to be kept.
func detectKind(src ingest.Source, kind string, replay bool) (*plan.Plan, ingest.Source, error) {
	header := src.Header()
	s := detect.Sample{Header: header, Columns: make([][]string, len(header))}
	re := &sampled{Source: src}
	rows, limit := 0, sampleRows(len(header))
	for rows < limit {
		b, err := src.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, err
		}
		if replay {
			b = b.Clone()
			re.kept = append(re.kept, b)
		}
		take := min(b.Rows, limit-rows)
		for j, c := range b.Cols {
			if c != nil && take > 0 {
				s.Columns[j] = appendCells(s.Columns[j], c, take)
			}
		}
		rows += b.Rows
	}
	for j := range s.Columns {
		for len(s.Columns[j]) < min(rows, limit) {
			s.Columns[j] = append(s.Columns[j], "")
		}
	}
	info := src.Info()
	s.Info, s.Format = info, info.Format
	var p *plan.Plan
	var err error
	if kind == "" {
		p, err = detect.Detect(s)
	} else {
		p, err = detect.DetectKind(s, kind)
	}
	if err != nil {
		name := info.Name
		if name == "" {
			name = "input"
		}
		return nil, nil, fmt.Errorf("%s: %w", name, err)
	}
	return p, re, nil
}

// appendCells appends the first n cells of c to cells as strings that
// share one copy of their bytes: one allocation a column, not one a cell
// (16 000 of them for a 2 000-row sample of 8 columns).
func appendCells(cells []string, c *ingest.Column, n int) []string {
	data, ends := c.Raw()
	all := string(data[:ends[n-1]])
	start := int32(0)
	for _, end := range ends[:n] {
		cells = append(cells, all[start:end])
		start = end
	}
	return cells
}

// settle returns the plan an analysis of src runs with: user when it is
// complete, else detected (reading a sample; with replay, the Source
// returned replays it) with what user says winning; confidence > 0
// overrides; normalised.
func settle(src ingest.Source, user *plan.Plan, confidence float64, replay bool) (*plan.Plan, ingest.Source, error) {
	p := user
	if !Complete(user) {
		kind := ""
		if user != nil {
			kind = user.Kind
		}
		detected, replayed, err := detectKind(src, kind, replay)
		if err != nil {
			return nil, nil, err
		}
		src = replayed
		if user != nil {
			detected = detect.Merge(detected, user)
		}
		p = detected
	}
	if confidence > 0 {
		p.Confidence = confidence
	}
	if err := p.Normalize(); err != nil {
		return nil, nil, err
	}
	// The reader checked the columns of a complete plan; a detected one
	// may hold the user's names of columns no accumulator reads (id).
	if err := ingest.CheckColumns(src.Info().Name, src.Header(), metric.NamedColumns(p)); err != nil {
		return nil, nil, err
	}
	return p, src, nil
}

// Run analyses src with plan user (nil or partial: detection fills in what
// it does not say; what it says wins). confidence > 0 overrides the plan's.
func Run(src ingest.Source, user *plan.Plan, confidence float64, progress Progress) (report.Object, error) {
	p, src, err := settle(src, user, confidence, true)
	if err != nil {
		return nil, err
	}
	info := src.Info()
	acc, err := metric.New(p, info.Name, src.Header())
	if err != nil {
		return nil, err
	}
	var rows int64
	for {
		b, err := src.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		acc.Add(b)
		rows += int64(b.Rows)
		if progress != nil {
			progress(rows)
		}
	}
	return Document(p, src.Info(), acc)
}

// Document assembles the result document from a finished accumulator.
func Document(p *plan.Plan, info ingest.Info, acc metric.Accumulator) (report.Object, error) {
	part, warnings := acc.Result()
	doc := report.Object{"kind": p.Kind, "confidence": p.Confidence}
	for k, v := range part {
		doc[k] = v
	}
	if comps, ok := doc["comparisons"].([]report.Object); ok {
		report.AdjustHolm(comps)
	}
	// Ragged rows are in info.Warnings already, with the line of the
	// first (the reader's Info, or the merge of the parts' counts).
	// A new slice: appending to info.Warnings could write into the
	// reader's own backing array.
	warnings = append(append(make([]string, 0, len(info.Warnings)+len(warnings)), info.Warnings...), warnings...)
	doc["source"] = info
	doc["plan"] = p
	doc["warnings"] = warnings
	doc["engine"] = report.Object{"name": "cxaudit", "version": Version}
	return doc, nil
}
