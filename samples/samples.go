// Package samples embeds the realistic sample datasets that `cxaudit
// sample` prints and the page offers as "Try a sample": a survey export
// (2000 responses with dirty NPS cells and a (blank) segment), a support
// ticket export, a customer/subscription table and an event log. They are
// the oracle's reference cases, so their numbers are known to be right.
package samples

import (
	"embed"
	"fmt"
	"sort"
)

//go:embed *.csv
var files embed.FS

// Names lists the samples.
func Names() []string {
	entries, _ := files.ReadDir(".")
	var names []string
	for _, e := range entries {
		names = append(names, e.Name()[:len(e.Name())-len(".csv")])
	}
	sort.Strings(names)
	return names
}

// Get returns the CSV bytes of a sample.
func Get(name string) ([]byte, error) {
	b, err := files.ReadFile(name + ".csv")
	if err != nil {
		return nil, fmt.Errorf("no sample %q (samples: %v)", name, Names())
	}
	return b, nil
}
