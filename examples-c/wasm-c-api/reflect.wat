;; reflect: one export of each kind, for the type-reflection functions.
(module
  (func (export "func") (param i32 f64 f32) (result i32) (unreachable))
  (global (export "global") f64 (f64.const 0))
  (table (export "table") 0 50 funcref)
  (memory (export "memory") 1)
  (func (export "multi") (param i64) (result i32 i64) (i32.const 0) (local.get 0))
  (global (export "mutable") (mut i32) (i32.const 1)))
