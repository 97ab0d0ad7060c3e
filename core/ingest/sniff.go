package ingest

import (
	"fmt"
	"strings"

	"github.com/cxaudit/cxaudit/core/cell"
)

// SniffBytes is how much of the start of a file the CSV reader looks at to
// decide its encoding and delimiter.
const SniffBytes = 64 << 10

// sniffRecords is how many records the delimiter sniffer compares.
const sniffRecords = 100

// delimiters are the candidates for sniffing, in order of preference when
// they tie.
var delimiters = [...]byte{',', ';', '\t', '|'}

// sniffDelimiter chooses the delimiter of a CSV file from the start of its
// (UTF-8) text.
//
// Rule: for each candidate (, ; tab |) the text is split into records with
// that candidate, honouring quotes exactly as the reader does, over at most
// sniffRecords records of the first SniffBytes (a record cut off at the end
// of the sample is left out unless it is the only one). A candidate is
// eligible when the header (first record) has at least two fields with it.
// Among eligible candidates the winner is the one for which the largest
// share of the following records has as many fields as the header (the most
// consistent non-zero count); ties go to the larger header field count,
// then to the order above. With no eligible candidate the file has a single
// column and the delimiter is ','.
//
// The header is the reference because it defines the columns: a comma file
// with free-text answers has a varying number of ';' per row, a European
// ';' file with decimal commas has none in its header.
func sniffDelimiter(text []byte, atEOF bool) byte {
	best := byte(',')
	bestScore, bestFields := -1.0, 0
	for _, d := range delimiters {
		counts := fieldCounts(text, d, sniffRecords, atEOF)
		if len(counts) == 0 || counts[0] < 2 {
			continue
		}
		score := 1.0
		if len(counts) > 1 {
			match := 0
			for _, c := range counts[1:] {
				if c == counts[0] {
					match++
				}
			}
			score = float64(match) / float64(len(counts)-1)
		}
		if score > bestScore || score == bestScore && counts[0] > bestFields {
			best, bestScore, bestFields = d, score, counts[0]
		}
	}
	return best
}

// fieldCounts returns the number of fields of each of the first max records
// of text split with delimiter d, by the reader's quoting rules (a quote
// opens a quoted field only at the start of a field; "" inside is a quote).
// Empty lines are skipped as the reader skips them.
func fieldCounts(text []byte, d byte, max int, atEOF bool) []int {
	var special [256]bool // the bytes that change the state
	special[d], special['"'], special['\n'], special['\r'] = true, true, true, true
	var counts []int
	i, n := 0, len(text)
	for len(counts) < max && i < n {
		if c := text[i]; c == '\n' || c == '\r' {
			i++
			continue
		}
		fields, start, complete := 1, true, false
	record:
		for i < n {
			c := text[i]
			if !special[c] {
				// Ordinary bytes: skip the run.
				for i++; i < n && !special[text[i]]; i++ {
				}
				start = false
				continue
			}
			switch {
			case c == '"' && start:
				// A quoted field: to the closing quote ("" is a quote).
				for i++; i < n; i++ {
					if text[i] == '"' {
						if i+1 < n && text[i+1] == '"' {
							i++
							continue
						}
						break
					}
				}
				start = false
			case c == d:
				fields++
				start = true
			case c == '\n' || c == '\r':
				complete = true
				i++
				break record
			default: // a quote inside a field is literal
				start = false
			}
			i++
		}
		if !complete && !atEOF && len(counts) > 0 {
			break
		}
		counts = append(counts, fields)
	}
	return counts
}

// Extra header rows are recognised for the two survey tools whose exports
// have them; anything else is data. The rules must never skip a data row,
// so each needs a signal no data row has:
//
//   - Qualtrics: row 2 is the question text and row 3 holds the ImportId of
//     each column as JSON ({"ImportId":"QID1"}). When more than half of the
//     non-blank cells of row 3 start with {"ImportId": the file skips 2.
//   - SurveyMonkey: a question with several answer columns has its text in
//     the first of them and blank names above the others, and row 2 holds
//     the sub-labels ("Response", "Open-Ended Response", the option texts).
//     When the header has a blank or duplicate name, row 2 has a cell that
//     is "Response" or "Open-Ended Response" (trimmed, any case), its first
//     cell is blank (the sub-label of "Respondent ID"; a data row has an
//     id there) and none of its cells is a number (every data row has
//     numeric ids and ratings), the file skips 1.

// importIDPrefix starts the cells of Qualtrics' third header row.
const importIDPrefix = `{"ImportId":`

// detectSkipRows returns the number of extra header rows (0, 1 or 2) given
// the raw header names and the next two records (nil when missing), with a
// short name of the layout recognised ("" for none).
func detectSkipRows(rawHeader []string, row2, row3 []string) (int, string) {
	if row3 != nil {
		ids, nonBlank := 0, 0
		for _, c := range row3 {
			c = strings.TrimSpace(c)
			if c == "" {
				continue
			}
			nonBlank++
			if strings.HasPrefix(c, importIDPrefix) {
				ids++
			}
		}
		if ids > 0 && 2*ids > nonBlank {
			return 2, "Qualtrics"
		}
	}
	if len(row2) > 0 && strings.TrimSpace(row2[0]) == "" && hasBlankOrDuplicate(rawHeader) {
		label := false
		for _, c := range row2 {
			c = strings.TrimSpace(c)
			if strings.EqualFold(c, "Response") || strings.EqualFold(c, "Open-Ended Response") {
				label = true
			}
			if isNumber(c) {
				return 0, ""
			}
		}
		if label {
			return 1, "SurveyMonkey"
		}
	}
	return 0, ""
}

// isNumber reports whether a trimmed cell is an integer or decimal number
// by the rules of metrics.md §1 (what the scale parsers accept as numeric).
func isNumber(s string) bool {
	_, r := cell.Integer([]byte(s), false)
	return r == cell.OK || r == cell.NonInteger || r == cell.OutOfRange
}

func hasBlankOrDuplicate(names []string) bool {
	seen := make(map[string]bool, len(names))
	for _, n := range names {
		n = cleanName(n)
		if n == "" || seen[n] {
			return true
		}
		seen[n] = true
	}
	return false
}

// cleanName is a header cell as a column name: without a stray byte order
// mark and surrounding white space.
func cleanName(s string) string {
	return strings.TrimSpace(strings.TrimPrefix(s, "\uFEFF"))
}

// maxRenameWarnings bounds the renaming warnings: a SurveyMonkey export
// can have hundreds of blank names, and one line each would bury the other
// warnings.
const maxRenameWarnings = 20

// columnNames turns header cells into unique column names. A blank name
// becomes "column_N" (N its 1-based position); a name already taken gets
// " (2)", " (3)", … — the first free one, also avoiding every name the
// header itself has, so a rename never collides with a later column. Each
// rename is reported.
func columnNames(raw []string) (names []string, warnings []string) {
	names = make([]string, len(raw))
	taken := make(map[string]bool, len(raw))
	for _, r := range raw {
		if n := cleanName(r); n != "" {
			taken[n] = true
		}
	}
	used := make(map[string]bool, len(raw))
	next := make(map[string]int) // next suffix to try per name, so that n copies cost O(n)
	renamed := 0
	for i, r := range raw {
		base := cleanName(r)
		name := base
		why := ""
		if base == "" {
			name = fmt.Sprintf("column_%d", i+1)
			why = fmt.Sprintf("column %d has no name; named %q", i+1, name)
		}
		if used[name] || (why != "" && taken[name]) {
			orig := name
			k := max(next[orig], 2)
			for ; ; k++ {
				name = fmt.Sprintf("%s (%d)", orig, k)
				if !used[name] && !taken[name] {
					break
				}
			}
			next[orig] = k + 1
			if why == "" {
				why = fmt.Sprintf("column %d: duplicate name %q renamed %q", i+1, base, name)
			} else {
				why = fmt.Sprintf("column %d has no name; named %q", i+1, name)
			}
		}
		used[name] = true
		names[i] = name
		if why != "" {
			renamed++
			if renamed <= maxRenameWarnings {
				warnings = append(warnings, "header: "+why)
			}
		}
	}
	if renamed > maxRenameWarnings {
		warnings = append(warnings, fmt.Sprintf("header: %d more columns renamed", renamed-maxRenameWarnings))
	}
	return names, warnings
}
