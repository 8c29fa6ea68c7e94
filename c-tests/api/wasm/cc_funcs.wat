;; c-tests/api/test_c_api_compat.c: traps, several results, a memory without a maximum,
;; externref globals and tables.
(module
  (memory (export "mem") 1)
  (global (export "gref") (mut externref) (ref.null extern))
  (table (export "tref") 2 externref)
  (func (export "div") (param i32) (result i32) (i32.div_s (i32.const 100) (local.get 0)))
  (func (export "three") (param i32) (result i32 i32 i32)
    (local.get 0) (i32.add (local.get 0) (i32.const 1)) (i32.add (local.get 0) (i32.const 2)))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))
