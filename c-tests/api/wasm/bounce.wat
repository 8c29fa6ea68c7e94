;; Natives whose buffer arguments are bounced (c-tests/api/test_bounce.c, capability model
;; section 9 case 19).
(module
  (import "bounce" "fill" (func $fill (param i32 i32 i32)))
  (memory (export "memory") 1)
  (func (export "call_fill") (param i32 i32 i32)
    (call $fill (local.get 0) (local.get 1) (local.get 2)))
)
