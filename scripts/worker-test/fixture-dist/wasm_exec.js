// fixture: stands for the Go toolchain wasm_exec.js
