// Package server is cxaudit's HTTP API, the handler behind the Cloudflare
// Worker (wasm/worker) and anything else that speaks net/http. It imports
// neither syscall/js nor github.com/syumai/workers, so it is tested
// natively with httptest.
//
//	POST /api/analyze   a file → the result document (result-schema.md)
//	POST /api/detect    a file → the detected plan
//	GET  /api/health    {"status":"ok","engine":{…}}
//
// A file comes either as multipart/form-data, with a "file" part and an
// optional "plan" part (JSON) before it, or as a raw body (text/csv,
// application/vnd.apache.parquet, …) with the plan in ?plan=. The format is
// decided by content, as in the CLI: a body starting with PAR1 is Parquet.
// CSV is streamed through the core as it arrives; Parquet needs random
// access (its footer is at the end), so it is buffered, up to its own limit.
//
// Query parameters (all optional): plan (JSON), name (the file name used
// in the result's source.name and in messages; multipart takes the part's
// file name), confidence (0 < c < 1, overrides the plan's), format (json,
// csv, md, table; default json).
//
// Errors are JSON {"error": code, "detail": message}: 400 bad_input with the
// CLI's one-line message, 404 not_found, 405 method_not_allowed, 413
// too_large, 415 unsupported_media_type, 500 internal (a recovered panic;
// never a stack trace). Nothing about a request body is stored or logged.
package server

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"path"
	"strconv"
	"strings"

	"github.com/cxaudit/cxaudit/core/engine"
	"github.com/cxaudit/cxaudit/core/ingest"
	"github.com/cxaudit/cxaudit/core/plan"
	"github.com/cxaudit/cxaudit/core/report"
)

const (
	// DefaultMaxBodyBytes is the largest request body accepted: 100 MiB,
	// Cloudflare's request body limit on the Free and Pro plans. CSV is
	// streamed, so this costs no memory.
	DefaultMaxBodyBytes = 100 << 20
	// DefaultMaxParquetBytes is the largest Parquet file accepted: 32 MiB.
	// Parquet is held in memory whole, and a Worker has 128 MB.
	DefaultMaxParquetBytes = 32 << 20
	// maxPlanBytes bounds a plan part or ?plan=.
	maxPlanBytes = 1 << 20
	// maxNameBytes bounds the file name echoed into results.
	maxNameBytes = 255
)

// Env variables read by FromEnv: byte counts, decimal.
const (
	EnvMaxBodyBytes    = "CXAUDIT_MAX_BODY_BYTES"
	EnvMaxParquetBytes = "CXAUDIT_MAX_PARQUET_BYTES"
)

// Config sets the limits. Zero values mean the defaults.
type Config struct {
	MaxBodyBytes    int64
	MaxParquetBytes int64
}

// New returns the API handler.
func New(c Config) http.Handler {
	if c.MaxBodyBytes <= 0 {
		c.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if c.MaxParquetBytes <= 0 {
		c.MaxParquetBytes = DefaultMaxParquetBytes
	}
	return &handler{c}
}

// FromEnv returns the API handler with limits read through getenv
// (EnvMaxBodyBytes, EnvMaxParquetBytes; unset or empty means the default).
// A value that is not a positive byte count is a deployment mistake: every
// request then gets 500 naming the variable, rather than a silent default.
func FromEnv(getenv func(string) string) http.Handler {
	var c Config
	for _, v := range []struct {
		name string
		dst  *int64
	}{{EnvMaxBodyBytes, &c.MaxBodyBytes}, {EnvMaxParquetBytes, &c.MaxParquetBytes}} {
		s := strings.TrimSpace(getenv(v.name))
		if s == "" {
			continue
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n <= 0 {
			msg := fmt.Sprintf("configuration: %s=%q is not a positive number of bytes", v.name, s)
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				writeError(w, &apiError{http.StatusInternalServerError, "internal", msg})
			})
		}
		*v.dst = n
	}
	return New(c)
}

type handler struct{ c Config }

// apiError is an error with its HTTP status and code.
type apiError struct {
	status int
	code   string
	detail string
}

func (e *apiError) Error() string { return e.detail }

func badInput(format string, args ...any) *apiError {
	return &apiError{http.StatusBadRequest, "bad_input", oneLine(fmt.Sprintf(format, args...))}
}

// oneLine is the CLI's: every run of white space becomes one space.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// headers every API response carries: JSON is data, never a page.
func setCommonHeaders(h http.Header) {
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
	h.Set("Referrer-Policy", "no-referrer")
}

func writeError(w http.ResponseWriter, e *apiError) {
	h := w.Header()
	setCommonHeaders(h)
	h.Set("Content-Type", "application/json")
	w.WriteHeader(e.status)
	b, _ := json.Marshal(struct {
		Error  string `json:"error"`
		Detail string `json:"detail"`
	}{e.code, e.detail})
	w.Write(append(b, '\n'))
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	wrote := false
	rw := &trackingWriter{ResponseWriter: w, wrote: &wrote}
	defer func() {
		if v := recover(); v != nil {
			// The core panicked: answer like the CLI ("internal error: …"),
			// without a stack trace, if nothing has been sent yet.
			if !wrote {
				writeError(w, &apiError{http.StatusInternalServerError, "internal", oneLine(fmt.Sprintf("internal error: %v", v))})
			}
		}
	}()
	var err error
	switch r.URL.Path {
	case "/api/health":
		err = h.health(rw, r)
	case "/api/analyze":
		err = h.analyze(rw, r)
	case "/api/detect":
		err = h.detect(rw, r)
	default:
		err = &apiError{http.StatusNotFound, "not_found", fmt.Sprintf("no route %s (POST /api/analyze, POST /api/detect, GET /api/health)", r.URL.Path)}
	}
	if err != nil {
		var ae *apiError
		if !errors.As(err, &ae) {
			ae = badInput("%s", err.Error())
		}
		if ae.status == http.StatusMethodNotAllowed {
			w.Header().Set("Allow", allowed(r.URL.Path))
		}
		writeError(w, ae)
	}
}

// trackingWriter records whether the response has started.
type trackingWriter struct {
	http.ResponseWriter
	wrote *bool
}

func (t *trackingWriter) WriteHeader(code int) {
	*t.wrote = true
	t.ResponseWriter.WriteHeader(code)
}

func (t *trackingWriter) Write(b []byte) (int, error) {
	*t.wrote = true
	return t.ResponseWriter.Write(b)
}

func allowed(p string) string {
	if p == "/api/health" {
		return "GET, HEAD"
	}
	return "POST"
}

func methodNotAllowed(r *http.Request) *apiError {
	return &apiError{http.StatusMethodNotAllowed, "method_not_allowed",
		fmt.Sprintf("%s %s: use %s", r.Method, r.URL.Path, allowed(r.URL.Path))}
}

func (h *handler) health(w http.ResponseWriter, r *http.Request) error {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return methodNotAllowed(r)
	}
	return writeJSON(w, r, report.Object{
		"status": "ok",
		"engine": report.Object{"name": "cxaudit", "version": engine.Version},
		"limits": report.Object{"max_body_bytes": h.c.MaxBodyBytes, "max_parquet_bytes": h.c.MaxParquetBytes},
	})
}

func writeJSON(w http.ResponseWriter, r *http.Request, doc any) error {
	out, err := report.JSON(doc)
	if err != nil {
		return &apiError{http.StatusInternalServerError, "internal", oneLine("internal error: " + err.Error())}
	}
	return writeBody(w, r, "application/json", out)
}

func writeBody(w http.ResponseWriter, r *http.Request, contentType string, out []byte) error {
	hd := w.Header()
	setCommonHeaders(hd)
	hd.Set("Content-Type", contentType)
	hd.Set("Content-Length", strconv.Itoa(len(out)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(out)
	}
	return nil
}

func (h *handler) analyze(w http.ResponseWriter, r *http.Request) error {
	if r.Method != http.MethodPost {
		return methodNotAllowed(r)
	}
	q := r.URL.Query()
	format := q.Get("format")
	switch format {
	case "":
		format = "json"
	case "json", "csv", "md", "table":
	default:
		return badInput("unknown format %q (json, table, csv, md)", format)
	}
	var confidence float64
	if s := q.Get("confidence"); s != "" {
		c, err := strconv.ParseFloat(s, 64)
		if err != nil || !(c > 0 && c < 1) {
			return badInput("confidence %s is not between 0 and 1", s)
		}
		confidence = c
	}
	in, err := h.open(r, true)
	if err != nil {
		return err
	}
	defer in.close()
	doc, err := engine.Run(in.src, in.plan, confidence, nil)
	if err != nil {
		return in.fail(err)
	}
	if err := in.finish(); err != nil {
		return err
	}
	var out []byte
	contentType := "application/json"
	switch format {
	case "json":
		out, err = report.JSON(doc)
	case "csv":
		out, err = report.CSV(doc)
		contentType = "text/csv; charset=utf-8"
	case "md":
		out = report.Markdown(doc)
		contentType = "text/markdown; charset=utf-8"
	case "table":
		out = report.Table(doc)
		contentType = "text/plain; charset=utf-8"
	}
	if err != nil {
		return &apiError{http.StatusInternalServerError, "internal", oneLine("internal error: " + err.Error())}
	}
	return writeBody(w, r, contentType, out)
}

func (h *handler) detect(w http.ResponseWriter, r *http.Request) error {
	if r.Method != http.MethodPost {
		return methodNotAllowed(r)
	}
	// Like `cxaudit detect FILE`: a plan, if sent, is not used.
	in, err := h.open(r, false)
	if err != nil {
		return err
	}
	defer in.close()
	p, _, err := engine.Detect(in.src)
	if err != nil {
		return in.fail(err)
	}
	return writeJSON(w, r, p)
}

// input is an opened request body: the source, the user's plan and what
// is needed to tell a size overrun from bad input.
type input struct {
	src   ingest.Source
	plan  *plan.Plan
	body  *limitedReader
	mr    *multipart.Reader // nil for a raw body
	close func()
}

// fail turns an engine error into the API's: 413 when the body ran over
// the limit (the core sees only a read error), else 400 with the message.
func (in *input) fail(err error) error {
	if in.body.over {
		return in.body.tooLarge()
	}
	var ae *apiError
	if errors.As(err, &ae) {
		return ae
	}
	return badInput("%s", err.Error())
}

// finish checks what follows the file part: a plan part there came too
// late to be used (CSV is analysed while it streams in), and saying so
// beats a result computed with a detected plan instead.
func (in *input) finish() error {
	if in.mr == nil {
		return nil
	}
	for {
		p, err := in.mr.NextPart()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return in.fail(fmt.Errorf("multipart: %v", err))
		}
		name := p.FormName()
		p.Close()
		if name == "plan" {
			return badInput("multipart: the plan part must come before the file part")
		}
	}
}

// rawTypes are the media types accepted as a raw body. The content still
// decides the format (PAR1 → Parquet); the type only has to be plausible.
var rawTypes = map[string]bool{
	"text/csv":                       true,
	"text/tab-separated-values":      true,
	"text/plain":                     true,
	"application/csv":                true,
	"application/vnd.apache.parquet": true,
	"application/x-parquet":          true,
	"application/octet-stream":       true,
}

const acceptedTypes = "multipart/form-data, text/csv, application/vnd.apache.parquet (or text/tab-separated-values, text/plain, application/octet-stream)"

// open reads the request up to the file's first bytes: the plan (when
// wantPlan), the file's name and format, and opens it.
func (h *handler) open(r *http.Request, wantPlan bool) (*input, error) {
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		return nil, &apiError{http.StatusUnsupportedMediaType, "unsupported_media_type", "no Content-Type: send " + acceptedTypes}
	}
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return nil, &apiError{http.StatusUnsupportedMediaType, "unsupported_media_type", oneLine(fmt.Sprintf("Content-Type %q: %v", ct, err))}
	}
	multi := mt == "multipart/form-data"
	if !multi && !rawTypes[mt] {
		return nil, &apiError{http.StatusUnsupportedMediaType, "unsupported_media_type", fmt.Sprintf("Content-Type %s is not accepted: send %s", mt, acceptedTypes)}
	}
	limit := h.c.MaxBodyBytes
	if !multi && (mt == "application/vnd.apache.parquet" || mt == "application/x-parquet") {
		limit = min(limit, h.c.MaxParquetBytes)
	}
	body := &limitedReader{r: r.Body, max: limit}
	if r.ContentLength > limit {
		return nil, body.tooLarge()
	}

	q := r.URL.Query()
	in := &input{body: body, close: func() {}}
	name := cleanName(q.Get("name"))
	var user *plan.Plan
	if wantPlan {
		if s := q.Get("plan"); s != "" {
			if len(s) > maxPlanBytes {
				return nil, badInput("plan: over %d bytes", maxPlanBytes)
			}
			if user, err = plan.Parse(strings.NewReader(s)); err != nil {
				return nil, badInput("%s", err.Error())
			}
		}
	}
	var file io.Reader
	if !multi {
		file = body
	} else {
		boundary := params["boundary"]
		if boundary == "" {
			return nil, badInput("multipart: no boundary in Content-Type")
		}
		in.mr = multipart.NewReader(body, boundary)
		for file == nil {
			part, err := in.mr.NextPart()
			if err == io.EOF {
				return nil, badInput("multipart: no file part")
			}
			if err != nil {
				return nil, in.fail(fmt.Errorf("multipart: %v", err))
			}
			switch part.FormName() {
			case "plan":
				if !wantPlan {
					part.Close()
					continue
				}
				if user != nil {
					return nil, badInput("plan given twice (?plan= and a plan part)")
				}
				data, err := io.ReadAll(io.LimitReader(part, maxPlanBytes+1))
				if err != nil {
					return nil, in.fail(fmt.Errorf("multipart: %v", err))
				}
				if len(data) > maxPlanBytes {
					return nil, badInput("plan: over %d bytes", maxPlanBytes)
				}
				if user, err = plan.Parse(strings.NewReader(string(data))); err != nil {
					if fn := cleanName(part.FileName()); fn != "" {
						return nil, badInput("%s: %v", fn, err)
					}
					return nil, badInput("%s", err.Error())
				}
			case "file":
				if name == "" {
					name = cleanName(part.FileName())
				}
				file = part
			default:
				part.Close() // other fields are ignored
			}
		}
	}
	in.plan = user

	opts := engine.ReaderOptions("", user)
	opts.Name = name
	br := bufio.NewReaderSize(file, 64<<10)
	head, _ := br.Peek(4)
	if ingest.IsParquet(head) {
		// Parquet: buffer it, then open it exactly as the CLI opens a file.
		max := h.c.MaxParquetBytes
		data, err := io.ReadAll(io.LimitReader(br, max+1))
		if err != nil {
			return nil, in.fail(fmt.Errorf("%s: read error: %v", displayName(name), err))
		}
		if int64(len(data)) > max {
			return nil, &apiError{http.StatusRequestEntityTooLarge, "too_large",
				fmt.Sprintf("the Parquet file is over the limit of %d bytes (Parquet is held in memory whole; CSV is streamed, up to %d bytes)", max, h.c.MaxBodyBytes)}
		}
		src, err := ingest.Open(name, bytes.NewReader(data), int64(len(data)), opts)
		if err != nil {
			return nil, in.fail(err)
		}
		in.src = src
		return in, nil
	}
	// CSV: streamed through the core as the body arrives.
	src, err := ingest.OpenCSV(br, opts)
	if err != nil {
		return nil, in.fail(err)
	}
	if ext := strings.ToLower(path.Ext(name)); parquetExts[ext] {
		// What ingest.Open says of a file so named (it cannot stream).
		src = &noted{src, fmt.Sprintf("the file is named %s but is not Parquet (no PAR1 magic); read as CSV", ext)}
	}
	in.src = src
	return in, nil
}

var parquetExts = map[string]bool{".parquet": true, ".parq": true, ".pq": true}

// noted adds a warning to a source's Info, as ingest.Open does.
type noted struct {
	ingest.Source
	note string
}

func (s *noted) Info() ingest.Info {
	in := s.Source.Info()
	in.Warnings = append([]string{s.note}, in.Warnings...)
	return in
}

// cleanName keeps the last path element of a client-supplied name, bounded,
// without control characters.
func cleanName(s string) string {
	s = strings.ReplaceAll(s, "\\", "/")
	if i := strings.LastIndexByte(s, '/'); i >= 0 {
		s = s[i+1:]
	}
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, s)
	if len(s) > maxNameBytes {
		s = strings.ToValidUTF8(s[:maxNameBytes], "")
	}
	return s
}

func displayName(name string) string {
	if name == "" {
		return "input"
	}
	return name
}
