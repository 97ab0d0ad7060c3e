// Command hostile-gen writes the hostile corpus (internal/hostile).
//
//	go run ./scripts/hostile-gen -out testdata/hostile          # the committed files
//	go run ./scripts/hostile-gen -large -out DIR                # the large files, written at test time
//
// -root is the repository root (default: the current directory), where the
// real Parquet file the corrupt ones are made from is found.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/cxaudit/cxaudit/internal/hostile"
)

func main() {
	out := flag.String("out", "", "directory to write into (created if missing)")
	large := flag.Bool("large", false, "write the large files instead of the committed ones")
	root := flag.String("root", ".", "repository root")
	flag.Parse()
	if *out == "" || flag.NArg() != 0 {
		fmt.Fprintln(os.Stderr, "usage: hostile-gen [-large] [-root DIR] -out DIR")
		os.Exit(2)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "hostile-gen:", err)
		os.Exit(1)
	}
	var err error
	if *large {
		err = hostile.WriteLarge(*out)
	} else {
		err = hostile.WriteSmall(*root, *out)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "hostile-gen:", err)
		os.Exit(1)
	}
}
