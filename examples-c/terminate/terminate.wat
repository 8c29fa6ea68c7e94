;; examples-c/terminate: a function that never returns on its own.
(module
  (global $n (mut i64) (i64.const 0))
  (func (export "forever")
    (loop $l
      (global.set $n (i64.add (global.get $n) (i64.const 1)))
      (br $l)))
  (func (export "ping") (result i32) (i32.const 1)))
