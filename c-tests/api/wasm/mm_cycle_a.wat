;; Multi-module test: "mm_cycle_a" and "mm_cycle_b" import from each other.
(module
  (import "mm_cycle_b" "fb" (func $fb (result i32)))
  (func (export "fa") (result i32) (i32.const 1))
  (func (export "call_b") (result i32) (call $fb)))
