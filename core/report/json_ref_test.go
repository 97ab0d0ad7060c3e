package report

import (
	"bytes"
	"encoding/json"
)

// RoundTripJSON is JSON as it was written before plain: the whole
// document marshalled, decoded into maps with json.Number, encoded again
// without HTML escaping. Kept as the reference JSON must equal byte for
// byte (TestJSONEqualsRoundTrip, FuzzJSON, and the oracle documents in
// json_oracle_test.go).
func RoundTripJSON(doc any) ([]byte, error) {
	raw, err := json.Marshal(sanitizeRef(doc))
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

// sanitizeRef replaces non-finite floats by nil, recursively (the
// reference's own copy).
func sanitizeRef(v any) any {
	switch x := v.(type) {
	case float64:
		return Float(x)
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = sanitizeRef(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = sanitizeRef(e)
		}
		return out
	case []Object:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = sanitizeRef(e)
		}
		return out
	}
	return v
}
