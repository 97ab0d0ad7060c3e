package detect

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/cxaudit/cxaudit/core/plan"
)

// gen builds a CSV document from a header and a row function, with a
// seeded generator so every run (and the golden file) is the same.
func gen(delim string, header []string, n int, row func(i int, r *rand.Rand) []string) string {
	r := rand.New(rand.NewPCG(7, 11))
	var b strings.Builder
	b.WriteString(strings.Join(quoteAll(header, delim), delim) + "\n")
	for i := 0; i < n; i++ {
		b.WriteString(strings.Join(quoteAll(row(i, r), delim), delim) + "\n")
	}
	return b.String()
}

func quoteAll(cells []string, delim string) []string {
	out := make([]string, len(cells))
	for i, c := range cells {
		if strings.ContainsAny(c, delim+"\"\n,") {
			c = `"` + strings.ReplaceAll(c, `"`, `""`) + `"`
		}
		out[i] = c
	}
	return out
}

func pick(r *rand.Rand, vals ...string) string { return vals[r.IntN(len(vals))] }

// stamp renders day d (0 = 2024-01-01) at a time of day, ISO spaced.
func stamp(d int, r *rand.Rand) string {
	y, m, day := civil(d)
	return fmt.Sprintf("%04d-%02d-%02d %02d:%02d:%02d", y, m, day, r.IntN(24), r.IntN(60), r.IntN(60))
}

// civil converts days since 2024-01-01 to a date (2024 is a leap year;
// the tests stay within 2023-2025).
func civil(d int) (int, int, int) {
	y := 2024
	for d < 0 {
		y--
		d += daysInYear(y)
	}
	for d >= daysInYear(y) {
		d -= daysInYear(y)
		y++
	}
	for m := 1; m <= 12; m++ {
		n := []int{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[m-1]
		if m == 2 && daysInYear(y) == 366 {
			n = 29
		}
		if d < n {
			return y, m, d + 1
		}
		d -= n
	}
	panic("unreachable")
}

func daysInYear(y int) int {
	if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
		return 366
	}
	return 365
}

type handmade struct {
	name   string
	csv    string
	delim  rune
	skip   int
	enc    string
	format string
	check  func(t *testing.T, p *plan.Plan)
}

var zendeskCSV = gen(",", []string{"Id", "Requester", "Requester id", "Assignee", "Group", "Subject", "Status", "Priority", "Via", "Ticket type",
	"Created at", "Updated at", "Assigned at", "Solved at", "Satisfaction Score", "Tags",
	"First reply time in minutes", "Full resolution time in minutes", "Replies", "Reopens"}, 120,
	func(i int, r *rand.Rand) []string {
		d := r.IntN(90)
		solved := ""
		status := "open"
		if r.IntN(10) > 0 {
			solved = stamp(d+r.IntN(4), r)
			status = pick(r, "solved", "closed")
		}
		return []string{fmt.Sprint(40000 + i), pick(r, "Anna Berg", "Joe Smith", "Li Wei", "Maria Garcia", "Tom Jones", "Sara Khan") + fmt.Sprint(" ", i%37),
			fmt.Sprint(9000000 + r.IntN(400)), pick(r, "Agent A", "Agent B", "Agent C"), pick(r, "Support", "Billing"),
			pick(r, "Cannot log in", "Refund for order ", "App crashes when I export a report") + fmt.Sprint(i), status,
			pick(r, "low", "normal", "normal", "high", "urgent"), pick(r, "Mail", "Web form", "Chat", "Phone call (incoming)"),
			pick(r, "question", "incident", "problem", "task"), stamp(d, r), stamp(d+5, r), stamp(d, r), solved,
			pick(r, "Good", "Bad", "Offered", "Unoffered"), pick(r, "vip billing", "mobile ios", "", "login sso web"),
			fmt.Sprint(r.IntN(900)), fmt.Sprint(r.IntN(9000)), fmt.Sprint(r.IntN(6)), fmt.Sprint(r.IntN(2))}
	})

var stripeCSV = gen(",", []string{"id", "Customer ID", "Customer Email", "Plan", "Product", "Status", "Created (UTC)", "Start (UTC)",
	"Trial Start (UTC)", "Trial End (UTC)", "Canceled At (UTC)", "Ended At (UTC)", "Cancel At Period End", "Quantity", "Interval",
	"Amount", "Currency", "acquisition_source (metadata)"}, 300,
	func(i int, r *rand.Rand) []string {
		d := -90 + r.IntN(200) // 2023-10-03 … 2024-04-18; the latest date is 2024-05-08
		trialStart, trialEnd := "", ""
		if r.IntN(2) == 0 {
			trialStart, trialEnd = stamp(d-14, r)[:16], stamp(d, r)[:16]
		}
		cancel, status := "", "active"
		if r.IntN(5) == 0 {
			cancel, status = stamp(min(d+20+r.IntN(60), 128), r)[:16], "canceled"
		}
		start := stamp(d, r)[:16]
		return []string{fmt.Sprintf("sub_%06dXyZ", i), fmt.Sprintf("cus_%06dAbC", i), fmt.Sprintf("user%d@example.com", i),
			pick(r, "Starter", "Team", "Business"), "Acme App", status, start, start, trialStart, trialEnd, cancel, cancel,
			pick(r, "false", "true"), "1", pick(r, "month", "year"), pick(r, "29.00", "99.00", "299.00"), "usd",
			pick(r, "google", "Referral", "referral", "linkedin", "word of mouth", "")}
	})

var germanCSV = gen(";", []string{"Antwort-Nr.", "Datum", "Kanal", "Empfehlung (0-10)", "Zufriedenheit", "Aufwand (1-7)", "Bewertung", "Umsatz", "Kommentar"}, 80,
	func(i int, r *rand.Rand) []string {
		d := r.IntN(60)
		_, m, day := civil(d)
		zuf := fmt.Sprint(1 + r.IntN(5))
		if i%17 == 3 {
			zuf = zuf + ",0" // "4,0" is 4 with a decimal comma
		}
		bew := fmt.Sprint(1 + r.IntN(10))
		if i%23 == 5 {
			bew = "7,5"
		}
		return []string{fmt.Sprint(1000 + i), fmt.Sprintf("%02d.%02d.2024 %02d:%02d", day, m, r.IntN(24), r.IntN(60)), pick(r, "E-Mail", "Telefon", "Filiale"),
			fmt.Sprint(r.IntN(11)), zuf, fmt.Sprint(1 + r.IntN(7)), bew, fmt.Sprintf("%d,%02d", r.IntN(500), r.IntN(100)),
			pick(r, "", "Sehr freundlich, danke!", "Wartezeit war zu lang", "Alles gut, gerne wieder")}
	})

var surveyMonkeyCSV = gen(",", []string{"Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address", "Email Address", "First Name", "Last Name", "Custom Data 1",
	"How likely is it that you would recommend Acme to a friend or colleague?", "Overall, how satisfied or dissatisfied are you with our support?",
	"How easy was it to get your issue resolved?", "Which plan are you on?", "What could we do better?"}, 61,
	func(i int, r *rand.Rand) []string {
		if i == 0 { // SurveyMonkey's second header row: the reader skips it (skip_rows_after_header 1)
			return []string{"", "", "", "", "", "", "", "", "", "Response", "Response", "Response", "Response", "Open-Ended Response"}
		}
		d := r.IntN(60)
		_, m, day := civil(d)
		when := fmt.Sprintf("%02d/%02d/2024 %02d:%02d:%02d %s", m, day, 1+r.IntN(12), r.IntN(60), r.IntN(60), pick(r, "AM", "PM"))
		return []string{fmt.Sprint(114000000000 + 7*i), "431234567", when, when, fmt.Sprintf("203.0.113.%d", i), "", "", "", "",
			fmt.Sprint(r.IntN(11)), fmt.Sprint(1 + r.IntN(5)), fmt.Sprint(1 + r.IntN(5)), pick(r, "Free", "Pro", "Enterprise"),
			pick(r, "", "Faster replies please", "Nothing, it is great", "Better docs for the API")}
	})

// slashedCSV is a survey whose dates are D/M/Y, M/D/Y or undecidable.
func slashedCSV(dayFirst, decidable bool) string {
	return gen(",", []string{"response_id", "date", "nps", "channel"}, 40, func(i int, r *rand.Rand) []string {
		day, month := 1+r.IntN(12), 1+r.IntN(12)
		if decidable && i%3 == 0 {
			day = 13 + r.IntN(15)
		}
		a, b := day, month
		if !dayFirst {
			a, b = month, day
		}
		return []string{fmt.Sprintf("r%03d", i), fmt.Sprintf("%02d/%02d/2024", a, b), fmt.Sprint(r.IntN(11)), pick(r, "email", "web")}
	})
}

const xss = `<img src=x onerror=alert(1)>`

var xssCSV = gen(",", []string{"respondent_id", xss, "nps", "channel"}, 30, func(i int, r *rand.Rand) []string {
	nps := fmt.Sprint(r.IntN(11))
	if i == 4 {
		nps = xss
	}
	return []string{fmt.Sprintf("r%d", i), pick(r, xss, "plain"), nps, pick(r, "email", xss)}
})

func TestHandmade(t *testing.T) {
	t.Parallel()
	tests := []handmade{
		{name: "zendesk_tickets", csv: zendeskCSV, check: func(t *testing.T, p *plan.Plan) {
			wantKind(t, p, plan.KindTickets)
			wantColumns(t, p, map[string]string{"id": "Id", "created_at": "Created at", "resolved_at": "Solved at", "replies": "Replies"})
			wantSegments(t, p, "Via", "Priority")
			for _, bad := range []string{"Subject", "Tags", "Requester", "Requester id", "First reply time in minutes"} {
				if slices.Contains(p.Segments, bad) || p.Detected[bad].Role != "" {
					t.Errorf("%q must not get a role or be a segment: %+v", bad, p.Detected[bad])
				}
			}
		}},
		{name: "stripe_customers", csv: stripeCSV, check: func(t *testing.T, p *plan.Plan) {
			wantKind(t, p, plan.KindCustomers)
			wantColumns(t, p, map[string]string{"id": "Customer ID", "trial_started_at": "Trial Start (UTC)", "subscribed_at": "Start (UTC)",
				"cancelled_at": "Canceled At (UTC)", "source": "acquisition_source (metadata)"})
			if !strings.EqualFold(p.ReferralValue, "referral") {
				t.Errorf("referral_value %q", p.ReferralValue)
			}
			// Latest date 2024-05-*: full months Feb–Apr straddle Q1/Q2,
			// so the quarter is Q1, the latest fully present.
			wantPeriods(t, p, "2024-Q1", "2024-02", "2024-03", "2024-04")
		}},
		{name: "german_semicolon", csv: germanCSV, delim: ';', enc: "windows-1252", check: func(t *testing.T, p *plan.Plan) {
			wantKind(t, p, plan.KindSurvey)
			wantColumns(t, p, map[string]string{"id": "Antwort-Nr.", "timestamp": "Datum"})
			wantMetric(t, p, "nps", plan.Metric{Column: "Empfehlung (0-10)"})
			wantMetric(t, p, "csat", plan.Metric{Column: "Zufriedenheit", Scale: []int{1, 5}, TopBox: []int{4, 5}})
			wantMetric(t, p, "ces", plan.Metric{Column: "Aufwand (1-7)", Scale: []int{1, 7}, AgreeMin: 5})
			wantMetric(t, p, "cx_rating", plan.Metric{Column: "Bewertung", Scale: []int{1, 10}})
			wantSegments(t, p, "Kanal")
			if p.CSV == nil || p.CSV.Delimiter != ";" || p.CSV.Encoding != "windows-1252" || p.CSV.Decimal != "," {
				t.Errorf("csv %+v, want ; windows-1252 decimal ,", p.CSV)
			}
			if p.TimestampFormats["Datum"] != plan.FormatDMY {
				t.Errorf("timestamp formats %v, want Datum dmy", p.TimestampFormats)
			}
			if slices.Contains(p.Segments, "Kommentar") {
				t.Error("comments are not a segment")
			}
		}},
		{name: "surveymonkey", csv: surveyMonkeyCSV, skip: 1, check: func(t *testing.T, p *plan.Plan) {
			wantKind(t, p, plan.KindSurvey)
			wantMetric(t, p, "nps", plan.Metric{Column: "How likely is it that you would recommend Acme to a friend or colleague?"})
			wantMetric(t, p, "csat", plan.Metric{Column: "Overall, how satisfied or dissatisfied are you with our support?", Scale: []int{1, 5}, TopBox: []int{4, 5}})
			wantMetric(t, p, "ces", plan.Metric{Column: "How easy was it to get your issue resolved?", Scale: []int{1, 5}, AgreeMin: 4})
			wantColumns(t, p, map[string]string{"id": "Respondent ID", "timestamp": "End Date"})
			wantSegments(t, p, "Which plan are you on?")
			if len(p.Segments) != 1 {
				t.Errorf("segments %v: bookkeeping and personal columns are not segments", p.Segments)
			}
			// 12-hour clock times are no accepted format: the column is
			// kept (the result will count them) but flagged.
			d := p.Detected["End Date"]
			if d.Confidence > 0.3 || !strings.Contains(d.Why, "bad_timestamp") {
				t.Errorf("End Date: %+v, want low confidence and a bad_timestamp warning", d)
			}
		}},
		{name: "dates_dmy", csv: slashedCSV(true, true), check: func(t *testing.T, p *plan.Plan) {
			wantColumns(t, p, map[string]string{"id": "response_id", "timestamp": "date"})
			if p.TimestampFormats["date"] != plan.FormatDMY {
				t.Errorf("timestamp formats %v, want date dmy", p.TimestampFormats)
			}
			if d := p.Detected["date"]; !strings.Contains(d.Why, "DD/MM/YYYY") || d.Confidence < 0.9 {
				t.Errorf("date: %+v", d)
			}
		}},
		{name: "dates_mdy", csv: slashedCSV(false, true), check: func(t *testing.T, p *plan.Plan) {
			if p.TimestampFormats["date"] != plan.FormatMDY {
				t.Errorf("timestamp formats %v, want date mdy", p.TimestampFormats)
			}
		}},
		{name: "dates_ambiguous", csv: slashedCSV(true, false), check: func(t *testing.T, p *plan.Plan) {
			wantColumns(t, p, map[string]string{"id": "response_id", "timestamp": "date"})
			if p.TimestampFormats != nil {
				t.Errorf("timestamp formats %v: ambiguous dates stay ISO only", p.TimestampFormats)
			}
			d := p.Detected["date"]
			for _, w := range []string{"no day above 12", "bad_timestamp", `"dmy" or "mdy"`} {
				if !strings.Contains(d.Why, w) {
					t.Errorf("why %q does not say %q", d.Why, w)
				}
			}
			if d.Confidence >= 0.9 {
				t.Errorf("confidence %v: the column will not parse as it is", d.Confidence)
			}
		}},
		{name: "html_in_header_and_cells", csv: xssCSV, check: func(t *testing.T, p *plan.Plan) {
			wantKind(t, p, plan.KindSurvey)
			wantMetric(t, p, "nps", plan.Metric{Column: "nps"})
			wantSegments(t, p, xss, "channel")
			if d := p.Detected[xss]; d.Role != "segment" || !strings.Contains(d.Why, `"<img src=x onerror=alert`) {
				t.Errorf("the header is text and is quoted as such: %+v", d)
			}
		}},
		{name: "parquet_events", csv: "user,ts,event\n" + strings.Repeat("u1,2024-01-02T10:00:00Z,login\nu2,2024-01-03T10:00:00Z,view\n", 10), format: "parquet", check: func(t *testing.T, p *plan.Plan) {
			wantKind(t, p, plan.KindEvents)
			wantColumns(t, p, map[string]string{"user_id": "user", "timestamp": "ts"})
			if p.CSV != nil {
				t.Errorf("a Parquet file has no csv options: %+v", p.CSV)
			}
		}},
		{name: "header_only", csv: "ticket_id,created_at,resolved_at,channel\n", check: func(t *testing.T, p *plan.Plan) {
			wantKind(t, p, plan.KindTickets)
			if d := p.Detected["created_at"]; d.Confidence > 0.45 || !strings.Contains(d.Why, "blank") {
				t.Errorf("created_at: %+v: a header alone is low confidence", d)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			delim := tt.delim
			if delim == 0 {
				delim = ','
			}
			s := readSample(t, []byte(tt.csv), delim, tt.skip, tt.enc)
			if tt.format != "" {
				s.Format, s.Info.Format, s.Info.Delimiter, s.Info.Encoding = tt.format, tt.format, "", ""
			}
			p, err := Detect(s)
			if err != nil {
				t.Fatal(err)
			}
			checkGolden(t, tt.name, p)
			tt.check(t, p)
			for col, d := range p.Detected {
				if !slices.Contains(s.Header, col) || d.Role == "" || d.Why == "" || d.Confidence <= 0 || d.Confidence > 1 {
					t.Errorf("bad detected entry %q: %+v", col, d)
				}
			}
			if err := clonePlan(p).Normalize(); err != nil {
				t.Errorf("detected plan does not normalize: %v", err)
			}
		})
	}
}

func TestNothingUsable(t *testing.T) {
	t.Parallel()
	s := readSample(t, []byte("foo,bar,notes\nalpha,x,hello there\nbeta,y,see you\ngamma,x,\n"), ',', 0, "")
	p, err := Detect(s)
	if err == nil {
		t.Fatalf("want an error, got a %s plan", p.Kind)
	}
	for _, w := range []string{"NPS 0–10", "CSAT", "CES", "Created at", "subscribed_at", "user_id", "ISO 8601", `"foo", "bar", "notes"`} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error does not mention %q:\n%v", w, err)
		}
	}
	if _, err := Detect(Sample{}); err == nil {
		t.Error("an empty sample must be an error")
	}
}

// TestValuesOnly: headers that say nothing; the scales alone decide.
func TestValuesOnly(t *testing.T) {
	t.Parallel()
	csv := gen(",", []string{"a", "b", "c", "d"}, 200, func(i int, r *rand.Rand) []string {
		return []string{fmt.Sprint(r.IntN(11)), fmt.Sprint(1 + r.IntN(5)), fmt.Sprint(1 + r.IntN(7)), fmt.Sprint(1 + r.IntN(10))}
	})
	p, err := Detect(readSample(t, []byte(csv), ',', 0, ""))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"nps": "a", "csat": "b", "ces": "c", "cx_rating": "d"}
	for m, col := range want {
		if p.Metrics[m].Column != col {
			t.Errorf("metric %s reads %q, want %q", m, p.Metrics[m].Column, col)
		}
		if c := p.Detected[col].Confidence; c < 0.55 || c > 0.8 {
			t.Errorf("%s: values-only confidence %v, want 0.55–0.8", col, c)
		}
	}
}

// TestConfidenceCalibration: name and values agreeing ≥ 0.9; values only
// 0.55–0.8; name only ≤ 0.45.
func TestConfidenceCalibration(t *testing.T) {
	t.Parallel()
	csv := gen(",", []string{"nps", "q7", "csat"}, 50, func(i int, r *rand.Rand) []string {
		return []string{fmt.Sprint(r.IntN(11)), fmt.Sprint(1 + r.IntN(7)), ""}
	})
	p, err := Detect(readSample(t, []byte(csv), ',', 0, ""))
	if err != nil {
		t.Fatal(err)
	}
	for col, want := range map[string][2]float64{"nps": {0.9, 1}, "q7": {0.55, 0.8}, "csat": {0, 0.45}} {
		c := p.Detected[col].Confidence
		if c < want[0] || c > want[1] {
			t.Errorf("%s: confidence %v, want %v", col, c, want)
		}
	}
}

func TestDetectKindForced(t *testing.T) {
	t.Parallel()
	data, _ := readTestdata("tickets_main.csv")
	s := readSample(t, data, ',', 0, "")
	p, err := DetectKind(s, plan.KindEvents)
	if err != nil {
		t.Fatal(err)
	}
	if p.Kind != plan.KindEvents || p.Columns["timestamp"] == "" {
		t.Errorf("forced events plan: %+v", p.Columns)
	}
	if _, err := DetectKind(s, "sales"); err == nil {
		t.Error("unknown kind must be an error")
	}
}

func wantKind(t *testing.T, p *plan.Plan, kind string) {
	t.Helper()
	if p.Kind != kind {
		t.Fatalf("kind %q, want %q (detected %s)", p.Kind, kind, mustJSON(p.Detected))
	}
}

func wantColumns(t *testing.T, p *plan.Plan, want map[string]string) {
	t.Helper()
	for role, col := range want {
		if p.Columns[role] != col {
			t.Errorf("role %s = %q, want %q", role, p.Columns[role], col)
		}
	}
}

func wantMetric(t *testing.T, p *plan.Plan, name string, want plan.Metric) {
	t.Helper()
	got, ok := p.Metrics[name]
	if !ok || got.Column != want.Column || !slices.Equal(got.Scale, want.Scale) || !slices.Equal(got.TopBox, want.TopBox) || got.AgreeMin != want.AgreeMin {
		t.Errorf("metric %s = %+v (present %v), want %+v", name, got, ok, want)
	}
}

func wantSegments(t *testing.T, p *plan.Plan, want ...string) {
	t.Helper()
	for _, s := range want {
		if !slices.Contains(p.Segments, s) {
			t.Errorf("segment %q missing from %q", s, p.Segments)
		}
	}
}

func wantPeriods(t *testing.T, p *plan.Plan, labels ...string) {
	t.Helper()
	var got []string
	for _, pp := range p.Periods {
		got = append(got, pp.Label)
	}
	if !slices.Equal(got, labels) {
		t.Errorf("periods %v, want %v", got, labels)
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestCSAT7Alone: a 7-point CSAT is "csat_7pt" only beside a 5-point one;
// alone it is "csat" with top box 6–7. A 1–5 CES agrees from 4.
func TestCSAT7Alone(t *testing.T) {
	t.Parallel()
	csv := gen(",", []string{"satisfaction", "effort"}, 60, func(i int, r *rand.Rand) []string {
		return []string{fmt.Sprint(1 + r.IntN(7)), fmt.Sprint(1 + r.IntN(5))}
	})
	p, err := Detect(readSample(t, []byte(csv), ',', 0, ""))
	if err != nil {
		t.Fatal(err)
	}
	wantMetric(t, p, "csat", plan.Metric{Column: "satisfaction", Scale: []int{1, 7}, TopBox: []int{6, 7}})
	wantMetric(t, p, "ces", plan.Metric{Column: "effort", Scale: []int{1, 5}, AgreeMin: 4})
	if _, ok := p.Metrics["csat_7pt"]; ok {
		t.Error("csat_7pt without a 5-point csat")
	}
}
