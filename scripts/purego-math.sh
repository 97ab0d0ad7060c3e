#!/usr/bin/env bash
# purego-math.sh DIR — write DIR/overlay.json, a `go build -overlay` file that
# makes package math use its portable Go code for Exp, Log and Hypot on
# amd64 instead of the assembly versions.
#
# Why: the browser and the Worker run the engine as js/wasm, where math is
# always the portable Go code; natively on amd64, Exp and Log are assembly
# that can differ from it in the last bit. With this overlay the native CLI
# computes the same bits as the wasm builds, so one input and plan give
# byte-identical result JSON on every host (result-schema.md). Floor, Ceil,
# Trunc, Sqrt, Max and Min are exact everywhere and stay as they are.
set -euo pipefail
dir=${1:?usage: purego-math.sh DIR}
src="$(go env GOROOT)/src/math"
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
stub() { # name, build line, const, func signature
	cat > "$dir/$1" <<GO
$2

package math

// Replaced by cxaudit's scripts/purego-math.sh: use the portable Go code.
const $3 = false

$4 { panic("math: unreachable") }
GO
}
stub exp_asm.go "$(grep -m1 '^//go:build' "$src/exp_asm.go")" haveArchExp 'func archExp(x float64) float64'
stub log_asm.go "$(grep -m1 '^//go:build' "$src/log_asm.go")" haveArchLog 'func archLog(x float64) float64'
stub hypot_asm.go "$(grep -m1 '^//go:build' "$src/hypot_asm.go")" haveArchHypot 'func archHypot(p, q float64) float64'
cat > "$dir/overlay.json" <<JSON
{"Replace": {
  "$src/exp_asm.go": "$dir/exp_asm.go",
  "$src/exp_amd64.s": "",
  "$src/log_asm.go": "$dir/log_asm.go",
  "$src/log_amd64.s": "",
  "$src/hypot_asm.go": "$dir/hypot_asm.go",
  "$src/hypot_amd64.s": ""
}}
JSON
echo "$dir/overlay.json"
