;; examples-c/basic: a tiny module with an exported function and memory.
(module
  (memory (export "memory") 1)
  (func $fib (export "fib") (param i32) (result i32)
    (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
      (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                     (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
  (func (export "scale") (param f64 i64) (result f64)
    (f64.mul (local.get 0) (f64.convert_i64_s (local.get 1)))))
