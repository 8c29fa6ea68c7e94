;; threads: each thread instantiates this module in its own store with its own imports.
(module
  (func $message (import "" "hello") (param i32))
  (global $id (import "" "id") i32)
  (func (export "run") (call $message (global.get $id))))
