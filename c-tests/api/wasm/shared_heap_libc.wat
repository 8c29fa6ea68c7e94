;; Guest of c-tests/api/test_shared_heap_libc.c: what WAMR's shared-heap samples do with
;; libc-builtin (imports from env, as a -nostdlib guest on WAMR's sysroot has them): snprintf
;; into a block from shared_heap_malloc or into a pre-allocated heap, printf("%s") of a heap
;; string, strlen/memcpy on heap pointers. The va_list area is at 128. Rebuild:
;; scripts/build-test-wasm.sh
(module
  (import "env" "shared_heap_malloc" (func $malloc (param i32) (result i32)))
  (import "env" "shared_heap_free" (func $free (param i32)))
  (import "env" "snprintf" (func $snprintf (param i32 i32 i32 i32) (result i32)))
  (import "env" "printf" (func $printf (param i32 i32) (result i32)))
  (import "env" "strlen" (func $strlen (param i32) (result i32)))
  (import "env" "memcpy" (func $memcpy (param i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "buf %u from the shared heap\00")
  (data (i32.const 64) "received: %s\0a\00")

  ;; my_shared_heap_malloc: a heap block of $size bytes holding "buf <index> from ..."
  (func (export "produce") (param $size i32) (param $index i32) (result i32) (local $buf i32)
    (local.set $buf (call $malloc (local.get $size)))
    (if (i32.eqz (local.get $buf)) (then (return (i32.const 0))))
    (i32.store (i32.const 128) (local.get $index))
    (drop (call $snprintf (local.get $buf) (local.get $size) (i32.const 16) (i32.const 128)))
    (local.get $buf))
  ;; produce_str: the same string written at $addr (512 bytes, e.g. a pre-allocated heap)
  (func (export "produce_at") (param $addr i32) (param $index i32) (result i32)
    (i32.store (i32.const 128) (local.get $index))
    (drop (call $snprintf (local.get $addr) (i32.const 512) (i32.const 16) (i32.const 128)))
    ;; actually read it in wasm too
    (i32.load8_u (local.get $addr)))
  ;; print_buf: printf("received: %s\n", buf); the number of bytes printed
  (func (export "consume") (param $buf i32) (result i32)
    (i32.store (i32.const 128) (local.get $buf))
    (call $printf (i32.const 64) (i32.const 128)))
  (func (export "release") (param i32) (call $free (local.get 0)))
  (func (export "len") (param i32) (result i32) (call $strlen (local.get 0)))
  (func (export "copy") (param i32 i32 i32) (result i32)
    (call $memcpy (local.get 0) (local.get 1) (local.get 2)))
)
