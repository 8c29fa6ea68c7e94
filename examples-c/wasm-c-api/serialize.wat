;; serialize: a module that survives serialization and deserialization.
(module
  (func $hello (import "" "hello"))
  (func (export "run") (call $hello))
  (func (export "square") (param i32) (result i32) (i32.mul (local.get 0) (local.get 0))))
