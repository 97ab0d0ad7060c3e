package detect

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode"
)

// shapeByRunes is textShape the plain way: strings.Fields, ContainsAny,
// and a range over the runes with unicode.IsSpace and unicode.IsDigit,
// as detection computed it before shapeOf.
func shapeByRunes(v string) textShape {
	t := textShape{words: len(strings.Fields(v)), lines: strings.ContainsAny(v, "\n\r")}
	for _, r := range v {
		t.space = t.space || unicode.IsSpace(r)
		t.digit = t.digit || r == '@' || unicode.IsDigit(r)
		if r >= '0' && r <= '9' {
			t.asciiDigits++
		}
	}
	return t
}

// TestShapeOf: shapeOf equals shapeByRunes on every byte alone, on the
// Unicode spaces and digits next to text, on invalid UTF-8, and on
// 100 000 random strings of those pieces.
func TestShapeOf(t *testing.T) {
	var cases []string
	for b := range 256 {
		cases = append(cases, string([]byte{byte(b)}), "a"+string([]byte{byte(b)})+"b")
	}
	pieces := []string{"", " ", "\t", "\n", "\r\n", "\v", "\f", "\u0085", "\u00a0", "\u2003", "\u3000", "\u200b", "\x1c",
		"7", "٣", "\uff11", "@", "a", "é", "日本", "\xff", "\xe2\x80", "r-123", "x@y.z", "2024-01-31", "great support"}
	cases = append(cases, pieces...)
	r := rand.New(rand.NewPCG(7, 8))
	for range 100_000 {
		var b strings.Builder
		for range r.IntN(8) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		cases = append(cases, b.String())
	}
	for _, v := range cases {
		if got, want := shapeOf(v), shapeByRunes(v); got != want {
			t.Fatalf("%q: %+v, want %+v", v, got, want)
		}
	}
}

func FuzzShapeOf(f *testing.F) {
	f.Add("r-123 x@y.z\n\u00a0٣")
	f.Fuzz(func(t *testing.T, v string) {
		if got, want := shapeOf(v), shapeByRunes(v); got != want {
			t.Fatalf("%q: %+v, want %+v", v, got, want)
		}
	})
}
