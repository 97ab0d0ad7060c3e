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
func JSON(doc any) ([]byte, error) {
	// Structs (source info, the plan) marshal in field order; a round trip
	// through maps sorts every key. json.Number keeps numbers as written.
	raw, err := json.Marshal(sanitize(doc))
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var tree any
	if err := dec.Decode(&tree); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(tree); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// sanitize replaces non-finite floats by nil, recursively.
func sanitize(v any) any {
	switch x := v.(type) {
	case float64:
		return Float(x)
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = sanitize(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = sanitize(e)
		}
		return out
	case []Object:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = sanitize(e)
		}
		return out
	}
	return v
}
