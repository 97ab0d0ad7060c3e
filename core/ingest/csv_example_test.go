package ingest_test

import (
	"fmt"
	"io"
	"strings"

	"github.com/cxaudit/cxaudit/core/ingest"
)

// A semicolon-separated export with a BOM, CRLF line ends, a quoted answer
// spanning two lines and a short row; only two columns are read.
func ExampleOpenCSV() {
	file := "\uFEFFid;nps;comment\r\n1;9;\"Great;\r\nfast\"\r\n2;6\r\n"
	src, err := ingest.OpenCSV(strings.NewReader(file), ingest.Options{Name: "survey.csv", Columns: []string{"nps", "comment"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%q\n", src.Header())
	for {
		b, err := src.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Println(err)
			return
		}
		for i := 0; i < b.Rows; i++ {
			fmt.Printf("row %d: nps=%s comment=%q\n", b.FirstRow+int64(i), b.Cols[1].Cell(i), b.Cols[2].Cell(i))
		}
	}
	in := src.Info()
	fmt.Printf("delimiter %q, encoding %s, %d rows, %d ragged\n", in.Delimiter, in.Encoding, in.Rows, in.RaggedRows)
	// Output:
	// ["id" "nps" "comment"]
	// row 1: nps=9 comment="Great;\r\nfast"
	// row 2: nps=6 comment=""
	// delimiter ";", encoding utf-8-sig, 2 rows, 1 ragged
}

// Open decides the format by content; a name that says otherwise earns a
// warning.
func ExampleOpen() {
	data := []byte("a,b\n1,2\n")
	src, err := ingest.Open("export.parquet", strings.NewReader(string(data)), int64(len(data)), ingest.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	in := src.Info()
	fmt.Println(in.Format)
	fmt.Println(in.Warnings[0])
	// Output:
	// csv
	// the file is named .parquet but is not Parquet (no PAR1 magic); read as CSV
}
