package ingest

import (
	"fmt"
	"strings"
	"testing"
)

func TestSniffDelimiter(t *testing.T) {
	cases := []struct {
		name string
		in   string
		want byte
	}{
		{"comma", "a,b,c\n1,2,3\n4,5,6\n", ','},
		{"semicolon", "a;b;c\n1;2;3\n", ';'},
		{"tab", "a\tb\tc\n1\t2\t3\n", '\t'},
		{"pipe", "a|b|c\n1|2|3\n", '|'},
		{"semicolon with decimal commas", "name;score;weight\nA;7,5;0,25\nB;8;1,5\n", ';'},
		{"comma with semicolons in free text", "id,comment\n1,slow; rude\n2,fine\n3,meh; ok; bad\n", ','},
		{"tab with commas in text", "id\tcomment\n1\tgood, fast\n2\tok\n", '\t'},
		{"quoted delimiters do not count", "a;b\n\"x,y,z\";1\n\"p,q\";2\n", ';'},
		{"quoted newlines", "a,b\n\"l1\nl2;l3;l4\",1\n2,3\n", ','},
		{"stray quote inside a field", "size,label\n5\" screen,x\n3,y\n", ','},
		{"single column", "score\n1\n2\n", ','},
		{"header only", "a;b;c\n", ';'},
		{"tie goes to more fields", "a,b;c;d\n1,2;3;4\n", ';'},
		{"tie of equal counts goes to comma", "a,b;c\n1,2;3\n", ','},
		{"mostly consistent wins", "a;b;c\n1;2;3\n4;5;6\n7;8;9\n" + "x,y,z\n", ';'},
		{"qualtrics", "StartDate,EndDate,Q1\n\"Start Date\",\"End Date\",\"How likely, from 0; to 10?\"\n\"{\"\"ImportId\"\":\"\"startDate\"\"}\",\"{\"\"ImportId\"\":\"\"endDate\"\"}\",\"{\"\"ImportId\"\":\"\"QID1\"\"}\"\n2024-01-01,2024-01-01,9\n", ','},
		{"CR line ends", "a;b\r1;2\r3;4\r", ';'},
	}
	for _, tc := range cases {
		if got := sniffDelimiter([]byte(tc.in), true); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
		// Through the reader: Info reports it and the override wins.
		src, err := OpenCSV(strings.NewReader(tc.in), Options{})
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if d := src.Info().Delimiter; d != string(tc.want) {
			t.Errorf("%s: Info.Delimiter %q", tc.name, d)
		}
	}
	src, err := OpenCSV(strings.NewReader("a;b,c\n1;2,3\n"), Options{Delimiter: ','})
	if err != nil {
		t.Fatal(err)
	}
	if h := src.Header(); len(h) != 2 || h[0] != "a;b" || src.Info().Delimiter != "," {
		t.Fatalf("override: header %q", h)
	}
	for _, d := range []byte{'"', '\n', '\r', 0xE9} {
		if _, err := OpenCSV(strings.NewReader("a\n"), Options{Delimiter: d}); err == nil || !strings.Contains(err.Error(), "invalid delimiter") {
			t.Errorf("delimiter %q: %v", d, err)
		}
	}
}

// TestSniffDelimiterPartialSample: only the first SniffBytes are sniffed,
// and a record cut off at the end of the sample does not count.
func TestSniffDelimiterPartialSample(t *testing.T) {
	var b strings.Builder
	b.WriteString("a;b\n")
	for b.Len() < SniffBytes {
		b.WriteString("1;2\n")
	}
	s := b.String()[:SniffBytes-1] // "…\n1" cut in the middle of a record
	if got := sniffDelimiter([]byte(s), false); got != ';' {
		t.Fatalf("got %q", got)
	}
	if got := fieldCounts([]byte("a;b\n1;2\n3"), ';', 10, false); len(got) != 2 {
		t.Fatalf("counts %v", got)
	}
	if got := fieldCounts([]byte("a;b;c"), ';', 10, false); len(got) != 1 || got[0] != 3 {
		t.Fatalf("counts %v", got)
	}
}

const qualtricsHead = "StartDate,EndDate,Status,Q1,Q2\r\n" +
	"Start Date,End Date,Response Type,\"How likely are you to recommend us, 0-10?\",Anything else?\r\n" +
	"\"{\"\"ImportId\"\":\"\"startDate\"\",\"\"timeZone\"\":\"\"Etc/UTC\"\"}\",\"{\"\"ImportId\"\":\"\"endDate\"\"}\",\"{\"\"ImportId\"\":\"\"status\"\"}\",\"{\"\"ImportId\"\":\"\"QID1\"\"}\",\"{\"\"ImportId\"\":\"\"QID2_TEXT\"\"}\"\r\n"

const surveyMonkeyHead = "Respondent ID,Collector ID,Start Date,How likely are you to recommend us?,Which products do you use?,,,Other comments\n" +
	",,,Response,Product A,Product B,Other (please specify),Open-Ended Response\n"

func TestSkipRowsAfterHeader(t *testing.T) {
	qHeader := []string{"StartDate", "EndDate", "Status", "Q1", "Q2"}
	smHeader := []string{"Respondent ID", "Collector ID", "Start Date", "How likely are you to recommend us?", "Which products do you use?", "column_6", "column_7", "Other comments"}
	detect := Options{SkipRowsAfterHeader: -1}
	skipped := func(n int) func(*testing.T, Info) {
		return wantInfo(func(in Info) bool { return in.SkipRowsAfterHeader == n && in.HeaderRows == 1+n }, fmt.Sprintf("%d rows skipped", n))
	}
	runCSVCases(t, []csvCase{
		{name: "qualtrics", in: qualtricsHead + "2024-01-01,2024-01-01,IP Address,9,\"great, thanks\"\r\n", opts: detect,
			header: qHeader, rows: [][]string{{"2024-01-01", "2024-01-01", "IP Address", "9", "great, thanks"}}, check: skipped(2)},
		{name: "qualtrics without responses", in: qualtricsHead, opts: detect, header: qHeader, check: skipped(2)},
		{name: "qualtrics not detected unless asked", in: qualtricsHead, header: qHeader,
			rows: [][]string{
				{"Start Date", "End Date", "Response Type", "How likely are you to recommend us, 0-10?", "Anything else?"},
				{`{"ImportId":"startDate","timeZone":"Etc/UTC"}`, `{"ImportId":"endDate"}`, `{"ImportId":"status"}`, `{"ImportId":"QID1"}`, `{"ImportId":"QID2_TEXT"}`},
			}, check: skipped(0)},
		{name: "surveymonkey", in: surveyMonkeyHead + "114239482,2345235,01/02/2024 10:03:13,9,Product A,,,\n", opts: detect,
			header: smHeader, rows: [][]string{{"114239482", "2345235", "01/02/2024 10:03:13", "9", "Product A", "", "", ""}}, check: skipped(1)},
		{name: "explicit skip", in: "a,b\nx,y\n1,2\n", opts: Options{SkipRowsAfterHeader: 1},
			header: []string{"a", "b"}, rows: [][]string{{"1", "2"}}, check: skipped(1)},
		{name: "explicit skip beyond the end", in: "a,b\nx,y\n", opts: Options{SkipRowsAfterHeader: 5},
			header: []string{"a", "b"}, check: skipped(1)},
		// Data that looks like header text must stay data.
		{name: "text rows are data", in: "name,comment\nResponse,Open-Ended Response\nAlice,fine\n", opts: detect,
			header: []string{"name", "comment"}, rows: [][]string{{"Response", "Open-Ended Response"}, {"Alice", "fine"}}, check: skipped(0)},
		{name: "text rows under blank names are data", in: "name,,\nResponse,Open-Ended Response,x\nBob,y,z\n", opts: detect,
			header: []string{"name", "column_2", "column_3"}, rows: [][]string{{"Response", "Open-Ended Response", "x"}, {"Bob", "y", "z"}}, check: skipped(0)},
		{name: "labels with a number are data", in: "id,,\n,Response,7\n1,2,3\n", opts: detect,
			header: []string{"id", "column_2", "column_3"}, rows: [][]string{{"", "Response", "7"}, {"1", "2", "3"}}, check: skipped(0)},
		{name: "one ImportId cell is data", in: "a,b,c\nq,r,s\n{\"ImportId\":1},x,y\n", opts: detect,
			header: []string{"a", "b", "c"}, rows: [][]string{{"q", "r", "s"}, {`{"ImportId":1}`, "x", "y"}}, check: skipped(0)},
		{name: "short file", in: "a,b\n1,2\n", opts: detect, header: []string{"a", "b"}, rows: [][]string{{"1", "2"}}, check: skipped(0)},
		{name: "bad quote in a peeked row is reported once read", in: "a,b\n1,\"2\n", opts: detect, err: "row 2"},
	})
}

func TestDetectSkipRows(t *testing.T) {
	if k, layout := detectSkipRows([]string{"a"}, []string{"q"}, []string{`{"ImportId":"QID1"}`}); k != 2 || layout != "Qualtrics" {
		t.Fatal(k, layout)
	}
	if k, _ := detectSkipRows([]string{"a", "b", "c"}, []string{"q"}, []string{`{"ImportId":"QID1"}`, "x", "y"}); k != 0 {
		t.Fatal(k)
	}
	if k, layout := detectSkipRows([]string{"a", "a"}, []string{"", " response "}, nil); k != 1 || layout != "SurveyMonkey" {
		t.Fatal(k, layout)
	}
	if k, _ := detectSkipRows([]string{"a", "b"}, []string{"Response", ""}, nil); k != 0 {
		t.Fatal(k)
	}
	if k, _ := detectSkipRows([]string{"a", ""}, []string{"Response", "-99"}, nil); k != 0 {
		t.Fatal(k)
	}
}

func TestColumnNamesManyDuplicates(t *testing.T) {
	raw := make([]string, 5000)
	for i := range raw {
		raw[i] = "x"
	}
	names, warnings := columnNames(raw)
	if names[0] != "x" || names[4999] != "x (5000)" {
		t.Fatal(names[0], names[4999])
	}
	if len(warnings) != maxRenameWarnings+1 || warnings[maxRenameWarnings] != "header: 4979 more columns renamed" {
		t.Fatal(len(warnings), warnings[len(warnings)-1])
	}
}
