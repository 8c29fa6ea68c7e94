;; functional.c: a host function that calls back into the same instance, reads its memory
;; and grows it; an unlinked import.
(module
  (import "" "host" (func $host (param i32) (result i32)))
  (import "" "missing" (func $missing))
  (memory (export "mem") 1 4)
  (func (export "double") (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2)))
  (func (export "entry") (param i32) (result i32)
    (i32.store (i32.const 16) (local.get 0))
    (call $host (local.get 0)))
  (func (export "size") (result i32) (memory.size))
  (func (export "call_missing") (call $missing)))
