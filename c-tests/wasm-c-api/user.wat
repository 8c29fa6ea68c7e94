;; functional.c: imports a function, a memory, a global and a table from lib.wat.
(module
  (import "lib" "add" (func $add (param i32 i32) (result i32)))
  (import "lib" "mem" (memory 1))
  (import "lib" "counter" (global $c (mut i32)))
  (import "lib" "tab" (table 2 funcref))
  (type $v_i (func (result i32)))
  (func (export "run") (param i32) (result i32)
    (i32.store (i32.const 0) (call $add (local.get 0) (i32.const 10)))
    (drop (call_indirect (type $v_i) (i32.const 0)))
    (i32.add (i32.load (i32.const 0)) (global.get $c))))
