package report

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Row is one metric of a result document, flattened for tables.
type Row struct {
	Scope    string // "overall", "channel=email", "month=2024-01", "2024-Q1", "a vs b" …
	Metric   string // metric id (nps, csat_top_box, art_hours, mau, …)
	Value    any    // float64, int64, json.Number or nil
	Lo, Hi   any
	Method   string
	N        any
	Excluded string // "blank=3; non_numeric=2"
	PValue   any
	PHolm    any
	Note     string
}

// Rows flattens a result document into one Row per metric, in a stable
// order: overall first, then segments, months, periods, comparisons.
func Rows(doc Object) []Row {
	var rows []Row
	metricRows := func(scope string, set Object) {
		for _, id := range sortedKeys(set) {
			if m, ok := set[id].(Object); ok && isMetric(m) {
				rows = append(rows, metricRow(scope, id, m))
			}
		}
	}
	if o, ok := doc["overall"].(Object); ok {
		metricRows("overall", o)
	}
	if bs, ok := doc["by_segment"].(Object); ok {
		for _, col := range sortedKeys(bs) {
			vals, _ := bs[col].(Object)
			for _, v := range sortedKeys(vals) {
				if set, ok := vals[v].(Object); ok {
					metricRows(col+"="+v, set)
				}
			}
		}
	}
	if bm, ok := doc["by_month"].(Object); ok {
		for _, m := range sortedKeys(bm) {
			if set, ok := bm[m].(Object); ok {
				metricRows("month="+m, set)
			}
		}
	}
	for _, key := range []string{"volume_by_month", "backlog_at_month_end", "mau"} {
		if bm, ok := doc[key].(Object); ok {
			id := strings.TrimSuffix(strings.TrimSuffix(key, "_by_month"), "_at_month_end")
			for _, m := range sortedKeys(bm) {
				if o, ok := bm[m].(Object); ok {
					rows = append(rows, metricRow("month="+m, id, o))
				}
			}
		}
	}
	if ps, ok := doc["periods"].(Object); ok {
		for _, label := range sortedKeys(ps) {
			if set, ok := ps[label].(Object); ok {
				metricRows("period="+label, set)
			}
		}
	}
	if cs, ok := doc["comparisons"].([]Object); ok {
		for _, c := range cs {
			metricRows(fmt.Sprintf("%s: %v vs %v", c["by"], c["a"], c["b"]), c)
		}
	}
	return rows
}

func isMetric(m Object) bool {
	_, hasValue := m["value"]
	return hasValue
}

func sortedKeys(m Object) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func metricRow(scope, id string, m Object) Row {
	r := Row{Scope: scope, Metric: id, Value: m["value"], N: m["n"], PValue: m["p_value"], PHolm: m["p_value_holm"]}
	if r.N == nil && m["n_a"] != nil {
		r.N = fmt.Sprintf("%v/%v", m["n_a"], m["n_b"])
	}
	if ci, ok := m["ci"].(Object); ok {
		r.Lo, r.Hi = ci["lo"], ci["hi"]
		r.Method, _ = ci["method"].(string)
		if n, ok := ci["note"].(string); ok {
			r.Note = n
		}
	}
	if n, ok := m["note"].(string); ok {
		r.Note = n
	}
	if ex, ok := m["excluded"].(Object); ok {
		var parts []string
		for _, k := range sortedKeys(ex) {
			if fmt.Sprint(ex[k]) != "0" {
				parts = append(parts, fmt.Sprintf("%s=%v", k, ex[k]))
			}
		}
		r.Excluded = strings.Join(parts, "; ")
	}
	return r
}

// num formats a number for tables: up to 4 decimals, "" for null.
func num(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case float64:
		return strconv.FormatFloat(x, 'f', 4, 64)
	case int, int64:
		return fmt.Sprint(x)
	}
	return fmt.Sprint(v)
}

// numExact formats a number for CSV: full precision, "" for null.
func numExact(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	return fmt.Sprint(v)
}

// SafeCell escapes a CSV cell against formula injection (OWASP "CSV
// Injection"): a cell starting with = + - @ tab or CR is prefixed with a
// single quote so spreadsheet programs show it as text. Cells that are
// plain decimal numbers ("-12.5", "-1e-05") are left alone: they cannot
// run anything.
func SafeCell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		if plainNumber(s) {
			return s
		}
		return "'" + s
	}
	return s
}

// plainNumber reports whether s is a decimal number as a spreadsheet reads
// one: a sign, digits with at most one point, an optional exponent. (What
// else strconv.ParseFloat accepts — "-Inf", "+NaN", "-0x1p3", "-0x_1p0" —
// a spreadsheet would evaluate as a formula.)
func plainNumber(s string) bool {
	digit := func(i int) bool { return i < len(s) && s[i] >= '0' && s[i] <= '9' }
	sign := func(i int) int {
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			return i + 1
		}
		return i
	}
	i := sign(0)
	digits, point := 0, false
	for ; digit(i) || (i < len(s) && s[i] == '.' && !point); i++ {
		if s[i] == '.' {
			point = true
		} else {
			digits++
		}
	}
	if digits == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i = sign(i + 1)
		if !digit(i) {
			return false
		}
		for digit(i) {
			i++
		}
	}
	return i == len(s)
}

// CSVHeader is the header of the metrics CSV export.
var CSVHeader = []string{"scope", "metric", "value", "ci_lo", "ci_hi", "method", "n", "excluded", "p_value", "p_value_holm", "note"}

// CSV renders every metric of a document as CSV, one row per metric, with
// every text cell escaped against formula injection.
func CSV(doc Object) ([]byte, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write(CSVHeader)
	for _, r := range Rows(doc) {
		rec := []string{r.Scope, r.Metric, numExact(r.Value), numExact(r.Lo), numExact(r.Hi), r.Method, numExact(r.N), r.Excluded, numExact(r.PValue), numExact(r.PHolm), r.Note}
		for i := range rec {
			rec[i] = SafeCell(rec[i])
		}
		if err := w.Write(rec); err != nil {
			return nil, err
		}
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

// mdEscape makes text safe inside a Markdown table cell: pipes, HTML and
// Markdown markup characters are escaped so data renders as text (HTML
// special characters as entities, which every renderer shows literally).
func mdEscape(s string) string {
	var b strings.Builder
	for _, c := range s {
		switch c {
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		case '|', '\\', '`', '*', '_', '[', ']', '#', '!':
			b.WriteByte('\\')
			b.WriteRune(c)
		case '\n', '\r':
			b.WriteByte(' ')
		default:
			b.WriteRune(c)
		}
	}
	return b.String()
}

// Markdown renders a document as a Markdown report: one table of every
// metric with its interval, n and exclusions.
func Markdown(doc Object) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# cxaudit: %v\n\n", doc["kind"])
	fmt.Fprintf(&b, "Rows: %v · confidence: %v\n\n", doc["rows"], doc["confidence"])
	b.WriteString("| scope | metric | value | interval | method | n | excluded | p (Holm) | note |\n")
	b.WriteString("|---|---|---:|---|---|---:|---|---:|---|\n")
	for _, r := range Rows(doc) {
		iv := ""
		if r.Lo != nil || r.Hi != nil {
			iv = fmt.Sprintf("[%s, %s]", num(r.Lo), num(r.Hi))
		}
		p := ""
		if r.PValue != nil {
			p = fmt.Sprintf("%s (%s)", num(r.PValue), num(r.PHolm))
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
			mdEscape(r.Scope), mdEscape(r.Metric), num(r.Value), iv, mdEscape(r.Method), mdEscape(num(r.N)), mdEscape(r.Excluded), p, mdEscape(r.Note))
	}
	if ws, ok := doc["warnings"].([]string); ok && len(ws) > 0 {
		b.WriteString("\nWarnings:\n\n")
		for _, w := range ws {
			fmt.Fprintf(&b, "- %s\n", mdEscape(w))
		}
	}
	return b.Bytes()
}

// Table renders a document as aligned plain text for terminals.
func Table(doc Object) []byte {
	rows := [][]string{{"SCOPE", "METRIC", "VALUE", "CI", "N", "EXCLUDED"}}
	for _, r := range Rows(doc) {
		iv := ""
		if r.Lo != nil || r.Hi != nil {
			iv = fmt.Sprintf("[%s, %s]", num(r.Lo), num(r.Hi))
		}
		rows = append(rows, []string{r.Scope, r.Metric, num(r.Value), iv, num(r.N), r.Excluded})
	}
	width := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, c := range r {
			width[i] = max(width[i], len([]rune(c)))
		}
	}
	var b bytes.Buffer
	for _, r := range rows {
		for i, c := range r {
			if i == len(r)-1 {
				b.WriteString(c)
				break
			}
			b.WriteString(c)
			b.WriteString(strings.Repeat(" ", width[i]-len([]rune(c))+2))
		}
		b.WriteByte('\n')
	}
	return b.Bytes()
}
