;; Guest of c-tests/api/test_shared_heap.c: WAMR's shared-heap natives, loads and stores of
;; every width, the fused forms, bulk memory operations and native pointer arguments, all on
;; addresses the host passes in (linear memory or the shared heap at the top of the 32-bit
;; space). Rebuild: scripts/build-test-wasm.sh
(module
  (import "env" "shared_heap_malloc" (func $malloc (param i32) (result i32)))
  (import "env" "shared_heap_free" (func $free (param i32)))
  (import "env" "host_strlen" (func $host_strlen (param i32) (result i32)))
  (import "env" "host_sum" (func $host_sum (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "hello from A\00")
  (data $passive "PASSV")

  (func (export "alloc") (param i32) (result i32) (call $malloc (local.get 0)))
  (func (export "release") (param i32) (call $free (local.get 0)))
  ;; memory.copy of the 13-byte string at 16 (linear memory) to $dst
  (func (export "put") (param $dst i32)
    (memory.copy (local.get $dst) (i32.const 16) (i32.const 13)))

  (func (export "load8") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "load8s") (param i32) (result i32) (i32.load8_s (local.get 0)))
  (func (export "load16") (param i32) (result i32) (i32.load16_u (local.get 0)))
  (func (export "load32") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "load64") (param i32) (result i64) (i64.load (local.get 0)))
  (func (export "load64_32s") (param i32) (result i64) (i64.load32_s (local.get 0)))
  (func (export "load_off4") (param i32) (result i32) (i32.load offset=4 (local.get 0)))
  (func (export "store8") (param i32 i32) (i32.store8 (local.get 0) (local.get 1)))
  (func (export "store16") (param i32 i32) (i32.store16 (local.get 0) (local.get 1)))
  (func (export "store32") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
  (func (export "store64") (param i32 i64) (i64.store (local.get 0) (local.get 1)))
  (func (export "store_off8") (param i32 i32) (i32.store offset=8 (local.get 0) (local.get 1)))

  ;; fused forms: f64 load then add, f64 add then store, add-imm then load, load then branch
  (func (export "fadd") (param i32) (result f64)
    (f64.add (f64.load (local.get 0)) (f64.const 1.5)))
  (func (export "fstore") (param i32 f64 f64)
    (f64.store (local.get 0) (f64.add (local.get 1) (local.get 2))))
  (func (export "load_at8") (param i32) (result i32)
    (i32.load (i32.add (local.get 0) (i32.const 8))))
  ;; strlen in wasm: a load8 + branch loop
  (func (export "wstrlen") (param $p i32) (result i32) (local $n i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (i32.load8_u (i32.add (local.get $p) (local.get $n)))))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $n))
  ;; number of leading i32 words below $limit: a load + compare-and-branch loop
  (func (export "count_below") (param $p i32) (param $limit i32) (result i32) (local $n i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (i32.load (local.get $p)) (local.get $limit)))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $n))

  (func (export "fill") (param i32 i32 i32)
    (memory.fill (local.get 0) (local.get 1) (local.get 2)))
  (func (export "copy") (param i32 i32 i32)
    (memory.copy (local.get 0) (local.get 1) (local.get 2)))
  (func (export "init") (param i32)
    (memory.init $passive (local.get 0) (i32.const 0) (i32.const 5)))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))

  (func (export "strlen_native") (param i32) (result i32) (call $host_strlen (local.get 0)))
  (func (export "sum_native") (param i32 i32) (result i32)
    (call $host_sum (local.get 0) (local.get 1)))
)
