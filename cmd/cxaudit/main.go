// Command cxaudit computes customer-experience metrics with confidence
// intervals from a CSV or Parquet file, on this machine.
//
//	cxaudit analyze [--plan PLAN.json] [--format json|table|csv|md] [--confidence 0.9] FILE
//	cxaudit detect FILE
//	cxaudit sample survey|tickets|customers|events
//	cxaudit plan-size --metric nps|proportion --margin 5 [--confidence 0.95]
//
// FILE "-" reads CSV from standard input. Exit status: 0 success, 1 bad
// input (with a one-line message naming the file, row and column), 2 usage.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"

	"github.com/cxaudit/cxaudit/core/engine"
	"github.com/cxaudit/cxaudit/core/ingest"
	"github.com/cxaudit/cxaudit/core/plan"
	"github.com/cxaudit/cxaudit/core/report"
	"github.com/cxaudit/cxaudit/core/stats"
	"github.com/cxaudit/cxaudit/samples"
)

const usage = `cxaudit — customer-experience metrics with honest confidence intervals

usage:
  cxaudit analyze [--plan PLAN.json] [--format json|table|csv|md] [--confidence 0.95] FILE
  cxaudit detect FILE
  cxaudit sample survey|tickets|customers|events
  cxaudit plan-size --metric nps|proportion --margin POINTS [--confidence 0.95]

FILE is a CSV or Parquet file; "-" reads CSV from standard input.
`

// usageError is a mistake in the command line (exit status 2).
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run executes one command and returns the exit status. A panic anywhere
// below becomes a one-line internal error, never a stack trace.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "cxaudit: internal error: %v\n", r)
			code = 1
		}
	}()
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch args[0] {
	case "analyze":
		err = analyze(args[1:], stdin, stdout)
	case "detect":
		err = detectCmd(args[1:], stdin, stdout)
	case "sample":
		err = sample(args[1:], stdout)
	case "plan-size":
		err = planSize(args[1:], stdout)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		err = usageError{fmt.Sprintf("unknown command %q", args[0])}
	}
	var ue usageError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "cxaudit: %s\n\n%s", ue.msg, usage)
		return 2
	default:
		fmt.Fprintf(stderr, "cxaudit: %s\n", oneLine(err.Error()))
		return 1
	}
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// parseFlags parses a command's flags, turning flag errors into usage errors.
func parseFlags(fs *flag.FlagSet, args []string) error {
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	return nil
}

// openFile opens FILE ("-" = CSV on stdin) with reader options.
func openFile(name string, stdin io.Reader, opts ingest.Options) (ingest.Source, func(), error) {
	if name == "-" {
		opts.Name = "stdin"
		src, err := ingest.OpenCSV(stdin, opts)
		return src, func() {}, err
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: cannot open: %v", name, errors.Unwrap(err))
	}
	st, err := f.Stat()
	if err != nil || st.IsDir() {
		f.Close()
		return nil, nil, fmt.Errorf("%s: not a regular file", name)
	}
	opts.Name = name
	src, err := ingest.Open(name, f, st.Size(), opts)
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return src, func() { f.Close() }, nil
}

func analyze(args []string, stdin io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("analyze", flag.ContinueOnError)
	planPath := fs.String("plan", "", "plan JSON file (default: detect one)")
	format := fs.String("format", "json", "output format: json, table, csv or md")
	confidence := fs.Float64("confidence", 0, "confidence level, e.g. 0.9 (default: the plan's, else 0.95)")
	jobs := fs.Int("jobs", defaultJobs(), "read a FILE in up to this many parts at once (stdin is always one pass)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError{"analyze takes one FILE"}
	}
	if *jobs < 1 {
		return usageError{fmt.Sprintf("jobs %d is not a positive number", *jobs)}
	}
	switch *format {
	case "json", "table", "csv", "md":
	default:
		return usageError{fmt.Sprintf("unknown format %q (json, table, csv, md)", *format)}
	}
	if *confidence != 0 && !(*confidence > 0 && *confidence < 1) {
		return usageError{fmt.Sprintf("confidence %v is not between 0 and 1", *confidence)}
	}
	var user *plan.Plan
	if *planPath != "" {
		f, err := os.Open(*planPath)
		if err != nil {
			return fmt.Errorf("%s: cannot open plan: %v", *planPath, errors.Unwrap(err))
		}
		user, err = plan.Parse(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("%s: %v", *planPath, err)
		}
	}
	var doc report.Object
	var err error
	if name := fs.Arg(0); name != "-" {
		// A file: parts (one with -jobs 1) read only the columns the
		// settled plan needs; stdin is one streaming pass.

		doc, err = analyzeInParts(name, user, *confidence, *jobs)
	} else {
		src, done, oerr := openFile(name, stdin, engine.ReaderOptions("", user))
		if oerr != nil {
			return oerr
		}
		defer done()
		doc, err = engine.Run(src, user, *confidence, nil)
	}
	if err != nil {
		return err
	}
	var out []byte
	switch *format {
	case "json":
		out, err = report.JSON(doc)
	case "csv":
		out, err = report.CSV(doc)
	case "md":
		out = report.Markdown(doc)
	case "table":
		out = report.Table(doc)
	}
	if err != nil {
		return err
	}
	_, err = stdout.Write(out)
	return err
}

// defaultJobs is one part per core, at most 4: the parts of a file are
// merged into the one pass's document (core/engine/parts.go), so more
// cores only make it faster.
func defaultJobs() int { return min(runtime.NumCPU(), 4) }

// analyzeInParts analyses a file in up to jobs parts on as many cores.
func analyzeInParts(name string, user *plan.Plan, confidence float64, jobs int) (report.Object, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("%s: cannot open: %v", name, errors.Unwrap(err))
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || st.IsDir() {
		return nil, fmt.Errorf("%s: not a regular file", name)
	}
	return engine.RunParallel(f, st.Size(), name, user, confidence, jobs, nil)
}

func detectCmd(args []string, stdin io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("detect", flag.ContinueOnError)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError{"detect takes one FILE"}
	}
	src, done, err := openFile(fs.Arg(0), stdin, engine.ReaderOptions("", nil))
	if err != nil {
		return err
	}
	defer done()
	p, _, err := engine.Detect(src)
	if err != nil {
		return err
	}
	out, err := report.JSON(p)
	if err != nil {
		return err
	}
	_, err = stdout.Write(out)
	return err
}

func sample(args []string, stdout io.Writer) error {
	if len(args) != 1 {
		return usageError{fmt.Sprintf("sample takes one name: %s", strings.Join(samples.Names(), ", "))}
	}
	b, err := samples.Get(args[0])
	if err != nil {
		return usageError{err.Error()}
	}
	_, err = stdout.Write(b)
	return err
}

func planSize(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("plan-size", flag.ContinueOnError)
	metricName := fs.String("metric", "nps", "nps, or a proportion: proportion, csat, ces_agree, fcr, churn …")
	margin := fs.Float64("margin", 5, "target margin of error (half-width) in points: NPS points or percentage points")
	confidence := fs.Float64("confidence", 0.95, "confidence level")
	p := fs.Float64("p", 50, "proportion metrics: expected percentage (50 is the worst case)")
	promoters := fs.Float64("promoters", 50, "nps: expected % promoters")
	detractors := fs.Float64("detractors", 50, "nps: expected % detractors (50/50 is the worst case)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return usageError{"plan-size takes no FILE"}
	}
	if !(*margin > 0) || !(*confidence > 0 && *confidence < 1) {
		return usageError{"margin must be > 0 and confidence between 0 and 1"}
	}
	var n int
	var doc report.Object
	if *metricName == "nps" {
		if *promoters < 0 || *detractors < 0 || *promoters+*detractors > 100 {
			return usageError{"promoters + detractors must be between 0 and 100"}
		}
		n = stats.SampleSizeNPS(*margin/100, *promoters/100, *detractors/100, *confidence)
		doc = report.Object{"metric": "nps", "margin": *margin, "confidence": *confidence,
			"promoters_pct": *promoters, "detractors_pct": *detractors, "n": n,
			"method": "adjusted-Wald NPS margin (Rocks 2016; Lewis & Sauro, MeasuringU 2021)"}
	} else {
		if *p < 0 || *p > 100 {
			return usageError{"p must be a percentage between 0 and 100"}
		}
		n = stats.SampleSizeProportion(*margin/100, *p/100, *confidence)
		doc = report.Object{"metric": *metricName, "margin": *margin, "confidence": *confidence,
			"p_pct": *p, "n": n, "method": "normal-approximation margin z·√(p(1−p)/n) (Sauro & Lewis 2016)"}
	}
	out, err := report.JSON(doc)
	if err != nil {
		return err
	}
	_, err = stdout.Write(out)
	return err
}
