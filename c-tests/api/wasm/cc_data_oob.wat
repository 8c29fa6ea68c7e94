;; c-tests/api/test_c_api_compat.c and test_compat.c: a data segment past the end of memory.
(module
  (memory 1)
  (func (export "size") (result i32) (memory.size))
  (data (i32.const 65535) "ab"))
