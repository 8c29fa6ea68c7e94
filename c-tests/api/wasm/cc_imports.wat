;; c-tests/api/test_c_api_compat.c: a function import and a global import.
(module
  (import "m" "f" (func $f))
  (import "m" "g" (global i32))
  (func (export "call_f") (call $f)))
