;; examples-c/native-lib: imports host functions described by signature strings.
(module
  (import "env" "log_str" (func $log_str (param i32) (result i32)))
  (import "env" "checksum" (func $checksum (param i32 i32) (result i32)))
  (import "env" "counter_next" (func $counter_next (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "greetings from wasm\00")
  (data (i32.const 128) "\01\02\03\04\05\06\07\08")
  (func (export "run") (result i32)
    (drop (call $log_str (i32.const 64)))
    (drop (call $counter_next))
    (drop (call $counter_next))
    (i32.add (call $checksum (i32.const 128) (i32.const 8)) (call $counter_next))))
