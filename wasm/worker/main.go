// Command worker is cxaudit on Cloudflare Workers: the HTTP API of
// package server (POST /api/analyze, POST /api/detect, GET /api/health)
// behind github.com/syumai/workers. The static page is served by Workers
// static assets (wrangler.toml), not by Go.
//
// Build with make worker; run locally in workerd with make worker-dev.
// Natively, go run ./wasm/worker serves the same API on :9900 ($PORT).
package main

import (
	"github.com/cxaudit/cxaudit/server"
	"github.com/syumai/workers"
)

func main() {
	workers.Serve(server.FromEnv(getenv))
}
