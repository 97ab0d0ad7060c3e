package server

import (
	"errors"
	"fmt"
	"io"
	"net/http"
)

// errTooLarge ends a body that ran over its limit. The core wraps read
// errors into its own messages, so the handler asks the limitedReader
// (over), not the error chain, whether this is what happened.
var errTooLarge = errors.New("request body too large")

// limitedReader reads at most max bytes of r; one more is an error. Bodies
// without a Content-Length (chunked) are measured this way as they stream,
// which is why the API never needs to answer 411 Length Required.
type limitedReader struct {
	r    io.Reader
	n    int64
	max  int64
	over bool
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.over {
		return 0, errTooLarge
	}
	if l.n >= l.max {
		// At the limit: the body is fine if it ends here.
		var one [1]byte
		n, err := l.r.Read(one[:])
		if n > 0 {
			l.over = true
			return 0, errTooLarge
		}
		return 0, err
	}
	if rest := l.max - l.n; int64(len(p)) > rest {
		p = p[:rest]
	}
	n, err := l.r.Read(p)
	l.n += int64(n)
	return n, err
}

func (l *limitedReader) tooLarge() *apiError {
	return &apiError{http.StatusRequestEntityTooLarge, "too_large",
		fmt.Sprintf("the request body is over the limit of %d bytes", l.max)}
}
