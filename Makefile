# cxaudit — build, serve, test.
#
#   make serve   build the browser page (dist/) and serve it on http://127.0.0.1:8080
#   make test    everything CI runs: vet, format, import rules, native
#                tests, the core tests again under GOOS=js GOARCH=wasm, and
#                the browser page's tests in chromium (test-browser)
#   make bench   ingest + metric benchmarks (MB/s), then bench-browser
#   make fuzz    each fuzz target for FUZZTIME (default 10m)

SHELL := /bin/bash
GO ?= go
GOROOT := $(shell $(GO) env GOROOT)
WASM_PATH := $(GOROOT)/lib/wasm:$(PATH)
# js/wasm limits argv+env to ~8 KB: run the wasm tests with a clean env.
WASM_ENV := env -i HOME="$(HOME)" PATH="$(WASM_PATH)" GOCACHE="$(shell $(GO) env GOCACHE)" \
	GOMODCACHE="$(shell $(GO) env GOMODCACHE)" GOPROXY="$(shell $(GO) env GOPROXY)" \
	GOFLAGS="$(shell $(GO) env GOFLAGS)" GOOS=js GOARCH=wasm
FUZZTIME ?= 10m
BIN := bin/cxaudit

.PHONY: all build serve test deps vet fmt-check check-imports test-native test-wasm bench fuzz clean

all: build

deps:
	$(GO) mod download

# The native CLI uses package math's portable Go code (not amd64 assembly)
# for Exp/Log/Hypot, so it computes the same bits as the wasm builds and
# every host gives byte-identical JSON (scripts/purego-math.sh says why).
PUREGO := build/_purego-math/overlay.json
$(PUREGO): scripts/purego-math.sh
	scripts/purego-math.sh build/_purego-math >/dev/null

build: deps $(PUREGO)
	$(GO) build -overlay $(PUREGO) -trimpath -o $(BIN) ./cmd/cxaudit

# `make serve` builds the browser page (dist/, see the browser-app section
# below) and serves it on http://127.0.0.1:8080 (PORT=… to change).
serve: serve-web

test: deps vet fmt-check check-imports test-native test-wasm test-browser test-worker

# vet checks the wasm build too: its hand-written WebAssembly (*_wasm.s)
# is checked against the Go declarations only by a vet of that build.
vet:
	$(GO) vet ./...
	GOOS=js GOARCH=wasm $(GO) vet ./core/... ./wasm/...

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

# core/ is plain Go: no syscall/js, no net/http, no host packages; and
# only wasm/ may touch syscall/js or syumai/workers.
check-imports:
	@bad=$$(grep -rlE '"(syscall/js|net/http|github.com/syumai/workers)' core/ || true); \
	if [ -n "$$bad" ]; then echo "forbidden import in core/:"; echo "$$bad"; exit 1; fi
	@bad=$$(grep -rlE --include='*.go' '"(syscall/js|github.com/syumai/workers)' . | grep -v '^./wasm/' || true); \
	if [ -n "$$bad" ]; then echo "syscall/js or syumai/workers outside wasm/:"; echo "$$bad"; exit 1; fi

# The packages with hand-written assembly are tested a second time with
# -tags purego: their Go loops, which every other architecture runs.
test-native: $(PUREGO)
	$(GO) test -overlay $(PUREGO) -count=1 ./...
	$(GO) test -overlay $(PUREGO) -count=1 -tags purego ./core/ingest/ ./core/metric/ ./core/cell/

test-wasm:
	$(WASM_ENV) $(GO) test -count=1 ./core/...

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./core/...
	@$(MAKE) --no-print-directory bench-browser

fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzCSV$$' -fuzztime $(FUZZTIME) ./core/ingest/
	$(GO) test -run '^$$' -fuzz '^FuzzCSVParts$$' -fuzztime $(FUZZTIME) ./core/ingest/
	$(GO) test -run '^$$' -fuzz '^FuzzParquet$$' -fuzztime $(FUZZTIME) ./core/ingest/
	$(GO) test -run '^$$' -fuzz '^FuzzDetect$$' -fuzztime $(FUZZTIME) ./core/detect/
	$(GO) test -run '^$$' -fuzz '^FuzzPlan$$' -fuzztime $(FUZZTIME) ./core/plan/
	$(GO) test -run '^$$' -fuzz '^FuzzTimestamp$$' -fuzztime $(FUZZTIME) ./core/cell/

clean:
	rm -rf bin dist build

# ---- browser app (issue 3) ------------------------------------------------
# Owned by the browser-app work: wasm/browser, web/, index.html, scripts/
# serve.mjs and build-web.mjs, tests/browser, package.json. dist/ is the
# whole static site (page, bundled JS, wasm + .br/.gz, wasm_exec.js copied
# from this Go toolchain, samples, service worker).
#
#   make web            build dist/
#   make serve-web      build, then serve dist/ on http://127.0.0.1:8080
#   make test-browser   unit tests of web/lib, then the page in chromium
#   make test-browser-1gb   the 1 GB streaming/memory test (slow, not in make test)
#   make bench-ready    page ready (navigation → engine up), cold and warm
#                       visits, median of ROUNDS=7 (scripts/bench/ready.mjs)

WEB_DIST := dist
NODE_STAMP := node_modules/.cxaudit-npm-ci
WASM_SRC := $(shell find wasm/browser core samples -name '*.go' -o -name '*.csv' 2>/dev/null) go.mod go.sum
CHROMIUM ?= /usr/bin/chromium

.PHONY: web dist serve-web test-browser test-browser-unit test-browser-1gb chromium-dep bench-ready

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

$(WEB_DIST)/cxaudit.wasm: $(WASM_SRC)
	@mkdir -p $(WEB_DIST)
	GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags='-s -w' -o $@ ./wasm/browser

web: deps $(NODE_STAMP) $(WEB_DIST)/cxaudit.wasm
	GOROOT_WASM="$(GOROOT)" node scripts/build-web.mjs --out $(WEB_DIST)

dist: web

serve-web: web
	PORT=$${PORT:-8080} node scripts/serve.mjs $(WEB_DIST)

chromium-dep:
	@command -v chromium >/dev/null || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium)

test-browser-unit: $(NODE_STAMP)
	@bad=$$(grep -L '^//go:build js && wasm' wasm/browser/*.go || true); \
	if [ -n "$$bad" ]; then echo "missing //go:build js && wasm:"; echo "$$bad"; exit 1; fi
	node --test web/lib/

test-browser: build web chromium-dep test-browser-unit
	CXAUDIT_BIN="$(CURDIR)/$(BIN)" CHROMIUM="$(CHROMIUM)" node --test --test-concurrency=1 tests/browser/

bench-ready: web chromium-dep $(NODE_STAMP)
	CHROMIUM="$(CHROMIUM)" node scripts/bench/ready.mjs

test-browser-1gb: build web chromium-dep
	CXAUDIT_BIN="$(CURDIR)/$(BIN)" CHROMIUM="$(CHROMIUM)" CXAUDIT_1GB=1 node --test tests/browser/large.test.mjs

# Huge files (issue 6), tests/browser/large.test.mjs: a generated 5 GB CSV
# (scripts/huge-csv.mjs, written to a temporary directory and deleted at
# the end; CXAUDIT_HUGE_CSV=FILE reuses one, CXAUDIT_HUGE_BYTES=SIZE
# changes the size). Slow (minutes), not in make test.
#   make test-browser-5gb   through the page on the default workers: RSS
#                           flat, every row; Cancel latency; usable after
#   make test-cli-huge      /usr/bin/time -v cxaudit analyze on 500 MB and
#                           5 GB (-jobs 1, -jobs 2) and 500 MB on stdin:
#                           max RSS independent of the size
.PHONY: test-browser-5gb test-cli-huge

test-browser-5gb: build web chromium-dep
	CXAUDIT_BIN="$(CURDIR)/$(BIN)" CHROMIUM="$(CHROMIUM)" CXAUDIT_5GB=1 node --test tests/browser/large.test.mjs

test-cli-huge: build $(NODE_STAMP)
	CXAUDIT_BIN="$(CURDIR)/$(BIN)" CXAUDIT_CLI_HUGE=1 node --test tests/browser/large.test.mjs

# ---- Cloudflare Worker (issue 4) ------------------------------------------
# Owned by the Worker work: wasm/worker, server/, wrangler.toml,
# scripts/worker-test (its own package.json: miniflare v4 + wrangler).
#
#   make worker        build/worker (syumai/workers shim + app.wasm) and
#                      build/worker-assets (dist/ + _headers); needs dist/
#                      (make web) unless WORKER_DIST names another directory
#   make worker-dev    run it in workerd on http://127.0.0.1:8787
#   make test-worker   the built Worker in workerd (miniflare): page headers,
#                      oracle cases vs the CLI, errors, 200 concurrent requests
#   make worker-size   raw and gzip size of the Worker's wasm

WORKER_OUT := build/worker
WORKER_ASSETS := build/worker-assets
WORKER_DIST ?= $(WEB_DIST)
WORKER_NPM_STAMP := scripts/worker-test/node_modules/.cxaudit-npm-ci
WORKER_GO_SRC := $(shell find wasm/worker server core -name '*.go' 2>/dev/null) go.mod go.sum

.PHONY: worker worker-wasm worker-dev test-worker worker-size

$(WORKER_NPM_STAMP): scripts/worker-test/package.json scripts/worker-test/package-lock.json
	cd scripts/worker-test && npm ci --no-audit --no-fund
	@touch $@

# The JS shim (worker.mjs, runtime.mjs, its patched wasm_exec.js) comes
# from the pinned syumai/workers (style.md §3: run from inside the module,
# without @version).
$(WORKER_OUT)/worker.mjs: go.mod go.sum
	@mkdir -p $(WORKER_OUT)
	$(GO) run github.com/syumai/workers/cmd/workers-assets-gen -mode=go -o $(WORKER_OUT)
	@touch $@

$(WORKER_OUT)/app.wasm: $(WORKER_GO_SRC)
	@mkdir -p $(WORKER_OUT)
	GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags='-s -w' -o $@ ./wasm/worker

worker-wasm: deps $(WORKER_OUT)/worker.mjs $(WORKER_OUT)/app.wasm

worker: worker-wasm
	node scripts/worker-test/stage-assets.mjs $(WORKER_DIST) $(WORKER_ASSETS)
	@$(MAKE) --no-print-directory worker-size

worker-size: $(WORKER_OUT)/app.wasm
	@raw=$$(stat -c %s $<); gz=$$(gzip -9 -c $< | wc -c); \
	echo "worker wasm: $$raw bytes raw, $$gz bytes gzip -9 ($<)"

# The page if it is built, else the small fixture (the dev server says so).
worker-dev: worker-wasm $(WORKER_NPM_STAMP)
	node scripts/worker-test/stage-assets.mjs --fixture-if-missing $(WORKER_DIST) $(WORKER_ASSETS)
	node scripts/worker-test/dev.mjs

# The CLI twice (native, and js/wasm run in node) to compare with.
build/cxaudit-cli.wasm: $(shell find cmd core samples -name '*.go' -o -name '*.csv' 2>/dev/null) go.mod go.sum
	@mkdir -p build
	GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags='-s -w' -o $@ ./cmd/cxaudit

test-worker: build worker-wasm build/cxaudit-cli.wasm $(WORKER_NPM_STAMP)
	node scripts/worker-test/stage-assets.mjs --fixture-if-missing $(WORKER_DIST) $(WORKER_ASSETS)
	cd scripts/worker-test && CXAUDIT_BIN="$(CURDIR)/$(BIN)" CXAUDIT_CLI_WASM="$(CURDIR)/build/cxaudit-cli.wasm" \
		GO_WASM_EXEC="$(GOROOT)/lib/wasm/wasm_exec_node.js" node --test --test-concurrency=1 test/
# ---- end Cloudflare Worker -------------------------------------------------

# ---- browser benchmark (issue 5) --------------------------------------------
# Owned by the benchmark work: scripts/bench (its own package.json:
# @duckdb/duckdb-wasm, papaparse, hyparquet, hyparquet-writer,
# playwright-core). The page (dist/) against DuckDB-WASM, PapaParse + JS and
# hyparquet + JS on a generated survey export (dist/bench/, not committed),
# CSV and Parquet, in Debian's chromium; tables in dist/bench/results.md.
#
#   make bench-browser                      100k and 1M rows, 5 runs each
#   make bench-browser ROWS=100000 RUNS=3   a quick run (see scripts/bench/README.md)

BENCH_NPM_STAMP := scripts/bench/node_modules/.cxaudit-npm-ci

.PHONY: bench-browser

$(BENCH_NPM_STAMP): scripts/bench/package.json scripts/bench/package-lock.json
	cd scripts/bench && npm ci --no-audit --no-fund
	@touch $@

bench-browser: web chromium-dep $(BENCH_NPM_STAMP)
	CHROMIUM="$(CHROMIUM)" node scripts/bench/run.mjs
# ---- end browser benchmark -----------------------------------------------------
