//! libc-builtin on addresses inside an attached shared-heap chain (WAMR's shared-heap
//! samples): strings, `*` / `*~` / `$` arguments and the printf family read and write the
//! heaps through the same checked views as linear memory; a range crossing from one heap into
//! the next, `sprintf` into a heap, and anything after a detach trap out of bounds.

use super::*;
use crate::runtime::Instance;
use crate::runtime::app_space::{AppSpace, Region};
use crate::runtime::shared_heap::{self, SharedHeap};

fn quiet(_: &str) {}

/// A chain of a runtime-managed heap of 64 KiB (head) and a pre-allocated 4 KiB heap (body,
/// topmost), attached to `g`: the instance, the managed heap, the pre-allocated bytes.
fn chain(g: &Guest) -> (Arc<Instance>, Arc<SharedHeap>, &'static mut [u8]) {
    let pre: &'static mut [u8] = Box::leak(vec![0u8; 4096].into_boxed_slice());
    let managed = shared_heap::new(65536, std::ptr::null_mut(), &quiet).unwrap();
    let body = shared_heap::new(4096, pre.as_mut_ptr(), &quiet).unwrap();
    assert!(shared_heap::chain(&managed, &body, &quiet));
    let inst = g.store.instance(g.inst).unwrap().clone();
    assert!(shared_heap::attach(&inst, &managed, &quiet));
    (inst, managed, pre)
}

/// Lowest app offset of the pre-allocated heap (the top 4 KiB of the 32-bit space).
const PRE_START: u32 = ((1u64 << 32) - 4096) as u32;

fn put_app(inst: &Instance, app: u32, data: &[u8]) {
    let s = AppSpace::of(inst);
    s.range(u64::from(app), data.len() as u64, Perms::STORE)
        .unwrap()
        .write(0, data)
        .unwrap();
}

fn get_app(inst: &Instance, app: u32, n: u32) -> Vec<u8> {
    AppSpace::of(inst)
        .range(u64::from(app), u64::from(n), Perms::LOAD)
        .unwrap()
        .to_vec()
        .unwrap()
}

#[test]
fn strings_and_buffers_in_a_chained_heap() {
    let mut g = guest(&[
        "snprintf", "printf", "strlen", "memcpy", "memset", "strcpy", "sprintf",
    ]);
    let (inst, _managed, pre) = chain(&g);
    let (buf, _) = shared_heap::malloc(&inst, 128, &quiet).unwrap();
    let buf = buf as u32;
    assert!(
        buf < PRE_START,
        "the managed heap is below the pre-allocated one"
    );
    let space = AppSpace::of(&inst);
    assert_eq!(space.region(u64::from(buf)), Region::SharedHeap);
    assert_eq!(space.region(100), Region::Linear);
    assert_eq!(space.region(0x10_0000), Region::Outside);

    // `$` in the managed heap, `*~` destination in the pre-allocated one (produce_str).
    put_app(&inst, buf, b"Hello, shared\0");
    assert_eq!(g.ok("strlen", &[buf as i32]), 13);
    g.put(100, b"%s #%d\0");
    g.put(200, &buf.to_le_bytes());
    g.put(204, &9i32.to_le_bytes());
    assert_eq!(g.ok("snprintf", &[PRE_START as i32, 64, 100, 200]), 16);
    assert_eq!(
        &pre[..17],
        b"Hello, shared #9\0",
        "the host sees the guest's bytes"
    );
    // printf's va_list may itself live in a heap, and `%s` may point into one.
    put_app(&inst, buf + 64, &PRE_START.to_le_bytes());
    put_app(&inst, buf + 68, &3i32.to_le_bytes());
    assert_eq!(g.ok("printf", &[100, (buf + 64) as i32]), 19);

    // memcpy / memset / strcpy across regions.
    assert_eq!(g.ok("memcpy", &[300, PRE_START as i32, 6]), 300);
    assert_eq!(g.get(300, 6), b"Hello,");
    assert_eq!(
        g.ok("memset", &[(buf + 16) as i32, b'z' as i32, 4]),
        (buf + 16) as i32
    );
    assert_eq!(get_app(&inst, buf + 14, 8), b"\0\0zzzz\0\0");
    g.put(400, b"linear\0");
    assert_eq!(
        g.ok("strcpy", &[(PRE_START + 100) as i32, 400]),
        (PRE_START + 100) as i32
    );
    assert_eq!(&pre[100..107], b"linear\0");

    // A range may not run from the managed heap into the pre-allocated one (two heaps, two
    // capabilities), nor past the top of the chain.
    assert!(is_oob(g.i32("memset", &[(PRE_START - 4) as i32, 0, 8])));
    assert!(is_oob(g.i32("memcpy", &[300, (u32::MAX - 3) as i32, 8])));
    // A string must end inside the heap it starts in.
    pre[4090..].copy_from_slice(b"abcdef");
    assert!(is_oob(g.i32("strlen", &[(u32::MAX - 5) as i32])));
    // sprintf's destination must be in linear memory (WAMR bounds it by the memory's end).
    assert!(is_oob(g.i32("sprintf", &[buf as i32, 100, 200])));

    // Detached: the capabilities are revoked, the same pointers now trap.
    shared_heap::detach(&inst.compartment);
    assert!(is_oob(g.i32("strlen", &[buf as i32])));
    assert!(is_oob(g.i32("snprintf", &[PRE_START as i32, 64, 400, 200])));
    assert_eq!(g.ok("strlen", &[400]), 6, "linear memory is unaffected");
}

#[test]
fn a_view_taken_before_detach_faults_after_it() {
    let g = guest(&["strlen"]);
    let (inst, _managed, _pre) = chain(&g);
    let space = AppSpace::of(&inst);
    let r = space.range(u64::from(PRE_START), 16, VIEW_PERMS).unwrap();
    r.write(0, b"still here").unwrap();
    assert_eq!(
        space.c_string(u64::from(PRE_START), 64).unwrap().as_bytes(),
        b"still here"
    );
    assert_eq!(
        space.native_to_app(r.native_ptr() as usize, 4),
        Some(u64::from(PRE_START))
    );
    assert_eq!(space.region_end(u64::from(PRE_START)), Some(1 << 32));
    shared_heap::detach(&inst.compartment);
    assert_eq!(r.write(0, b"x"), Err(CapFault::Stale));
    assert!(space.c_string(u64::from(PRE_START), 64).is_err());
    assert_eq!(
        AppSpace::of(&inst).region(u64::from(PRE_START)),
        Region::Outside
    );
}

#[test]
fn native_signature_checks_accept_the_attached_heaps() {
    use crate::runtime::guest::{NativeArg, PtrWidth};
    let g = guest(&["strlen"]);
    let (inst, _managed, pre) = chain(&g);
    pre[..6].copy_from_slice(b"chain\0");
    let sig = NativeSig::parse("(*~$)i", false).unwrap();
    let space = AppSpace::of(&inst);
    let top = u64::from(PRE_START);
    let check = |space: &dyn crate::runtime::guest::GuestAddrSpace, cells: &[u64]| {
        let mut out = Vec::new();
        sig.check_in_space(Some(space), cells, None, PtrWidth::W32, false, &mut out)
            .map(|()| out)
    };
    let args = check(&space, &[top, 16, top]).unwrap();
    match &args[..] {
        [
            NativeArg::Ptr { offset, ptr, .. },
            NativeArg::Len(16),
            NativeArg::Str(s),
        ] => {
            assert_eq!(*offset, top);
            assert_eq!(*ptr, pre.as_mut_ptr());
            assert_eq!(s.as_bytes(), b"chain");
        }
        other => panic!("{other:?}"),
    }
    // Linear memory alone does not know the heaps; a range past the top is refused.
    let mem = space.memory().unwrap().clone();
    assert!(
        sig.check(Some(&mem), &[top, 16, top], None, PtrWidth::W32, false)
            .is_err()
    );
    assert!(check(&space, &[(1 << 32) - 8, 16, top]).is_err());
    shared_heap::detach(&inst.compartment);
    assert!(check(&AppSpace::of(&inst), &[top, 16, top]).is_err());
}
