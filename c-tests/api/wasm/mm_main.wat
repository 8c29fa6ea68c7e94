;; Multi-module test: the main module imports a function, a global and a memory from
;; "mm_sub_a" and a table from "mm_sub_b" (resolved through the module reader).
(module
  (import "mm_sub_a" "add" (func $add (param i32 i32) (result i32)))
  (import "mm_sub_a" "bump" (func $bump (result i32)))
  (import "mm_sub_a" "counter" (global $counter (mut i32)))
  (import "mm_sub_a" "mem" (memory 1))
  (import "mm_sub_b" "tab" (table 1 funcref))
  (type $r (func (result i32)))
  (func (export "sum") (param i32 i32) (result i32) (call $add (local.get 0) (local.get 1)))
  (func (export "bump") (result i32) (call $bump))
  (func (export "counter") (result i32) (global.get $counter))
  (func (export "set_counter") (param i32) (global.set $counter (local.get 0)))
  (func (export "byte0") (result i32) (i32.load8_u (i32.const 0)))
  (func (export "poke0") (param i32) (i32.store8 (i32.const 0) (local.get 0)))
  (func (export "tab0") (result i32) (call_indirect (type $r) (i32.const 0))))
