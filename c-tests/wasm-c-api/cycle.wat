;; ownership.c: a module touching every kind of object, instantiated 10 000 times.
(module
  (import "" "cb" (func $cb (param externref i32) (result externref i32)))
  (import "" "g_in" (global $g_in i32))
  (memory (export "mem") 1 2)
  (table (export "tab") 1 3 externref)
  (global (export "g") (mut i32) (i32.const 0))
  (func (export "call") (param externref i32) (result externref i32)
    (call $cb (local.get 0) (i32.add (local.get 1) (global.get $g_in))))
  (func (export "trap") (unreachable))
  (func (export "store") (param i32 i32) (i32.store (local.get 0) (local.get 1))))
