;; Multi-module test: sub-module "mm_sub_b", exports a funcref table whose entry 0 returns 99.
(module
  (table (export "tab") 2 funcref)
  (func $ninety_nine (result i32) (i32.const 99))
  (elem (i32.const 0) $ninety_nine))
