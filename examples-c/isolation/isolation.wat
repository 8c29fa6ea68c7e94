;; examples-c/isolation: the same module instantiated twice; each instance is a compartment.
;; A delegation granted by the host is the only way to reach the other's memory.
(module
  (import "cwamr" "buf_read" (func $buf_read (param externref i32 i32 i32) (result i32)))
  (import "cwamr" "buf_write" (func $buf_write (param externref i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "put") (param $p i32) (param $v i32) (i32.store (local.get $p) (local.get $v)))
  (func (export "get") (param $p i32) (result i32) (i32.load (local.get $p)))
  ;; read 4 bytes at `off` of the delegated window; the status if refused
  (func (export "read_via") (param $h externref) (param $off i32) (result i32)
    (local $st i32)
    (local.set $st (call $buf_read (local.get $h) (local.get $off) (i32.const 2048) (i32.const 4)))
    (if (result i32) (i32.lt_s (local.get $st) (i32.const 0))
      (then (local.get $st))
      (else (i32.load (i32.const 2048)))))
  ;; write v at `off` of the delegated window; the status
  (func (export "write_via") (param $h externref) (param $off i32) (param $v i32) (result i32)
    (i32.store (i32.const 2048) (local.get $v))
    (call $buf_write (local.get $h) (local.get $off) (i32.const 2048) (i32.const 4))))
