;; Two instances of this module call into each other from two threads
;; (c-tests/api/test_cross_threads.c): `enter` calls the native `cross`, which calls `leaf` of
;; the other instance.
(module
  (import "env" "cross" (func $cross (result i32)))
  (func (export "enter") (result i32) (call $cross))
  (func (export "leaf") (result i32) (i32.const 42))
)
