//go:build !js || !wasm

package main

import "os"

// getenv reads a variable of the process environment (go run ./wasm/worker).
func getenv(name string) string { return os.Getenv(name) }
