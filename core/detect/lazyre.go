package detect

import (
	"regexp"
	"sync"
)

// lazyRE is a regular expression compiled on first use. Detection has some
// twenty name patterns; compiling them at package init cost 4 ms and
// 1.6 MB natively (GODEBUG=inittrace=1) and more under wasm, paid by every
// program start — and the Worker host starts the Go program for every
// request, most of which never detect anything.
type lazyRE struct {
	expr string
	once sync.Once
	re   *regexp.Regexp
}

// allPatterns lists every lazy pattern, so a test can compile them all.
var allPatterns []*lazyRE

// lazyRegexp returns a lazily compiled regexp. A bad expression panics at
// first use; TestPatternsCompile compiles every one.
func lazyRegexp(expr string) *lazyRE {
	l := &lazyRE{expr: expr}
	allPatterns = append(allPatterns, l)
	return l
}

func (l *lazyRE) get() *regexp.Regexp {
	l.once.Do(func() { l.re = regexp.MustCompile(l.expr) })
	return l.re
}

func (l *lazyRE) MatchString(s string) bool { return l.get().MatchString(s) }

func (l *lazyRE) FindStringSubmatch(s string) []string { return l.get().FindStringSubmatch(s) }

func (l *lazyRE) FindAllStringSubmatch(s string, n int) [][]string {
	return l.get().FindAllStringSubmatch(s, n)
}
