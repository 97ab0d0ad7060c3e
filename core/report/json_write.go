package report

import (
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"unicode/utf8"
)

// jsonWriter writes a document as JSON, byte for byte as encoding/json's
// Encoder (SetEscapeHTML(false), SetIndent("", "  ")) writes plain(doc):
// the document's own maps, slices, strings and numbers are written as
// they are walked — no copy of the tree, no reflection, keys sorted once —
// and anything else (the plan, the source info: structs) is turned into
// a tree by plain's round trip first. Encoding the copied tree was most of
// JSON's time (24 ms of a 1M-row survey's finish under wasm).
type jsonWriter struct {
	b []byte
}

func (w *jsonWriter) value(v any, depth int) error {
	switch x := v.(type) {
	case nil:
		w.b = append(w.b, "null"...)
	case bool:
		w.b = strconv.AppendBool(w.b, x)
	case int:
		w.b = strconv.AppendInt(w.b, int64(x), 10)
	case int64:
		w.b = strconv.AppendInt(w.b, x, 10)
	case float64:
		w.float(x)
	case string:
		w.str(x)
	case map[string]any:
		return w.object(x, depth)
	case []any:
		return writeArray(w, x, depth)
	case []Object:
		return writeArray(w, x, depth)
	case json.Number:
		// Rare (the numbers of round-tripped values): encoding/json
		// checks and writes it.
		raw, err := json.Marshal(x)
		if err != nil {
			return err
		}
		w.b = append(w.b, raw...)
	default:
		tree, err := plain(v)
		if err != nil {
			return err
		}
		return w.value(tree, depth)
	}
	return nil
}

// float is encoding/json's float64 form: the shortest decimal that round
// trips, 'f' unless the magnitude is below 1e-6 or at least 1e21, exponents
// without a leading zero; NaN and ±Inf are null (Float).
func (w *jsonWriter) float(f float64) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		w.b = append(w.b, "null"...)
		return
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	w.b = strconv.AppendFloat(w.b, f, format, -1, 64)
	if format == 'e' {
		// e-09 → e-9
		if n := len(w.b); n >= 4 && w.b[n-4] == 'e' && w.b[n-3] == '-' && w.b[n-2] == '0' {
			w.b[n-2] = w.b[n-1]
			w.b = w.b[:n-1]
		}
	}
}

// str writes s as encoding/json does without HTML escaping, after plain's
// repair: each byte that is not part of valid UTF-8 becomes U+FFFD
// (written as is), the short escapes \b \f \n \r \t, \u00XX for the other
// control bytes, and U+2028, U+2029 escaped.
func (w *jsonWriter) str(s string) {
	const hex = "0123456789abcdef"
	b := append(w.b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = utf8.AppendRune(b, utf8.RuneError)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	w.b = append(b, '"')
}

// newline starts a line indented for depth.
func (w *jsonWriter) newline(depth int) {
	w.b = append(w.b, '\n')
	for range depth {
		w.b = append(w.b, ' ', ' ')
	}
}

// object writes m with its keys sorted. Keys are repaired as plain
// repairs them: keys that become equal keep the value of the last in
// byte order of the original keys.
func (w *jsonWriter) object(m map[string]any, depth int) error {
	if len(m) == 0 {
		w.b = append(w.b, "{}"...)
		return nil
	}
	keys := make([]string, 0, len(m))
	valid := true
	for k := range m {
		keys = append(keys, k)
		valid = valid && utf8.ValidString(k)
	}
	slices.Sort(keys)
	vals := m
	if !valid {
		vals = make(map[string]any, len(m))
		for _, k := range keys {
			vals[validUTF8(k)] = m[k]
		}
		keys = keys[:0]
		for k := range vals {
			keys = append(keys, k)
		}
		slices.Sort(keys)
	}
	w.b = append(w.b, '{')
	for i, k := range keys {
		if i > 0 {
			w.b = append(w.b, ',')
		}
		w.newline(depth + 1)
		w.str(k)
		w.b = append(w.b, ':', ' ')
		if err := w.value(vals[k], depth+1); err != nil {
			return err
		}
	}
	w.newline(depth)
	w.b = append(w.b, '}')
	return nil
}

// writeArray writes a slice of the document (nil as [], as plain makes it).
func writeArray[T any](w *jsonWriter, x []T, depth int) error {
	if len(x) == 0 {
		w.b = append(w.b, "[]"...)
		return nil
	}
	w.b = append(w.b, '[')
	for i, e := range x {
		if i > 0 {
			w.b = append(w.b, ',')
		}
		w.newline(depth + 1)
		if err := w.value(e, depth+1); err != nil {
			return err
		}
	}
	w.newline(depth)
	w.b = append(w.b, ']')
	return nil
}
