// Package report builds and renders the result document
// (../shared/docs/result-schema.md): deterministic JSON, plus CSV and
// Markdown renderings of every metric.
//
// The document is a tree of Objects (JSON objects). Keys are sorted when
// rendered, floats use Go's shortest round-trip form, and a float that is
// NaN or infinite is written as null, so the same input and plan give the
// same bytes on every host.
package report

import (
	"bytes"
	"encoding/json"
	"math"
	"slices"
	"strings"
	"unicode/utf8"
)

// Object is one JSON object of the result document.
type Object = map[string]any

// Float returns v for the document, or nil (JSON null) when v is NaN or ±Inf.
func Float(v float64) any {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return v
}

// JSON renders a document with sorted keys and two-space indentation,
// ending in a newline. NaN and ±Inf floats anywhere become null.
//
// The bytes are those of a round trip through encoding/json (marshal,
// decode into maps with json.Number, encode without HTML escaping: what
// sorts the keys of structs too), which this function used to do for the
// whole document; now only values other than the document's own maps,
// slices, strings and numbers (the plan, the source info) take it, and
// the rest is written as it is walked (jsonWriter). A 1M-row survey's
// document rendered in 6 ms natively and 26 ms in wasm with the round
// trip, 4 ms and 24 ms encoding a copy of the tree. TestJSONEqualsRoundTrip
// checks it against the round trip.
func JSON(doc any) ([]byte, error) {
	w := jsonWriter{b: make([]byte, 0, 64<<10)}
	if err := w.value(doc, 0); err != nil {
		return nil, err
	}
	return append(w.b, '\n'), nil
}

// plain returns v as the round trip would leave it, ready to encode:
// non-finite floats nil, strings valid UTF-8 (each invalid byte U+FFFD, as
// encoding/json writes it), map keys likewise — keys that become equal
// keep the value of the last in byte order, as decoding the marshalled
// object would — and any other type through the round trip itself.
func plain(v any) (any, error) {
	switch x := v.(type) {
	case nil, bool, int, int64, json.Number:
		return v, nil
	case float64:
		return Float(x), nil
	case string:
		return validUTF8(x), nil
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		out := make(map[string]any, len(x))
		for _, k := range keys {
			e, err := plain(x[k])
			if err != nil {
				return nil, err
			}
			out[validUTF8(k)] = e
		}
		return out, nil
	case []any:
		return plainEach(x)
	case []Object:
		return plainEach(x)
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var tree any
	if err := dec.Decode(&tree); err != nil {
		return nil, err
	}
	return tree, nil
}

// plainEach is plain of each element, as a []any.
func plainEach[T any](x []T) (any, error) {
	out := make([]any, len(x))
	for i, e := range x {
		p, err := plain(e)
		if err != nil {
			return nil, err
		}
		out[i] = p
	}
	return out, nil
}

// validUTF8 replaces each byte of s that is not part of valid UTF-8 by
// U+FFFD, as encoding/json does when it writes s.
func validUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b.WriteRune(utf8.RuneError)
		} else {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}
