;; Multi-module test: imports from the command mm_command.
(module
  (import "mm_command" "f" (func $f))
  (func (export "call_f") (call $f)))
