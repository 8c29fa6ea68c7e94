//! `Alloc_With_Pool` / `Alloc_With_Allocator` end to end, through the C API: every runtime
//! allocation in the embedder's pool (or from its functions), nothing left at destroy, clean
//! failures on exhaustion, the runtime usable again afterwards.
//!
//! Own binary without the libtest harness: the allocation source is process-wide, so nothing
//! else (test threads, output capture) may allocate while a pool is lent.

use std::ffi::{CStr, c_char, c_uint, c_void};
use std::sync::atomic::{AtomicUsize, Ordering};

use cwamr::capi::wamr::call::{wasm_runtime_call_wasm, wasm_runtime_lookup_function};
use cwamr::capi::wamr::ctypes::*;
use cwamr::capi::wamr::exec_env::{wasm_runtime_create_exec_env, wasm_runtime_destroy_exec_env};
use cwamr::capi::wamr::instance::{wasm_runtime_deinstantiate, wasm_runtime_instantiate};
use cwamr::capi::wamr::memory::{wasm_runtime_module_free, wasm_runtime_module_malloc};
use cwamr::capi::wamr::module::{wasm_runtime_load, wasm_runtime_unload};
use cwamr::capi::wamr::pool_mode::last_leftover;
use cwamr::capi::wamr::runtime::*;

const FIB: &[u8] = include_bytes!("../examples-c/wasm/fib.wasm");
const BASIC: &[u8] = include_bytes!("../c-tests/api/wasm/basic.wasm");

fn pool_args(buf: &mut [u8]) -> RuntimeInitArgs {
    // SAFETY: RuntimeInitArgs is plain C data; all-zero is its documented default.
    let mut a: RuntimeInitArgs = unsafe { std::mem::zeroed() };
    a.mem_alloc_type = Alloc_With_Pool;
    a.mem_alloc_option.pool = MemAllocPool {
        heap_buf: buf.as_mut_ptr().cast(),
        heap_size: buf.len() as u32,
    };
    a
}

fn info() -> mem_alloc_info_t {
    let mut i = mem_alloc_info_t::default();
    // SAFETY: `i` is writable.
    assert!(unsafe { wasm_runtime_get_mem_alloc_info(&mut i) });
    i
}

fn err_text(e: &[c_char]) -> String {
    // SAFETY: the runtime NUL-terminates the error buffer.
    unsafe { CStr::from_ptr(e.as_ptr()) }
        .to_string_lossy()
        .into_owned()
}

fn load(bytes: &[u8]) -> Result<wasm_module_t, String> {
    let mut copy = bytes.to_vec();
    let mut err = [0 as c_char; 128];
    // SAFETY: own buffers with their lengths.
    let m =
        unsafe { wasm_runtime_load(copy.as_mut_ptr(), copy.len() as u32, err.as_mut_ptr(), 128) };
    if m.is_null() {
        Err(err_text(&err))
    } else {
        Ok(m)
    }
}

fn instantiate(m: wasm_module_t) -> Result<wasm_module_inst_t, String> {
    let mut err = [0 as c_char; 128];
    // SAFETY: as above.
    let i = unsafe { wasm_runtime_instantiate(m, 16 * 1024, 16 * 1024, err.as_mut_ptr(), 128) };
    if i.is_null() {
        Err(err_text(&err))
    } else {
        Ok(i)
    }
}

fn call1(inst: wasm_module_inst_t, name: &CStr, argv: &mut [u32]) -> bool {
    // SAFETY: NUL-terminated name; `argv` is large enough for the functions used here.
    unsafe {
        let f = wasm_runtime_lookup_function(inst, name.as_ptr());
        assert!(!f.is_null());
        let env = wasm_runtime_create_exec_env(inst, 16 * 1024);
        assert!(!env.is_null());
        let ok = wasm_runtime_call_wasm(env, f, argv.len() as u32, argv.as_mut_ptr());
        wasm_runtime_destroy_exec_env(env);
        ok
    }
}

fn inside(buf: &[u8], p: *mut c_void) -> bool {
    let a = p as usize;
    a >= buf.as_ptr() as usize && a < buf.as_ptr() as usize + buf.len()
}

/// Load + instantiate + call + module_malloc + wasm_runtime_malloc/realloc in a pool; returns
/// the pool's high-water mark after a load + instantiate of `bytes`.
fn pool_round(buf: &mut [u8], bytes: &[u8], unload: bool) -> u32 {
    let mut args = pool_args(buf);
    // SAFETY: valid args; the buffer stays alive until destroy.
    assert!(unsafe { wasm_runtime_full_init(&mut args) });
    let start = info();
    assert!(start.total_size > buf.len() as u32 - 512 && start.total_size < buf.len() as u32);
    let m = load(bytes).unwrap();
    let inst = instantiate(m).unwrap();
    let high = info().highmark_size;
    if bytes == FIB {
        let mut argv = [20u32];
        assert!(call1(inst, c"fib", &mut argv));
        assert_eq!(argv[0], 6765);
    } else {
        let mut argv = [40u32, 2];
        assert!(call1(inst, c"add", &mut argv));
        assert_eq!(argv[0], 42);
    }
    let mut native = std::ptr::null_mut();
    // SAFETY: `native` is writable.
    let off = unsafe { wasm_runtime_module_malloc(inst, 100, &mut native) };
    assert!(off != 0);
    let p = wasm_runtime_malloc(10000);
    assert!(inside(buf, p), "wasm_runtime_malloc outside the pool");
    // SAFETY: `p` is a live runtime block.
    let q = unsafe { wasm_runtime_realloc(p, 20000) };
    assert!(inside(buf, q), "wasm_runtime_realloc outside the pool");
    let a = wasm_runtime_aligned_alloc(256, 64);
    assert!(inside(buf, a) && a as usize % 64 == 0);
    let used = info();
    assert!(used.total_free_size < start.total_free_size - 20000);
    // SAFETY: live blocks.
    unsafe {
        wasm_runtime_free(q);
        wasm_runtime_free(a);
    }
    if unload {
        wasm_runtime_module_free(inst, off);
        wasm_runtime_deinstantiate(inst);
        wasm_runtime_unload(m);
    }
    wasm_runtime_destroy();
    assert_eq!(
        last_leftover().pool_bytes,
        0,
        "runtime memory left in the pool"
    );
    high
}

static USER_MALLOCS: AtomicUsize = AtomicUsize::new(0);
static USER_FREES: AtomicUsize = AtomicUsize::new(0);

unsafe extern "C" fn user_malloc(n: c_uint) -> *mut c_void {
    USER_MALLOCS.fetch_add(1, Ordering::Relaxed);
    // SAFETY: plain C allocation.
    unsafe { libc::malloc(n as usize) }
}
unsafe extern "C" fn user_realloc(p: *mut c_void, n: c_uint) -> *mut c_void {
    if p.is_null() {
        USER_MALLOCS.fetch_add(1, Ordering::Relaxed);
    }
    // SAFETY: `p` is NULL or from `user_malloc`.
    unsafe { libc::realloc(p, n as usize) }
}
unsafe extern "C" fn user_free(p: *mut c_void) {
    USER_FREES.fetch_add(1, Ordering::Relaxed);
    // SAFETY: `p` is from `user_malloc` / `user_realloc`.
    unsafe { libc::free(p) }
}

fn user_round() {
    // SAFETY: as in `pool_args`.
    let mut a: RuntimeInitArgs = unsafe { std::mem::zeroed() };
    a.mem_alloc_type = Alloc_With_Allocator;
    a.mem_alloc_option.allocator = MemAllocAllocator {
        malloc_func: user_malloc as *mut c_void,
        realloc_func: user_realloc as *mut c_void,
        free_func: user_free as *mut c_void,
        user_data: std::ptr::null_mut(),
    };
    let before = String::from("allocated before full_init, freed after it");
    // SAFETY: valid args.
    assert!(unsafe { wasm_runtime_full_init(&mut a) });
    let m0 = USER_MALLOCS.load(Ordering::Relaxed);
    let m = load(BASIC).unwrap();
    let inst = instantiate(m).unwrap();
    let mut argv = [40u32, 2];
    assert!(call1(inst, c"add", &mut argv));
    assert_eq!(argv[0], 42);
    assert!(
        USER_MALLOCS.load(Ordering::Relaxed) > m0,
        "the user's malloc is not used"
    );
    drop(before);
    // A block made in user mode and freed after destroy still goes to the user's free.
    // (black_box: an optimised build would otherwise elide the unused allocation.)
    let kept_across = std::hint::black_box(vec![1u8; 100]);
    wasm_runtime_destroy();
    assert_eq!(last_leftover().user_blocks, 1);
    drop(std::hint::black_box(kept_across));
    assert_eq!(
        USER_MALLOCS.load(Ordering::Relaxed),
        USER_FREES.load(Ordering::Relaxed),
        "user blocks not freed with the user's free"
    );
}

fn exhaustion() {
    // Too small for a load: a clean error, never an abort.
    let mut tiny = vec![0u8; 3000];
    let mut args = pool_args(&mut tiny);
    // SAFETY: valid args; the buffer outlives the runtime.
    assert!(unsafe { wasm_runtime_full_init(&mut args) });
    // (Strings the test itself makes in pool mode must die before destroy.)
    assert_eq!(
        load(FIB).unwrap_err(),
        "WASM module load failed: allocate memory failed"
    );
    assert!(wasm_runtime_malloc(100_000).is_null());
    wasm_runtime_destroy();
    assert_eq!(last_leftover().pool_bytes, 0);

    // Enough for the load but not for the instance.
    let mut small = vec![0u8; 0];
    let mut saw_instantiate_failure = false;
    for size in (8192..400 * 1024).step_by(256) {
        small = vec![0u8; size];
        let mut args = pool_args(&mut small);
        // SAFETY: as above.
        assert!(unsafe { wasm_runtime_full_init(&mut args) });
        let r = load(BASIC);
        let done = match r {
            Ok(m) => {
                let inst = instantiate(m);
                let failed = inst.is_err();
                match inst {
                    Ok(i) => wasm_runtime_deinstantiate(i),
                    Err(e) => {
                        assert_eq!(e, "WASM module instantiate failed: allocate memory failed")
                    }
                }
                wasm_runtime_unload(m);
                failed
            }
            Err(e) => {
                assert_eq!(e, "WASM module load failed: allocate memory failed");
                false
            }
        };
        wasm_runtime_destroy();
        assert_eq!(last_leftover().pool_bytes, 0);
        if done {
            saw_instantiate_failure = true;
            break;
        }
    }
    assert!(
        saw_instantiate_failure,
        "no pool size loads but cannot instantiate"
    );
    drop(small);

    // Usable again with the system allocator.
    assert!(wasm_runtime_init());
    let m = load(FIB).unwrap();
    let inst = instantiate(m).unwrap();
    let mut argv = [10u32];
    assert!(call1(inst, c"fib", &mut argv));
    assert_eq!(argv[0], 55);
    wasm_runtime_destroy();
}

/// A module built with `-g` carries DWARF sections several times its code size; the loader
/// keeps none of them, so they cost the pool nothing (WAMR's `file` sample: 189 KB of 235 KB).
fn dwarf_costs_no_pool() {
    let mut wasm = FIB.to_vec();
    let mut c = vec![11u8];
    c.extend_from_slice(b".debug_info");
    c.resize(c.len() + 256 * 1024, 0x5a);
    let n = c.len() as u32;
    wasm.push(0);
    wasm.extend_from_slice(&[
        (n & 0x7f) as u8 | 0x80,
        ((n >> 7) & 0x7f) as u8 | 0x80,
        (n >> 14) as u8,
    ]);
    wasm.extend_from_slice(&c);
    let mut buf = vec![0u8; 1 << 20];
    let mut args = pool_args(&mut buf);
    // SAFETY: valid args; the buffer stays alive until destroy.
    assert!(unsafe { wasm_runtime_full_init(&mut args) });
    let before = info();
    let m = load(&wasm).unwrap();
    let after = info();
    let used = before.total_free_size - after.total_free_size;
    assert!(
        used < 32 * 1024,
        "load of fib + 256 KB of DWARF took {used} bytes of the pool"
    );
    // The high mark includes the embedder's copy of the binary (`load` copies it, as a C
    // program reads a file into the pool): beyond it, the loader needs little.
    let extra = after.highmark_size - wasm.len() as u32;
    assert!(extra < 32 * 1024, "high mark {extra} bytes over the binary");
    wasm_runtime_unload(m);
    wasm_runtime_destroy();
}

fn main() {
    dwarf_costs_no_pool();
    let mut buf = vec![0u8; 4 << 20];
    let fib = pool_round(&mut buf, FIB, true);
    let basic = pool_round(&mut buf, BASIC, true);
    // Destroy releases what the program did not.
    pool_round(&mut buf, BASIC, false);
    buf.fill(0xa5);
    drop(buf);
    println!(
        "pool highmark after load+instantiate: fib.wasm {fib} bytes, basic.wasm {basic} bytes"
    );
    user_round();
    exhaustion();
    println!("pool_mode: ok");
}
