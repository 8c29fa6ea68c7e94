;; Guest of c-tests/api/test_native_stack.c: a host probe, a pure-wasm recursion and a
;; host <-> wasm re-entry chain (dive -> $dive_wasm through the table -> dive ...).
(module
  (import "env" "probe" (func $probe (result i32)))
  (import "env" "dive" (func $dive (param i32) (result i32)))
  (table (export "table") 2 funcref)
  (elem (i32.const 0) $dive_wasm $trap)
  (func $dive_wasm (param i32) (result i32)
    (call $dive (i32.add (local.get 0) (i32.const 1))))
  (func $trap (param i32) (result i32) unreachable)
  (func $rec (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 0))
      (else (i32.add (call $rec (i32.sub (local.get 0) (i32.const 1))) (i32.const 1)))))
  (func (export "run") (result i32) (call $probe))
  (func (export "rec") (param i32) (result i32) (call $rec (local.get 0)))
  (func (export "dive") (param i32) (result i32) (call $dive (local.get 0))))
