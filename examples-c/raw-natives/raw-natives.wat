;; examples-c/raw-natives: imports a raw native (arguments as a uint64_t array).
(module
  (import "env" "muladd" (func $muladd (param i32 i64 f64) (result f64)))
  (func (export "run") (result f64)
    (call $muladd (i32.const 3) (i64.const 4) (f64.const 0.5))))
