package ingest

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestIsParquet(t *testing.T) {
	for in, want := range map[string]bool{
		"PAR1\x15\x04": true, "PAR1": true, "PAR": false, "": false, "par1": false, "a,b\n": false, "\xEF\xBB\xBFPAR1": false,
	} {
		if got := IsParquet([]byte(in)); got != want {
			t.Errorf("IsParquet(%q) = %v", in, got)
		}
	}
}

// parquetSample returns a Parquet file from the Parquet reader's test data
// that it opens, or skips the test if there is none.
func parquetSample(t *testing.T) []byte {
	t.Helper()
	files, _ := filepath.Glob("testdata/parquet/*.parquet")
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		if _, err := OpenParquet(bytes.NewReader(data), int64(len(data)), Options{}); err == nil {
			return data
		}
	}
	t.Skip("no Parquet sample in testdata/parquet")
	return nil
}

func TestOpenByContent(t *testing.T) {
	csv := []byte("a,b\n1,2\n")
	cases := []struct {
		name, format, warning string
		data                  func(t *testing.T) []byte
	}{
		{"survey.csv", "csv", "", func(*testing.T) []byte { return csv }},
		{"export", "csv", "", func(*testing.T) []byte { return csv }},
		{"survey.parquet", "csv", "the file is named .parquet but is not Parquet (no PAR1 magic); read as CSV", func(*testing.T) []byte { return csv }},
		{`C:\data\Survey.PARQUET`, "csv", "named .parquet", func(*testing.T) []byte { return csv }},
		{"survey.parquet", "parquet", "", parquetSample},
		{"survey.csv", "parquet", "the file is named .csv but holds Parquet (it starts with PAR1); read as Parquet", parquetSample},
	}
	for _, tc := range cases {
		data := tc.data(t)
		src, err := Open(tc.name, bytes.NewReader(data), int64(len(data)), Options{})
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		in := src.Info()
		if in.Format != tc.format || in.Name != tc.name {
			t.Fatalf("%s: info %+v", tc.name, in)
		}
		hasWarning := len(in.Warnings) > 0 && strings.Contains(in.Warnings[0], "named")
		if tc.warning == "" && hasWarning || tc.warning != "" && (!hasWarning || !strings.Contains(in.Warnings[0], tc.warning)) {
			t.Fatalf("%s: warnings %q, want %q", tc.name, in.Warnings, tc.warning)
		}
		if _, _, err := ReadAll(src); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
	}
}

func TestOpenErrors(t *testing.T) {
	_, err := Open("empty.csv", bytes.NewReader(nil), 0, Options{})
	var e *Error
	if !errors.As(err, &e) || err.Error() != "empty.csv: file is empty" {
		t.Fatalf("empty: %v", err)
	}
	_, err = Open("x.csv", bytes.NewReader([]byte("a,\"b\n")), 5, Options{Name: "shown.csv"})
	if err == nil || !strings.HasPrefix(err.Error(), "shown.csv: row 1:") {
		t.Fatalf("name: %v", err)
	}
	_, err = Open("bad.csv", failingReaderAt{}, 100, Options{})
	if err == nil || !strings.Contains(err.Error(), "bad.csv: read error: disk on fire") {
		t.Fatalf("read error: %v", err)
	}
}

type failingReaderAt struct{}

func (failingReaderAt) ReadAt(p []byte, off int64) (int, error) {
	return 0, errors.New("disk on fire")
}

// TestParquetName: the name hint, case-insensitive, for Windows paths too.
func TestParquetName(t *testing.T) {
	for name, want := range map[string]bool{
		"survey.parquet": true, "S.PARQUET": true, "a.parq": true, "a.pq": true, `C:\exports\x.Parquet`: true,
		"survey.csv": false, "parquet": false, "a.parquet.csv": false, "": false, "dir.parquet/x.csv": false,
	} {
		if got := ParquetName(name); got != want {
			t.Errorf("ParquetName(%q) = %v, want %v", name, got, want)
		}
	}
}
