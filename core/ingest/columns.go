package ingest

import (
	"fmt"
	"slices"
	"strings"
)

// CheckColumns returns an error naming every one of names that is not in
// header (in sorted order, with the header's columns listed), or nil. The
// readers check the columns they are asked to read or to require with it
// (Options.Columns, Options.Require); the engine checks a plan's columns
// with it where it reads them all.
func CheckColumns(file string, header []string, names ...[]string) error {
	have := make(map[string]bool, len(header))
	for _, h := range header {
		have[h] = true
	}
	var missing []string
	for _, list := range names {
		for _, n := range list {
			if !have[n] && !slices.Contains(missing, n) {
				missing = append(missing, n)
			}
		}
	}
	if missing == nil {
		return nil
	}
	slices.Sort(missing)
	unknown := make([]string, len(missing))
	for i, n := range missing {
		unknown[i] = fmt.Sprintf("%q", n)
	}
	avail := make([]string, len(header))
	for i, h := range header {
		avail[i] = fmt.Sprintf("%q", h)
	}
	list := strings.Join(avail, ", ")
	if len(list) > 2000 {
		list = list[:2000] + " …"
	}
	what := "column"
	if len(unknown) > 1 {
		what = "columns"
	}
	return &Error{File: file, Msg: fmt.Sprintf("no %s %s in the header; the columns are: %s", what, strings.Join(unknown, ", "), list)}
}
