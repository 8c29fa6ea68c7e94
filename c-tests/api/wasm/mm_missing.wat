;; Multi-module test: a function from a module no reader can provide, and a function of
;; "mm_sub_a" imported with the wrong type; both stay unlinked (calls trap).
(module
  (import "mm_nosuch" "f" (func $f))
  (import "mm_sub_a" "add" (func $add_bad (param i32) (result i32)))
  (func (export "call_missing") (call $f))
  (func (export "call_bad") (result i32) (call $add_bad (i32.const 1))))
