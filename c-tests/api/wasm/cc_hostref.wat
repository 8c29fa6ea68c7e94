;; c-tests/api/test_c_api_compat.c: host references stored in a global and a table and passed
;; through a host function come back as the wasm_ref_t the program holds (WAMR's hostref).
(module
  (import "" "f" (func $f (param externref) (result externref)))
  (global $g (export "g") (mut externref) (ref.null extern))
  (table $t (export "t") 3 externref)
  (func (export "global_set") (param externref) (global.set $g (local.get 0)))
  (func (export "global_get") (result externref) (global.get $g))
  (func (export "table_set") (param i32 externref) (table.set $t (local.get 0) (local.get 1)))
  (func (export "table_get") (param i32) (result externref) (table.get $t (local.get 0)))
  (func (export "func_call") (param externref) (result externref) (call $f (local.get 0))))
