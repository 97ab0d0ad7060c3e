//go:build js && wasm

package main

import "github.com/syumai/workers/cloudflare"

// getenv reads a variable of the Worker's environment ([vars] in
// wrangler.toml, or a secret).
func getenv(name string) string { return cloudflare.Getenv(name) }
