;; functional.c: an instance whose exports another instance of the same store imports.
(module
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (memory (export "mem") 1 2)
  (global $counter (export "counter") (mut i32) (i32.const 0))
  (table (export "tab") 2 funcref)
  (func $inc (export "inc") (result i32)
    (global.set $counter (i32.add (global.get $counter) (i32.const 1)))
    (global.get $counter))
  (elem (i32.const 0) $inc))
