package detect

import "testing"

func TestNormalize(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"ResponseId":                   "response_id",
		"IPAddress":                    "ip_address",
		"Q1_NPS_GROUP":                 "q1_nps_group",
		"Created (UTC)":                "created_utc",
		"Canceled At (UTC)":            "canceled_at_utc",
		"\ufeffStartDate":              "start_date",
		"Ticket #":                     "ticket_num",
		"subscription.trial_start":     "subscription_trial_start",
		"Empfehlung (0-10)":            "empfehlung_0_10",
		"Duration (in seconds)":        "duration_in_seconds",
		"  ":                           "",
		"<img src=x onerror=alert(1)>": "img_src_x_onerror_alert_1",
	} {
		if got := normalize(in); got != want {
			t.Errorf("normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestVendorHeaders checks role names from real exports (Zendesk,
// Freshdesk, Intercom, Help Scout, Stripe, Chargebee, Qualtrics,
// SurveyMonkey, Typeform, Delighted, Mixpanel, Amplitude, Segment) and
// look-alikes that must not match.
func TestVendorHeaders(t *testing.T) {
	t.Parallel()
	tests := []struct {
		specs  []roleSpec
		role   string
		header string
		match  bool
	}{
		{ticketSpecs, "created_at", "Created at", true},              // Zendesk
		{ticketSpecs, "created_at", "Created time", true},            // Freshdesk
		{ticketSpecs, "created_at", "Conversation started at", true}, // Intercom
		{ticketSpecs, "created_at", "Updated at", false},
		{ticketSpecs, "resolved_at", "Solved at", true},     // Zendesk
		{ticketSpecs, "resolved_at", "Resolved time", true}, // Freshdesk
		{ticketSpecs, "resolved_at", "Closed time", true},
		{ticketSpecs, "resolved_at", "Full resolution time in minutes", false},
		{ticketSpecs, "resolved_at", "Resolution time (in hrs)", false},
		{ticketSpecs, "first_response_at", "Initial response time", true}, // Freshdesk
		{ticketSpecs, "first_response_at", "first_admin_reply_at", true},  // Intercom
		{ticketSpecs, "first_response_at", "First reply time in minutes", false},
		{ticketSpecs, "first_response_at", "First response time (in hrs)", false},
		{ticketSpecs, "replies", "Replies", true},
		{ticketSpecs, "replies", "Agent interactions", true},
		{ticketSpecs, "replies", "Number of replies", true},
		{ticketSpecs, "fcr", "First contact resolution", true},
		{ticketSpecs, "fcr", "FCR", true},
		{ticketSpecs, "id", "Ticket ID", true},
		{ticketSpecs, "id", "Ticket #", true},
		{customerSpecs, "trial_started_at", "Trial Start (UTC)", true}, // Stripe
		{customerSpecs, "trial_started_at", "subscription.trial_start", true},
		{customerSpecs, "trial_started_at", "Trial End (UTC)", false},
		{customerSpecs, "subscribed_at", "subscription.activated_at", true}, // Chargebee
		{customerSpecs, "subscribed_at", "Start (UTC)", true},
		{customerSpecs, "subscribed_at", "Created (UTC)", true},
		{customerSpecs, "subscribed_at", "Current Period Start (UTC)", false},
		{customerSpecs, "cancelled_at", "Canceled At (UTC)", true},
		{customerSpecs, "cancelled_at", "subscription.cancelled_at", true},
		{customerSpecs, "cancelled_at", "Cancel At Period End", false},
		{customerSpecs, "source", "How did you hear about us?", true},
		{customerSpecs, "source", "utm_source", true},
		{customerSpecs, "id", "Customer ID", true},
		{surveySpecs, "timestamp", "RecordedDate", true}, // Qualtrics
		{surveySpecs, "timestamp", "End Date", true},     // SurveyMonkey
		{surveySpecs, "timestamp", "Submitted At", true}, // Typeform
		{surveySpecs, "timestamp", "Created At (UTC)", true},
		{surveySpecs, "id", "ResponseId", true},
		{surveySpecs, "id", "Respondent ID", true},
		{eventSpecs, "user_id", "distinct_id", true}, // Mixpanel
		{eventSpecs, "user_id", "userId", true},      // Segment
		{eventSpecs, "timestamp", "event_time", true},
		{eventSpecs, "timestamp", "client_event_time", true}, // Amplitude
	}
	for _, tt := range tests {
		var spec roleSpec
		for _, s := range tt.specs {
			if s.role == tt.role {
				spec = s
			}
		}
		core := core(normalize(tt.header))
		m := matchName(core, spec.names)
		got := m.weight > 0 && (spec.reject == nil || !spec.reject(core))
		if got != tt.match {
			t.Errorf("%s %q (core %q): match %v (weight %v), want %v", tt.role, tt.header, core, got, m.weight, tt.match)
		}
	}
}

func TestMetricNames(t *testing.T) {
	t.Parallel()
	tests := []struct {
		header string
		pats   []pattern
		match  bool
	}{
		{"nps_ltr", npsNames, true},
		{"How likely is it that you would recommend us to a friend?", npsNames, true},
		{"Weiterempfehlung", npsNames, true},
		{"Kundenzufriedenheit", csatNames, true},
		{"CSAT (1-5)", csatNames, true},
		{"Customer Effort Score", cesNames, true},
		{"It was easy to handle my issue", cesNames, true},
		{"inputs", npsNames, false},
		{"process", cesNames, false},
		{"Star rating", cxNames, true},
	}
	for _, tt := range tests {
		if got := matchName(core(normalize(tt.header)), tt.pats).weight > 0; got != tt.match {
			t.Errorf("%q: match %v, want %v", tt.header, got, tt.match)
		}
	}
	for h, want := range map[string][2]int{"Empfehlung (0-10)": {0, 10}, "Rating 1 to 5": {1, 5}, "(1 = poor, 7 = excellent)": {1, 7}, "CSAT 7pt": {1, 7}, "Score (0-100)": {0, 0}, "Q3": {0, 0}} {
		lo, hi, _ := headerScale(h)
		if lo != want[0] || hi != want[1] {
			t.Errorf("headerScale(%q) = %d, %d, want %v", h, lo, hi, want)
		}
	}
}
