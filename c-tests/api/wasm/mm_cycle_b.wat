;; Multi-module test: see mm_cycle_a.wat.
(module
  (import "mm_cycle_a" "fa" (func $fa (result i32)))
  (func (export "fb") (result i32) (i32.add (call $fa) (i32.const 1))))
