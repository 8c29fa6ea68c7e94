;; Multi-module test: sub-module "mm_sub_a" (test_multi_module.c). Exports a function, a
;; mutable global (set to 100 by the start function), a memory holding "A" at 0, and a
;; function that counts its calls in that global.
(module
  (global $counter (export "counter") (mut i32) (i32.const 0))
  (memory (export "mem") 1 4)
  (data (i32.const 0) "A")
  (func (export "add") (param i32 i32) (result i32)
    (i32.add (local.get 0) (local.get 1)))
  (func (export "bump") (result i32)
    (global.set $counter (i32.add (global.get $counter) (i32.const 1)))
    (global.get $counter))
  (func $start (global.set $counter (i32.const 100)))
  (start $start))
