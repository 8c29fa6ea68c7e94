;; c-tests/api/test_c_api_compat.c and test_compat.c: an element segment past the end of the table.
(module
  (table 1 funcref)
  (func $f)
  (elem (i32.const 1) $f))
