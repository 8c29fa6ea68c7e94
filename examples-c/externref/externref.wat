;; examples-c/externref: stores a host object in a table and hands it back.
(module
  (import "env" "describe" (func $describe (param externref) (result i32)))
  (table $objs 4 externref)
  (func (export "store") (param i32 externref) (table.set $objs (local.get 0) (local.get 1)))
  (func (export "load") (param i32) (result externref) (table.get $objs (local.get 0)))
  (func (export "describe_slot") (param i32) (result i32)
    (call $describe (table.get $objs (local.get 0)))))
