;; finalize: a small module instantiated many times; host info finalizers are counted.
(module
  (func (export "f"))
  (func (export "g") (result i32) (i32.const 7))
  (memory (export "m") 1 1))
