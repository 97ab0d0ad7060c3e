package detect

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// normalize turns a header into lower-case words joined by "_", so that
// one pattern covers the spellings vendors use for the same thing:
// "Created at", "created_at", "CreatedAt", "Created (UTC)" all become
// "created_at" or "created_utc". camelCase and ACRONYMWord boundaries are
// split ("ResponseId" → "response_id", "IPAddress" → "ip_address"), "#"
// reads as "num" ("Ticket #" → "ticket_num"), and a UTF-8 BOM left on the
// first header is ignored.
func normalize(h string) string {
	h = strings.TrimPrefix(h, "\ufeff")
	rs := []rune(h)
	var b strings.Builder
	b.Grow(len(h) + 8)
	sep := func() {
		if b.Len() > 0 && !strings.HasSuffix(b.String(), "_") {
			b.WriteByte('_')
		}
	}
	for i, r := range rs {
		switch {
		case r == '#':
			sep()
			b.WriteString("num")
			sep()
		case unicode.IsUpper(r):
			if i > 0 {
				prev := rs[i-1]
				nextLower := i+1 < len(rs) && unicode.IsLower(rs[i+1])
				if unicode.IsLower(prev) || (unicode.IsUpper(prev) && nextLower) {
					sep()
				}
			}
			b.WriteRune(unicode.ToLower(r))
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
		default:
			sep()
		}
	}
	return strings.Trim(b.String(), "_")
}

// core strips decorations that say nothing about a column's role: a time
// zone suffix ("Canceled At (UTC)") and Stripe's "(metadata)" marker.
func core(norm string) string {
	for _, suf := range []string{"_utc", "_gmt", "_metadata", "_local_time", "_local"} {
		if s, ok := strings.CutSuffix(norm, suf); ok && s != "" {
			return s
		}
	}
	return norm
}

// pattern is one way of naming a role. Weight is 1 for a name that says
// exactly this role, lower for a name that merely hints at it; patterns
// earlier in a list are preferred over later ones with the same weight
// ("RecordedDate" over "StartDate" for a survey timestamp).
type pattern struct {
	re     *lazyRE
	weight float64
	label  string // how the why sentence names the match
}

func pat(weight float64, label, expr string) pattern {
	return pattern{re: lazyRegexp(expr), weight: weight, label: label}
}

// nameMatch is the best pattern a header matches.
type nameMatch struct {
	weight float64 // 0: no match
	rank   int     // index of the pattern in its list (lower is preferred)
	label  string
}

// matchName returns the first pattern (in list order) of the highest
// weight that the core name matches.
func matchName(coreName string, pats []pattern) nameMatch {
	best := nameMatch{}
	for i, p := range pats {
		if p.weight > best.weight && p.re.MatchString(coreName) {
			best = nameMatch{weight: p.weight, rank: i, label: p.label}
		}
	}
	return best
}

// Date suffix of a timestamp name: "created_at", "created_on",
// "created_date", "created_time", …
const dateSuffix = `(_?(at|on|date|time|datetime|timestamp|ts|dt|am|datum))?`

// Metric name patterns. Short tokens (nps, ltr, ces, cx) must be whole
// words; distinctive stems (satisf, recommend, empfehl, zufrieden) may sit
// inside a compound ("Kundenzufriedenheit", "Weiterempfehlung").
var (
	npsNames = []pattern{
		pat(1, "Net Promoter Score", `(^|_)(e?nps|net_promoter\pL*|promoter_score)(_|$)`),
		pat(1, "likelihood to recommend", `(^|_)(ltr|likelihood_to_recommend|likely_to_recommend|how_likely)(_|$)|recommend|recomend|recommand|raccomand|empfehl|empfiehl|aanbevel|rekommend|polecen|indicar`),
	}
	csatNames = []pattern{
		pat(1, "customer satisfaction", `(^|_)(csat|c_sat)|satisf|zufrieden|soddisf|tevreden|n[oö]jd|tilfreds|zadowol|satisfa`),
	}
	cesNames = []pattern{
		pat(1, "customer effort", `(^|_)(ces|c_e_s)(_|$)|effort|aufwand|esfuerzo|(^|_)(easy|ease|easily|einfach|leicht|m[uü]he|f[aá]cil\pL*|facilit\pL*)(_|$)`),
	}
	cxNames = []pattern{
		pat(1, "an experience rating", `(^|_)(cx|cx_rating|cx_score|experience_rating|overall_rating|rating|ratings|rate|stars?|bewertung|note|valoraci\pL*|puntuaci\pL*|beoordeling)(_|$)`),
		pat(0.6, "a generic score or experience question", `(^|_)(score|overall|experience|erfahrung|erlebnis|gesamt|punkte|points)(_|$)`),
	}
	sevenPoint = lazyRegexp(`(^|_)(7_?pt|7_?points?|7_?punkte?|seven_point|7_?stufen)(_|$)`)
	fivePoint  = lazyRegexp(`(^|_)(5_?pt|5_?points?|5_?punkte?|five_point|5_?stufen)(_|$)`)
	// notAMetric marks columns derived from a rating (Qualtrics
	// "Q1_NPS_GROUP", "NPS Category": Promoter/Passive/Detractor) or
	// comments about it ("nps_reason"): they name a metric but are not one.
	notAMetric = lazyRegexp(`(^|_)(group|groups|category|categories|cat|segment|class|bucket|type|label|reason|reasons|comment|comments|text|why|verbatim|feedback|open|follow_up|followup|explain\pL*|begr[uü]ndung|kommentar)(_|$)`)
	// headerScale finds a scale written in a header: "Empfehlung (0-10)",
	// "rating 1 to 5", "(1 = very poor … 7 = excellent)".
	headerRange  = lazyRegexp(`(?i)(?:^|[^0-9])([01])\s*(?:-|–|—|to|bis|a|à|…|\.\.)\s*([0-9]{1,2})(?:[^0-9]|$)`)
	headerEquals = lazyRegexp(`(?:^|[^0-9])([0-9]{1,2})\s*=`)
	headerPoints = lazyRegexp(`(?i)(?:^|[^0-9])([0-9]{1,2})\s*[- ]?(?:pt|point|punkt|stufen)`)
)

// Role name patterns per kind, in order of preference.
var (
	surveyID = []pattern{
		pat(1, "a response id", `^(response|respondent|submission|record|result|feedback|survey_response|interview|entry|antwort|teilnehmer|befragte\pL*|r[eé]ponse|respuesta)_?(id|num|number|no|nr|nummer)?$|^id$`),
		pat(0.6, "an id", `(^|_)(id|uuid|guid)$`),
	}
	surveyTimestamp = []pattern{
		pat(1, "the submission time", `^(recorded|submitted|submission|submit|completed|completion|responded|answered|finished|response)`+dateSuffix+`$|^date_(submitted|completed|responded|recorded)$`),
		pat(0.99, "the end time", `^(ended|end|enddate)`+dateSuffix+`$`),
		pat(0.97, "a date or time", `^(timestamp|survey_date|survey_time|date|datetime|date_time|time|datum|fecha|zeitstempel|created|date_created|creation_date)`+dateSuffix+`$`),
		pat(0.9, "the start time", `^(start|started|startdate|modified|updated|date_modified)`+dateSuffix+`$`),
		pat(0.6, "a date or time", `(^|_)(date|time|timestamp|datetime|datum|fecha|zeit|zeitpunkt|day|at)(_|$)`),
	}

	ticketID = []pattern{
		pat(1, "a ticket id", `^(ticket|case|issue|request|conversation|incident|support_ticket)?_?(id|num|number|no|nr|key|nummer)$|^(ticket|case)$`),
		pat(0.6, "an id", `(^|_)(id|num|number|key|uuid)$`),
	}
	ticketCreated = []pattern{
		pat(1, "ticket creation time", `^(ticket_|case_|conversation_|request_)?(created|creation|opened|submitted|received|requested|reported|logged|erstellt|erstellung|eröffnet)`+dateSuffix+`$|^(date|time)_(created|opened|submitted|received|reported|of_creation)$|^open_(date|time)$|^(conversation_)?started_at$|^fecha_de_creaci\pL*$|^date_de_cr\pL*$`),
		pat(0.6, "a creation time", `(^|_)(created|opened|creation|erstellt)(_|$)`),
	}
	durationWords      = lazyRegexp(`(^|_)(minutes|mins|min|hours|hrs|hr|h|seconds|secs|sec|s|days|d|duration|business|calendar|sla|in)(_|$)`)
	ticketFirstReponse = []pattern{
		pat(1, "first response time", `^(ticket_)?(first|initial|1st)_(response|reply|responded|replied|agent_reply|agent_response|admin_reply|answer|contact_response|reply_sent|public_reply)`+dateSuffix+`$|^(responded|replied|first_responded|first_replied)_(at|on)$|^erste_antwort\pL*$`),
		pat(0.6, "a first response", `(^|_)(first_response|first_reply|first_responded|initial_response|responded)(_|$)`),
	}
	ticketResolved = []pattern{
		pat(1, "resolution time", `^(ticket_)?(resolved|solved|resolution|gel[oö]st|erledigt)`+dateSuffix+`$|^date_(resolved|solved)$`),
		pat(0.95, "closing time", `^(ticket_)?(closed|completed|done|fixed|finished|geschlossen)`+dateSuffix+`$|^date_closed$`),
		pat(0.6, "a resolution", `(^|_)(resolved|solved|closed)(_|$)`),
	}
	ticketReplies = []pattern{
		pat(1, "a reply count", `^(agent_|public_)?(reply|replies|response|responses|message|messages|comment|comments|interactions|touches|antworten)_?(count|counts|num|number|total|n)?$|^agent_interactions$|^(number|num|count|total|no|n)_(of_)?(replies|responses|messages|comments|agent_replies|touches|interactions)$`),
		pat(0.6, "a count of replies", `(^|_)(replies|reply_count|interactions)(_|$)`),
	}
	ticketFCR = []pattern{
		pat(1, "first contact resolution", `^(fcr|first_contact_resolution|first_contact_resolved|resolved_on_first_contact|resolved_first_contact|resolved_at_first_contact|first_call_resolution|first_time_resolution|one_touch|one_touch_resolution|one_touch_ticket|one_contact_resolution|ftr|erstl[oö]sung|erstkontaktl[oö]sung)$`),
		pat(0.6, "first contact resolution", `(^|_)(fcr|one_touch|first_contact|first_call)(_|$)`),
	}

	customerID = []pattern{
		pat(1, "a customer id", `^(subscription_)?(customer|account|client|subscriber|kunde|kunden)_?(id|num|number|no|nr|key)$|^(customer|account|client|kunde|kundennummer)$`),
		pat(0.95, "an id", `^id$|^(subscription|company|organization|org|user|member)_?(id|num|number|key)$`),
		pat(0.6, "an id", `(^|_)(id|uuid|email)$`),
	}
	customerTrial = []pattern{
		pat(1, "trial start", `^(subscription_)?trial_?(start|starts|started|begin|began|beginning|start_date|created)?`+dateSuffix+`$|^(testphase|probezeit|probeabo)_?(start|beginn)?`+dateSuffix+`$|^(date_)?trial_started$`),
		pat(0.6, "a trial", `(^|_)trial(_|$)`),
	}
	trialEnd           = lazyRegexp(`(^|_)(end|ends|ended|expir\pL*|until|bis)(_|$)`)
	customerSubscribed = []pattern{
		pat(1, "subscription start", `^(subscribed|subscription_start|subscription_began|subscription_begin|subscription_date|paid_since|customer_since|became_customer|became_paying|converted|activated|paying_since|first_payment|first_paid|paid|abonniert|abo_start|vertragsbeginn)`+dateSuffix+`$|^(subscription|customer)_(activated|converted)`+dateSuffix+`$|^date_(subscribed|converted|activated)$`),
		pat(0.97, "subscription start", `^(subscription_started|subscription_created|customer_created|customer_started|subscription_start_date)`+dateSuffix+`$`),
		pat(0.9, "a start date", `^(subscription_)?(start|started|starts|start_date|begin|beginn)`+dateSuffix+`$`),
		pat(0.8, "a creation date", `^(subscription_)?(created|creation|signup|signed_up|sign_up|registered)`+dateSuffix+`$`),
		pat(0.6, "a subscription", `(^|_)(subscribed|subscription|converted|activated)(_|$)`),
	}
	customerCancelled = []pattern{
		pat(1, "cancellation", `^(subscription_)?(cancell?ed|cancell?ation|churned|churn|terminated|unsubscribed|k[uü]ndigung|gek[uü]ndigt)`+dateSuffix+`$|^date_(cancell?ed|churned)$`),
		pat(0.85, "an end date", `^(subscription_)?(ended|end|ends|end_date)`+dateSuffix+`$`),
		pat(0.6, "a cancellation", `(^|_)(cancell?ed|cancell?ation|churn\pL*)(_|$)`),
	}
	customerSource = []pattern{
		pat(1, "acquisition source", `^(acquisition|lead|signup|utm|marketing|referral|traffic|first_touch|original|customer|signup)?_?(source|channel|medium)$|^(acquisition|acquired_via|acquisition_source|acquisition_channel|referrer|referral_source|referred_from|heard_about_us|quelle|kanal|herkunft|canal|origen|origine|akquise\pL*)$|^how_did_you_hear`),
		pat(0.6, "a source", `(^|_)(source|channel|referr\pL*|acquisition|acquired)(_|$)`),
	}

	eventUser = []pattern{
		pat(1, "a user id", `^(user|distinct|anonymous|anon|visitor|account|customer|member|actor|person|device|client|contact|amplitude|profile|subscriber|player|learner)_?(id|uuid|key)$|^(uid|user|userid|user_email|email|username|user_name|nutzer|benutzer|nutzer_id|benutzer_id)$`),
		pat(0.6, "an id", `(^|_)(id|uuid)$`),
	}
	eventTime = []pattern{
		pat(1, "the event time", `^(event_)?(time|timestamp|ts|date|datetime|date_time|occurred|happened|logged|sent|received|recorded|created|client_event_time|server_time|server_upload_time|event_time|zeit|zeitpunkt|zeitstempel)`+dateSuffix+`$|^(client|server)_(event_)?(time|timestamp|upload_time)$`),
		pat(0.6, "a date or time", `(^|_)(date|time|timestamp|datetime|at|ts)(_|$)`),
	}
)

// Columns that are not segments or metrics: survey-tool bookkeeping
// (Qualtrics, SurveyMonkey, Typeform) and personal data, which a breakdown
// should never be by.
var (
	bookkeeping = lazyRegexp(`^(start_date|end_date|startdate|enddate|status|response_type|ip|ip_address|progress|duration|duration_in_seconds|finished|recorded_date|response_id|recipient_last_name|recipient_first_name|recipient_email|external_reference|external_data_reference|location_latitude|location_longitude|collector_id|respondent_id|email_address|custom_data_\d+|custom_variable_\d+|network_id|submitted_at|network_id|token|landing_time|submit_time|user_agent|browser_meta_info.*|q_.*|meta_.*)$`)
	personal    = lazyRegexp(`(^|_)(first_name|last_name|full_name|firstname|lastname|surname|email|e_mail|mail|phone|telephone|mobile|address|street|ip|ip_address|latitude|longitude|lat|lng|lon|url|link|password|token|requester|requester_name|submitter|recipient|vorname|nachname|telefon|adresse)(_|$)|^name$`)
	idName      = lazyRegexp(`(^|_)(id|uuid|guid|key|num|number|nr|no)$|^id_`)
	freeText    = lazyRegexp(`(^|_)(comment|comments|feedback|verbatim|text|notes?|remarks?|description|subject|body|message|kommentar|anmerkung|bemerkung|freitext|tags?)(_|$)`)
	metricStem  = lazyRegexp(`(^|_)(e?nps|csat|ces|ltr|cx)(_|$)|satisf|recommend|empfehl|zufrieden|effort`)
	segmentName = lazyRegexp(`(^|_)(channel|via|source|medium|region|country|market|geo|language|lang|locale|priority|severity|urgency|plan|tier|segment|cohort|product|category|type|group|team|department|dept|queue|brand|platform|device|os|browser|store|location|site|form|variant|edition|package|license|cluster|city|state|province|office|shop|branch|gender|age_group|age|industry|company_size|size|persona|role|sprache|kanal|land|tarif|priorit[aä]t|produkt|kategorie|gruppe|typ|abteilung|canal|pais|país|idioma|pays|langue|distribution_channel|user_language)(_|$)`)
	// topSegment names the breakdowns CX reports use most.
	topSegment  = lazyRegexp(`(^|_)(channel|via|source|medium|region|country|market|language|lang|locale|priority|severity|plan|tier|segment|cohort|product|kanal|sprache|land|canal|idioma|langue|pays)(_|$)`)
	weakSegment = lazyRegexp(`(^|_)(status|state|assignee|agent|owner|satisfaction|score|rating|finished|complete|completed)(_|$)`)
	referralish = lazyRegexp(`(?i)refer|word.?of.?mouth|^wom$|empfehlung|weiterempfehlung|recommend|referido|parrainage|bouche|mund`)
)

// headerScale reads a rating scale written in a header, or reports false.
func headerScale(h string) (lo, hi int, ok bool) {
	if m := headerRange.FindStringSubmatch(h); m != nil {
		lo, hi = atoi(m[1]), atoi(m[2])
		if hi > lo && hi >= 3 && hi <= 10 {
			return lo, hi, true
		}
	}
	if ms := headerEquals.FindAllStringSubmatch(h, -1); len(ms) >= 2 {
		lo, hi = 99, -1
		for _, m := range ms {
			v := atoi(m[1])
			lo, hi = min(lo, v), max(hi, v)
		}
		if (lo == 0 || lo == 1) && hi > lo && hi >= 3 && hi <= 10 {
			return lo, hi, true
		}
	}
	if m := headerPoints.FindStringSubmatch(h); m != nil {
		if hi = atoi(m[1]); hi >= 3 && hi <= 10 {
			return 1, hi, true
		}
	}
	return 0, 0, false
}

func atoi(s string) int {
	v := 0
	for _, c := range s {
		v = v*10 + int(c-'0')
	}
	return v
}

// clip shortens s to at most n runes for quoting in a why sentence, so a
// 10 kB cell cannot flood the plan.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}
