;; trap: a trap raised by a host callback, and one raised by WebAssembly.
(module
  (func $fail (import "" "fail") (result i32))
  (func (export "callback") (result i32) (call $fail))
  (func $deep (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (unreachable))
      (else (call $deep (i32.sub (local.get 0) (i32.const 1))))))
  (func (export "unreachable") (result i32) (call $deep (i32.const 3))))
