;; main(argc, argv) without WASI: returns argc * 1000 + strlen(argv[1]) (test_wasi.c).
(module
  (memory (export "memory") 1)
  (global $result (export "result") (mut i32) (i32.const -1))
  (func $strlen (param $p i32) (result i32)
    (local $n i32)
    (block $done
      (loop $l
        (br_if $done (i32.eqz (i32.load8_u (i32.add (local.get $p) (local.get $n)))))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br $l)))
    (local.get $n))
  (func (export "main") (param $argc i32) (param $argv i32) (result i32)
    (global.set $result
      (i32.add (i32.mul (local.get $argc) (i32.const 1000))
               (call $strlen (i32.load (i32.add (local.get $argv) (i32.const 4))))))
    (global.get $result)))
