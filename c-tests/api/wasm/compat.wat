;; Guest of c-tests/api/test_compat.c: WAMR compatibility cases of issue 10.
(module
  (import "env" "raw_sum" (func $raw_sum (param i32 i32) (result i32)))
  (import "env" "raw_strlen" (func $raw_strlen (param i32) (result i32)))
  (import "env" "raw_touch" (func $raw_touch (param i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 100) "abcdef\00")
  (func (export "call_raw_sum") (param i32 i32) (result i32)
    (call $raw_sum (local.get 0) (local.get 1)))
  (func (export "call_raw_strlen") (param i32) (result i32)
    (call $raw_strlen (local.get 0)))
  (func (export "call_raw_touch") (param i32) (result i32)
    (call $raw_touch (local.get 0)))
)
