;; c-tests/api/test_c_api_compat.c: a start function that traps.
(module
  (func $start (drop (i32.div_s (i32.const 1) (i32.const 0))))
  (start $start))
