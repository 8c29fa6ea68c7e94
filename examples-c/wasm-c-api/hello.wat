;; hello: a module that calls back into the host.
(module
  (func $hello (import "" "hello"))
  (func (export "run") (call $hello)))
