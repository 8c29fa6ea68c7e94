;; examples-c/isolation: the same module instantiated twice; each instance is a compartment.
(module
  (memory (export "memory") 1)
  (func (export "put") (param $p i32) (param $v i32) (i32.store (local.get $p) (local.get $v)))
  (func (export "get") (param $p i32) (result i32) (i32.load (local.get $p))))
