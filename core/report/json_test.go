package report

import (
	"bytes"
	"encoding/json"
	"math"
	"testing"
)

type jsonStruct struct {
	Zeta  string            `json:"zeta"`
	Alpha float32           `json:"alpha"`
	Inner map[string]int64  `json:"inner,omitempty"`
	Tags  []string          `json:"tags"`
	Ptr   *jsonStruct       `json:"ptr,omitempty"`
	Raw   map[string]string `json:"raw"`
}

// tricky holds what a document can hold from a user's file: HTML, control
// characters, U+2028, invalid UTF-8 in values and in keys (two that become
// the same key once repaired), non-finite and extreme floats, numbers of
// every type, structs whose fields are out of order, typed slices.
func tricky() Object {
	return Object{
		"html": "<b>&amp;</b> '\"", "ctl": "a\x00b\x1fc\td\n", "ls": "x\u2028y\u2029",
		"bad": "ok\xffno\xfe\xfd", "\xff": 1, "\xfe": 2, "a\xc3": "cut", "a\ufffd": "repaired",
		"nan": math.NaN(), "inf": math.Inf(-1), "tiny": 5e-324, "big": 1e21, "neg0": math.Copysign(0, -1),
		"frac": 0.1 + 0.2, "int": 7, "int64": int64(-1 << 62), "num": json.Number("12.50"), "t": true, "nil": nil,
		"u8": uint8(255), "f32": float32(0.1), "floats": []float64{1.5, 2}, "strs": []string{"é", "\xff"},
		"list": []any{1.0, "two", math.Inf(1), Object{"k": math.NaN()}, []any{}, nil},
		"objs": []Object{{"b": 1.0, "a": "x\xff"}, {}}, "none": []Object(nil), "empty": Object{},
		"struct": jsonStruct{Zeta: "z<", Alpha: 0.25, Inner: map[string]int64{"b": 2, "a": 1}, Tags: nil,
			Ptr: &jsonStruct{Zeta: "\xff", Raw: map[string]string{"\xfe": "v"}}},
		"nested": Object{"deeper": Object{"deepest": []any{Object{"\xff\xfe": math.NaN()}}}},
	}
}

// TestJSONEqualsRoundTrip: JSON gives the round trip's bytes.
func TestJSONEqualsRoundTrip(t *testing.T) {
	for _, doc := range []any{tricky(), Object{}, []Object{tricky(), {"x": 1.0}}, "just a string\xff", 3.5, nil} {
		want, werr := RoundTripJSON(doc)
		got, gerr := JSON(doc)
		if (werr == nil) != (gerr == nil) || !bytes.Equal(got, want) {
			t.Fatalf("JSON:\n%s (%v)\nround trip:\n%s (%v)", got, gerr, want, werr)
		}
	}
	// What the round trip refuses, JSON refuses.
	if _, err := JSON(Object{"x": []float64{math.NaN()}}); err == nil {
		t.Error("a NaN inside a []float64 accepted")
	}
}

// FuzzJSON: documents whose keys and strings come from the fuzzer.
func FuzzJSON(f *testing.F) {
	f.Add("a", "b", "<&>", 1.5)
	f.Add("\xff", "\xfe", "\xc3", math.Inf(1))
	f.Fuzz(func(t *testing.T, k1, k2, s string, x float64) {
		doc := Object{k1: s, k2: Object{s: x, k1: []any{s, x}}, "s": jsonStruct{Zeta: s, Raw: map[string]string{k1: k2}}, "l": []Object{{k2: k1}}}
		want, werr := RoundTripJSON(doc)
		got, gerr := JSON(doc)
		if (werr == nil) != (gerr == nil) || !bytes.Equal(got, want) {
			t.Fatalf("JSON:\n%s (%v)\nround trip:\n%s (%v)", got, gerr, want, werr)
		}
	})
}

// TestJSONStrings: every one- and two-byte string, and U+2028/U+2029 in
// context, are written as the round trip writes them.
func TestJSONStrings(t *testing.T) {
	var strs []string
	for a := range 256 {
		strs = append(strs, string([]byte{byte(a)}))
		for _, b := range []byte{0, 'x', '"', 0x7f, 0x80, 0xbf, 0xc3, 0xe2, 0xff} {
			strs = append(strs, string([]byte{byte(a), b}))
		}
	}
	strs = append(strs, "a\u2028b\u2029c", "\xe2\x80", "\xe2\x80\xa8\xff", "é\u007f\u0085")
	for _, s := range strs {
		doc := Object{s: s}
		want, werr := RoundTripJSON(doc)
		got, gerr := JSON(doc)
		if werr != nil || gerr != nil || !bytes.Equal(got, want) {
			t.Fatalf("%q: JSON %q (%v), round trip %q (%v)", s, got, gerr, want, werr)
		}
	}
}
