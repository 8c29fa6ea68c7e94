;; Multi-module test: a WASI command (exports _start) cannot be a sub-module.
(module
  (func (export "_start"))
  (func (export "f")))
