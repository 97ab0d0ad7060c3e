package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cxaudit/cxaudit/core/engine"
	"github.com/cxaudit/cxaudit/core/ingest"
	"github.com/cxaudit/cxaudit/core/plan"
	"github.com/cxaudit/cxaudit/core/report"
)

const oracleDir = "../testdata/oracle"

// cliJSON is what `cxaudit analyze --plan SPEC --format json FILE` prints,
// run from FILE's directory (so source.name is the base name): the CLI's
// own sequence of core calls (cmd/cxaudit/main.go analyze, openFile).
func cliJSON(t *testing.T, file, spec string) []byte {
	t.Helper()
	var user *plan.Plan
	if spec != "" {
		f, err := os.Open(spec)
		if err != nil {
			t.Fatal(err)
		}
		user, err = plan.Parse(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	opts := engine.ReaderOptions("", user)
	opts.Name = filepath.Base(file)
	src, err := ingest.Open(filepath.Base(file), f, st.Size(), opts)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := engine.Run(src, user, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	out, err := report.JSON(doc)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func oracleNames(t *testing.T) []string {
	t.Helper()
	specs, _ := filepath.Glob(filepath.Join(oracleDir, "*.spec.json"))
	if len(specs) == 0 {
		t.Fatalf("no oracle cases in %s", oracleDir)
	}
	var names []string
	for _, s := range specs {
		names = append(names, strings.TrimSuffix(filepath.Base(s), ".spec.json"))
	}
	return names
}

// form builds a multipart body from (field, filename, content) triples.
func form(t *testing.T, parts ...[3]string) (string, []byte) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for _, p := range parts {
		var w io.Writer
		var err error
		if p[1] == "" {
			w, err = mw.CreateFormField(p[0])
		} else {
			w, err = mw.CreateFormFile(p[0], p[1])
		}
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, p[2])
	}
	mw.Close()
	return mw.FormDataContentType(), b.Bytes()
}

func read(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(oracleDir, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

type resp struct {
	status int
	header http.Header
	body   []byte
}

func do(h http.Handler, method, target, contentType string, body io.Reader, length int64) resp {
	req := httptest.NewRequest(method, target, body)
	req.ContentLength = length
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return resp{rec.Code, rec.Result().Header, rec.Body.Bytes()}
}

func post(h http.Handler, target, contentType string, body []byte) resp {
	return do(h, http.MethodPost, target, contentType, bytes.NewReader(body), int64(len(body)))
}

func TestOracleCasesMatchCLI(t *testing.T) {
	h := New(Config{})
	for _, name := range oracleNames(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			spec := filepath.Join(oracleDir, name+".spec.json")
			want := cliJSON(t, filepath.Join(oracleDir, name+".csv"), spec)

			ct, body := form(t, [3]string{"plan", "", read(t, name+".spec.json")}, [3]string{"file", name + ".csv", read(t, name+".csv")})
			expectJSON(t, post(h, "/api/analyze", ct, body), want, "multipart")

			q := url.Values{"plan": {read(t, name+".spec.json")}, "name": {name + ".csv"}}
			expectJSON(t, post(h, "/api/analyze?"+q.Encode(), "text/csv", []byte(read(t, name+".csv"))), want, "raw CSV")

			pq := filepath.Join(oracleDir, name+".parquet")
			if _, err := os.Stat(pq); err != nil {
				return
			}
			want = cliJSON(t, pq, spec)
			ct, body = form(t, [3]string{"plan", "", read(t, name+".spec.json")}, [3]string{"file", name + ".parquet", read(t, name+".parquet")})
			expectJSON(t, post(h, "/api/analyze", ct, body), want, "multipart Parquet")
			q.Set("name", name+".parquet")
			expectJSON(t, post(h, "/api/analyze?"+q.Encode(), "application/vnd.apache.parquet", []byte(read(t, name+".parquet"))), want, "raw Parquet")
		})
	}
}

func expectJSON(t *testing.T, r resp, want []byte, what string) {
	t.Helper()
	if r.status != http.StatusOK {
		t.Fatalf("%s: status %d: %s", what, r.status, r.body)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("%s: Content-Type %q", what, ct)
	}
	if !bytes.Equal(r.body, want) {
		t.Errorf("%s: the API's JSON differs from the CLI's (%d vs %d bytes)\n%s", what, len(r.body), len(want), firstDiff(r.body, want))
	}
}

func firstDiff(a, b []byte) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	lo := max(0, i-80)
	return fmt.Sprintf("got  …%s…\nwant …%s…", a[lo:min(len(a), i+80)], b[lo:min(len(b), i+80)])
}

func TestDetectMatchesCLI(t *testing.T) {
	h := New(Config{})
	for _, name := range []string{"survey_main", "tickets_main", "survey_qualtrics_export"} {
		f, _ := os.Open(filepath.Join(oracleDir, name+".csv"))
		st, _ := f.Stat()
		src, err := ingest.Open(name+".csv", f, st.Size(), engine.ReaderOptions("", nil))
		if err != nil {
			t.Fatal(err)
		}
		p, _, err := engine.Detect(src)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		want, _ := report.JSON(p)
		ct, body := form(t, [3]string{"file", name + ".csv", read(t, name+".csv")})
		expectJSON(t, post(h, "/api/detect", ct, body), want, name)
	}
}

// apiErr checks a JSON error answer.
func apiErr(t *testing.T, r resp, status int, code, detail string) {
	t.Helper()
	if r.status != status {
		t.Errorf("status %d, want %d: %s", r.status, status, r.body)
		return
	}
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q", ct)
	}
	var e struct{ Error, Detail string }
	if err := json.Unmarshal(r.body, &e); err != nil {
		t.Fatalf("error body is not JSON: %q", r.body)
	}
	if e.Error != code {
		t.Errorf("error %q, want %q (%s)", e.Error, code, e.Detail)
	}
	if !strings.Contains(e.Detail, detail) {
		t.Errorf("detail %q does not contain %q", e.Detail, detail)
	}
	if strings.Contains(e.Detail, "\n") || strings.Contains(e.Detail, "goroutine") {
		t.Errorf("detail is not one line: %q", e.Detail)
	}
}

func TestErrors(t *testing.T) {
	h := New(Config{MaxBodyBytes: 4096, MaxParquetBytes: 1024})
	n3 := read(t, "survey_n3.csv")
	spec := read(t, "survey_n3.spec.json")

	t.Run("method", func(t *testing.T) {
		r := do(h, http.MethodGet, "/api/analyze", "", nil, 0)
		apiErr(t, r, 405, "method_not_allowed", "use POST")
		if r.header.Get("Allow") != "POST" {
			t.Errorf("Allow %q", r.header.Get("Allow"))
		}
		r = do(h, http.MethodPost, "/api/health", "", nil, 0)
		apiErr(t, r, 405, "method_not_allowed", "GET")
	})
	t.Run("not found", func(t *testing.T) {
		apiErr(t, do(h, http.MethodGet, "/api/nope", "", nil, 0), 404, "not_found", "/api/nope")
	})
	t.Run("media type", func(t *testing.T) {
		apiErr(t, post(h, "/api/analyze", "", []byte(n3)), 415, "unsupported_media_type", "no Content-Type")
		apiErr(t, post(h, "/api/analyze", "application/json", []byte(n3)), 415, "unsupported_media_type", "application/json")
		apiErr(t, post(h, "/api/analyze", "application/x-www-form-urlencoded", []byte(n3)), 415, "unsupported_media_type", "")
		apiErr(t, post(h, "/api/detect", "image/png", []byte(n3)), 415, "unsupported_media_type", "")
	})
	t.Run("too large", func(t *testing.T) {
		big := strings.Repeat(n3[strings.IndexByte(n3, '\n')+1:], 200)
		// Announced by Content-Length: refused before reading.
		apiErr(t, post(h, "/api/analyze", "text/csv", []byte(n3+big)), 413, "too_large", "4096 bytes")
		// Chunked (no length): cut off while streaming.
		r := do(h, http.MethodPost, "/api/analyze", "text/csv", strings.NewReader(n3+big), -1)
		apiErr(t, r, 413, "too_large", "4096 bytes")
		// Multipart, file part over the limit.
		ct, body := form(t, [3]string{"plan", "", spec}, [3]string{"file", "x.csv", n3 + big})
		apiErr(t, do(h, http.MethodPost, "/api/analyze", ct, bytes.NewReader(body), -1), 413, "too_large", "")
		// Parquet is held whole: its own, smaller limit.
		pq := "PAR1" + strings.Repeat("x", 2000)
		apiErr(t, post(h, "/api/analyze", "application/vnd.apache.parquet", []byte(pq)), 413, "too_large", "1024 bytes")
		ct, body = form(t, [3]string{"file", "x.parquet", pq})
		apiErr(t, post(h, "/api/analyze", ct, body), 413, "too_large", "Parquet")
		// Exactly at the limit is fine.
		at := n3 + strings.Repeat("\n", 4096-len(n3))
		if r := post(h, "/api/analyze", "text/csv", []byte(at)); r.status != 200 {
			t.Errorf("a body of exactly the limit: %d %s", r.status, r.body)
		}
	})
	t.Run("bad input", func(t *testing.T) {
		apiErr(t, post(h, "/api/analyze", "text/csv", nil), 400, "bad_input", "input")
		apiErr(t, post(h, "/api/analyze?plan=%7Bnope", "text/csv", []byte(n3)), 400, "bad_input", "plan: not a valid plan document")
		apiErr(t, post(h, "/api/analyze?plan=%7B%7D", "text/csv", []byte(n3)), 400, "bad_input", `plan: "kind" is missing`)
		ct, body := form(t, [3]string{"plan", "my.spec.json", `{"kind": 1}`}, [3]string{"file", "x.csv", n3})
		apiErr(t, post(h, "/api/analyze", ct, body), 400, "bad_input", "my.spec.json: plan: not a valid plan document")
		ct, body = form(t, [3]string{"file", "x.csv", n3}, [3]string{"plan", "", spec})
		apiErr(t, post(h, "/api/analyze", ct, body), 400, "bad_input", "the plan part must come before the file part")
		ct, body = form(t, [3]string{"file", "x.parquet", read(t, "survey_n3.parquet")}, [3]string{"plan", "", spec})
		apiErr(t, post(New(Config{}), "/api/analyze", ct, body), 400, "bad_input", "the plan part must come before the file part")
		ct, body = form(t, [3]string{"plan", "", spec})
		apiErr(t, post(h, "/api/analyze", ct, body), 400, "bad_input", "no file part")
		apiErr(t, post(h, "/api/analyze", "multipart/form-data", []byte(n3)), 400, "bad_input", "boundary")
		apiErr(t, post(h, "/api/analyze", "multipart/form-data; boundary=zzz", []byte(n3)), 400, "bad_input", "multipart")
		apiErr(t, post(h, "/api/analyze?plan="+url.QueryEscape(spec), "text/csv", []byte("PAR1 not really")), 400, "bad_input", "input")
		apiErr(t, post(h, "/api/analyze?confidence=2", "text/csv", []byte(n3)), 400, "bad_input", "confidence 2 is not between 0 and 1")
		apiErr(t, post(h, "/api/analyze?format=xml", "text/csv", []byte(n3)), 400, "bad_input", `unknown format "xml"`)
		q := url.Values{"plan": {spec}}
		ct, body = form(t, [3]string{"plan", "", spec}, [3]string{"file", "x.csv", n3})
		apiErr(t, post(h, "/api/analyze?"+q.Encode(), ct, body), 400, "bad_input", "plan given twice")
	})
	t.Run("same message as the CLI", func(t *testing.T) {
		// A plan naming a column the file lacks: the engine's message,
		// with the file's name, exactly as the CLI prints it after
		// "cxaudit: ".
		bad := strings.Replace(spec, `"column": "csat"`, `"column": "nope"`, 1)
		user, err := plan.Parse(strings.NewReader(bad))
		if err != nil {
			t.Fatal(err)
		}
		opts := engine.ReaderOptions("", user)
		opts.Name = "n3.csv"
		src, err := ingest.OpenCSV(strings.NewReader(n3), opts)
		if err == nil {
			_, err = engine.Run(src, user, 0, nil)
		}
		if err == nil {
			t.Fatal("the engine accepted a missing column")
		}
		ct, body := form(t, [3]string{"plan", "", bad}, [3]string{"file", "n3.csv", n3})
		r := post(h, "/api/analyze", ct, body)
		apiErr(t, r, 400, "bad_input", "")
		var e struct{ Detail string }
		json.Unmarshal(r.body, &e)
		if e.Detail != oneLine(err.Error()) {
			t.Errorf("detail %q, CLI says %q", e.Detail, oneLine(err.Error()))
		}
	})
}

func TestHealthAndFormats(t *testing.T) {
	h := New(Config{})
	r := do(h, http.MethodGet, "/api/health", "", nil, 0)
	if r.status != 200 || !bytes.Contains(r.body, []byte(`"status": "ok"`)) && !bytes.Contains(r.body, []byte(`"status":"ok"`)) {
		t.Fatalf("health: %d %s", r.status, r.body)
	}
	if r.header.Get("Cache-Control") != "no-store" || r.header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("health headers: %v", r.header)
	}
	q := url.Values{"plan": {read(t, "survey_n3.spec.json")}, "format": {"csv"}}
	r = post(h, "/api/analyze?"+q.Encode(), "text/csv", []byte(read(t, "survey_n3.csv")))
	if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/csv") {
		t.Errorf("format=csv: %d %q", r.status, r.header.Get("Content-Type"))
	}
	q.Set("confidence", "0.9")
	q.Set("format", "json")
	r = post(h, "/api/analyze?"+q.Encode(), "text/csv", []byte(read(t, "survey_n3.csv")))
	var doc struct{ Confidence float64 }
	if json.Unmarshal(r.body, &doc); doc.Confidence != 0.9 {
		t.Errorf("confidence=0.9 gave %v", doc.Confidence)
	}
}

func TestFromEnv(t *testing.T) {
	env := map[string]string{EnvMaxBodyBytes: "100", EnvMaxParquetBytes: ""}
	h := FromEnv(func(k string) string { return env[k] })
	apiErr(t, post(h, "/api/analyze", "text/csv", make([]byte, 101)), 413, "too_large", "100 bytes")
	env[EnvMaxParquetBytes] = "lots"
	h = FromEnv(func(k string) string { return env[k] })
	apiErr(t, do(h, http.MethodGet, "/api/health", "", nil, 0), 500, "internal", EnvMaxParquetBytes)
}

// surveyStream is an endless survey CSV, generated as it is read.
type surveyStream struct {
	buf  []byte
	rows int
	read atomic.Int64
}

func (s *surveyStream) Read(p []byte) (int, error) {
	if len(s.buf) == 0 {
		if s.rows == 0 {
			s.buf = []byte("respondent_id,submitted_at,channel,nps,csat,ces\n")
		} else {
			s.buf = fmt.Appendf(s.buf[:0], "r%d,2024-03-%02dT10:00:00Z,email,%d,%d,%d\n", s.rows, 1+s.rows%28, s.rows%11, 1+s.rows%5, 1+s.rows%7)
		}
		s.rows++
	}
	n := copy(p, s.buf)
	s.buf = s.buf[n:]
	s.read.Add(int64(n))
	return n, nil
}

// limited ends a surveyStream after n bytes, at a line end.
type limited struct {
	s *surveyStream
	n int64
}

func (l *limited) Read(p []byte) (int, error) {
	if l.s.read.Load() >= l.n && len(l.s.buf) == 0 {
		return 0, io.EOF
	}
	return l.s.Read(p)
}

// TestDetectStreams: detection reads the first rows of an endless body and
// answers, so the body is not buffered whole.
func TestDetectStreams(t *testing.T) {
	h := New(Config{MaxBodyBytes: 1 << 40})
	s := &surveyStream{}
	done := make(chan resp, 1)
	go func() { done <- do(h, http.MethodPost, "/api/detect?name=endless.csv", "text/csv", s, -1) }()
	select {
	case r := <-done:
		if r.status != 200 {
			t.Fatalf("%d %s", r.status, r.body)
		}
		if got := s.read.Load(); got > 4<<20 {
			t.Errorf("detect read %d bytes of the body", got)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("detect did not answer on an endless body: it is buffering")
	}
}

// TestAnalyzeStreams: a 64 MiB CSV body is analysed with a heap far
// smaller than the body.
func TestAnalyzeStreams(t *testing.T) {
	if testing.Short() {
		t.Skip("64 MiB")
	}
	const size = 64 << 20
	h := New(Config{MaxBodyBytes: 1 << 30})
	spec := `{"kind":"survey","columns":{"id":"respondent_id","timestamp":"submitted_at"},"metrics":{"nps":{"column":"nps"},"csat":{"column":"csat","scale":[1,5]}}}`
	s := &surveyStream{}
	runtime.GC()
	var peak atomic.Uint64
	stop := make(chan struct{})
	go func() {
		var m runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.Load() {
				peak.Store(m.HeapInuse)
			}
		}
	}()
	r := do(h, http.MethodPost, "/api/analyze?plan="+url.QueryEscape(spec), "text/csv", &limited{s, size}, -1)
	close(stop)
	if r.status != 200 {
		t.Fatalf("%d %s", r.status, r.body)
	}
	if p := peak.Load(); p > size/2 {
		t.Errorf("peak heap %d MiB for a %d MiB body: the body is buffered", p>>20, size>>20)
	} else {
		t.Logf("peak heap %d MiB for a %d MiB body (%d rows)", p>>20, size>>20, s.rows)
	}
}

// TestPanicIsJSON: a panic below the handler is a one-line 500, no trace.
func TestPanicIsJSON(t *testing.T) {
	h := New(Config{})
	r := do(h, http.MethodPost, "/api/analyze", "text/csv", panicReader{}, -1)
	apiErr(t, r, 500, "internal", "internal error: boom")
}

type panicReader struct{}

func (panicReader) Read([]byte) (int, error) { panic("boom\nwith a second line") }
