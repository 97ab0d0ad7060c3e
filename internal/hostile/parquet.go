package hostile

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// Parquet surgery on a real file: its data part (everything before the
// footer), its footer decoded as a Thrift tree, and edits that keep the
// rest of the file consistent, so that each corrupt file has exactly one
// thing wrong with it.

// Field ids of parquet.thrift used here.
const (
	fmNumRows   = 3 // FileMetaData.num_rows
	fmRowGroups = 4 // FileMetaData.row_groups

	rgColumns    = 1 // RowGroup.columns
	rgNumRows    = 3 // RowGroup.num_rows
	rgFileOffset = 5 // RowGroup.file_offset
	rgTotalComp  = 6 // RowGroup.total_compressed_size

	ccFileOffset   = 2 // ColumnChunk.file_offset
	ccMeta         = 3 // ColumnChunk.meta_data
	ccOffsetIndex  = 4 // ColumnChunk.offset_index_offset
	ccColumnIndex  = 6 // ColumnChunk.column_index_offset
	cmCodec        = 4 // ColumnMetaData.codec
	cmTotalComp    = 7 // ColumnMetaData.total_compressed_size
	cmDataPage     = 9
	cmIndexPage    = 10
	cmDictPage     = 11
	cmBloomFilter  = 14
	phType         = 1 // PageHeader.type
	phUncompressed = 2 // PageHeader.uncompressed_page_size
	phCompressed   = 3 // PageHeader.compressed_page_size

	pageDictionary = 2
)

type pqFile struct {
	data []byte // the bytes before the footer
	meta *tval  // FileMetaData
}

func parseParquet(b []byte) (*pqFile, error) {
	if len(b) < 12 || string(b[:4]) != "PAR1" || string(b[len(b)-4:]) != "PAR1" {
		return nil, errors.New("not a Parquet file")
	}
	n := int(binary.LittleEndian.Uint32(b[len(b)-8:]))
	if n > len(b)-12 {
		return nil, errors.New("footer length")
	}
	meta, used, err := decodeStruct(b[len(b)-8-n : len(b)-8])
	if err != nil {
		return nil, err
	}
	if used != n {
		return nil, fmt.Errorf("footer: %d of %d bytes decoded", used, n)
	}
	return &pqFile{data: append([]byte(nil), b[:len(b)-8-n]...), meta: meta}, nil
}

func (p *pqFile) bytes() []byte {
	footer := p.meta.encode(nil, false)
	out := append(append([]byte(nil), p.data...), footer...)
	out = binary.LittleEndian.AppendUint32(out, uint32(len(footer)))
	return append(out, "PAR1"...)
}

// chunks returns the ColumnChunk structs of row group g.
func (p *pqFile) chunks(g int) []*tval {
	return p.meta.get(fmRowGroups).items[g].get(rgColumns).items
}

// chunkStart is where a column chunk's first page begins.
func chunkStart(cc *tval) int64 {
	m := cc.get(ccMeta)
	start := m.get(cmDataPage).i
	if d := m.get(cmDictPage); d != nil && d.i > 0 && d.i < start {
		start = d.i
	}
	return start
}

// page is a page header found in the data part.
type page struct {
	at     int   // offset of the header
	hlen   int   // encoded length of the header
	header *tval // PageHeader
}

func (pg page) bodyLen() int { return int(pg.header.get(phCompressed).i) }

// firstDataPage returns the first page of a column chunk that is not a
// dictionary page.
func (p *pqFile) firstDataPage(cc *tval) (page, error) {
	at := int(chunkStart(cc))
	for range 8 {
		h, n, err := decodeStruct(p.data[at:])
		if err != nil {
			return page{}, err
		}
		pg := page{at, n, h}
		if h.get(phType).i != pageDictionary {
			return pg, nil
		}
		at += n + pg.bodyLen()
	}
	return page{}, errors.New("no data page")
}

// splice replaces the data part's bytes [a, b) with repl and moves every
// offset of the footer that lies at or after b; the column chunk and row
// group holding a grow or shrink by the difference.
func (p *pqFile) splice(a, b int, repl []byte) {
	delta := int64(len(repl) - (b - a))
	p.data = append(append(append([]byte(nil), p.data[:a]...), repl...), p.data[b:]...)
	move := func(v *tval) {
		if v != nil && v.i >= int64(b) {
			v.i += delta
		}
	}
	for _, rg := range p.meta.get(fmRowGroups).items {
		rgStart := int64(-1)
		for _, cc := range rg.get(rgColumns).items {
			m := cc.get(ccMeta)
			start := chunkStart(cc)
			if rgStart < 0 || start < rgStart {
				rgStart = start
			}
			if start <= int64(a) && int64(a) < start+m.get(cmTotalComp).i {
				m.get(cmTotalComp).i += delta
			}
			for _, v := range []*tval{cc.get(ccFileOffset), cc.get(ccOffsetIndex), cc.get(ccColumnIndex),
				m.get(cmDataPage), m.get(cmIndexPage), m.get(cmDictPage), m.get(cmBloomFilter)} {
				move(v)
			}
		}
		if t := rg.get(rgTotalComp); t != nil && rgStart <= int64(a) && int64(a) < rgStart+t.i {
			t.i += delta
		}
		move(rg.get(rgFileOffset))
	}
}

// setPageField sets field id of a page header to x, re-encoding the header
// in place (and moving what follows).
func (p *pqFile) setPageField(pg page, id int16, x int64) error {
	f := pg.header.get(id)
	if f == nil {
		return fmt.Errorf("page header has no field %d", id)
	}
	f.i = x
	p.splice(pg.at, pg.at+pg.hlen, pg.header.encode(nil, false))
	return nil
}
