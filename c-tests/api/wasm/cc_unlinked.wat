;; c-tests/api/test_c_api_compat.c: a function import no native provides (WAMR logs
;; `failed to link function (, hello)` at wasm_module_validate and wasm_module_new).
(module
  (import "" "hello" (func $hello))
  (func (export "run") (call $hello)))
