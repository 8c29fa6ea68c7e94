//! Capability model §9, externrefs (class G): cases 23, 25, 26, plus the
//! native `r` argument check.

mod cap_common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use cap_common::*;
use cwamr::cap::violation::{self, ViolationKind};
use cwamr::cap::{EmbedderOTypes, OType};
use cwamr::runtime::compartment;
use cwamr::runtime::externref::{self, Cleanup, ExternRefError, NULL_REF, index_to_cell};
use cwamr::runtime::guest::{NativeArg, NativeSig, PtrWidth};
use cwamr::{Linker, Val};

const HOLDER: &str = r#"(module
    (global $g (mut externref) (ref.null extern))
    (table $t 4 externref)
    (func (export "keep") (param externref) (global.set $g (local.get 0)))
    (func (export "get") (result externref) (global.get $g))
    (func (export "is_null") (param externref) (result i32) (ref.is_null (local.get 0))))"#;

#[test]
fn case23_forged_externref_indices_fail() {
    let mut s = store();
    let a = inst(&mut s, &Linker::new(), HOLDER);
    let b = inst(&mut s, &Linker::new(), HOLDER);
    let (ca, cb) = (
        compartment::of(&s, a).unwrap().id(),
        compartment::of(&s, b).unwrap().id(),
    );
    let t = externref::table();
    let obj = 0xDEAD_0000usize;
    let i = t.obj2ref(ca, obj).unwrap();
    assert_eq!(t.ref2obj(i), Ok(obj));
    let slot_bits = i >> 12;
    let never_issued = ((slot_bits + 100_000) << 12) | 1;
    let stale0 = violation::count_kind(ViolationKind::HandleStale);

    // Never issued: a far slot, generation 0, a future generation, the null index's neighbour.
    for bad in [never_issued, slot_bits << 12, i + 1, NULL_REF - 1] {
        assert_eq!(t.ref2obj(bad), Err(ExternRefError::NeverIssued), "{bad:#x}");
    }
    // Index of a freed slot (old generation), even after the slot is reused.
    assert!(t.objdel(ca, obj));
    assert_eq!(t.ref2obj(i), Err(ExternRefError::Stale));
    let reused = t.obj2ref(ca, obj + 1).unwrap();
    assert_eq!(t.ref2obj(i), Err(ExternRefError::Stale));
    assert_eq!(t.ref2obj(reused), Ok(obj + 1));
    assert!(violation::count_kind(ViolationKind::HandleStale) > stale0);
    // Owned by another instance: the strict API refuses, and so does a strict `r` native
    // argument of the other compartment.
    assert_eq!(
        t.ref2obj_strict(cb, reused, OType::EXTERNREF),
        Err(ExternRefError::Foreign)
    );
    assert_eq!(t.ref2obj_strict(ca, reused, OType::EXTERNREF), Ok(obj + 1));
    let sig = NativeSig::parse("(r)", false).unwrap();
    let cell = index_to_cell(reused);
    assert!(
        sig.check(None, &[cell], Some(cb), PtrWidth::W32, true)
            .is_err()
    );
    assert_eq!(
        sig.check(None, &[cell], Some(ca), PtrWidth::W32, true)
            .unwrap(),
        vec![NativeArg::ExternRef(obj + 1)]
    );
    // WAMR-compatible check (liveness + generation) for the same argument:
    assert!(
        sig.check(None, &[cell], Some(cb), PtrWidth::W32, false)
            .is_ok()
    );
    assert!(
        sig.check(None, &[index_to_cell(i)], Some(ca), PtrWidth::W32, false)
            .is_err()
    );
    assert!(
        sig.check(None, &[u64::MAX], Some(ca), PtrWidth::W32, false)
            .is_err()
    );
    // The guest holds the reference as an opaque value and can hand it back.
    call(&mut s, a, "keep", &[Val::ExternRef(cell)]).unwrap();
    assert_eq!(
        call(&mut s, a, "get", &[]).unwrap(),
        vec![Val::ExternRef(cell)]
    );
    assert_eq!(call_i32(&mut s, a, "is_null", &[Val::ExternRef(0)]), 1);
    assert!(t.objdel(ca, obj + 1));
    assert_usable();
}

#[test]
fn case25_externref_is_stale_after_its_instance_is_destroyed_and_cleanup_ran_once() {
    let calls = Arc::new(AtomicUsize::new(0));
    let c = calls.clone();
    let cleanup: Cleanup = Arc::new(move |obj| {
        assert_eq!(obj, 0xC0FFEE);
        c.fetch_add(1, Ordering::SeqCst);
    });
    let t = externref::table();
    let (index, ca) = {
        let mut s = store();
        let a = inst(&mut s, &Linker::new(), HOLDER);
        let ca = compartment::of(&s, a).unwrap().id();
        let index = t.obj2ref(ca, 0xC0FFEE).unwrap();
        assert!(t.set_cleanup(ca, 0xC0FFEE, cleanup));
        // A retained reference is not protected from destruction either.
        assert!(t.retain(index));
        call(&mut s, a, "keep", &[Val::ExternRef(index_to_cell(index))]).unwrap();
        assert_eq!(calls.load(Ordering::SeqCst), 0);
        (index, ca)
        // The store (and instance A) is dropped here.
    };
    assert_eq!(
        calls.load(Ordering::SeqCst),
        1,
        "cleanup ran at destruction"
    );
    assert_eq!(t.ref2obj(index), Err(ExternRefError::Stale));
    assert!(!t.retain(index));
    assert!(!t.objdel(ca, 0xC0FFEE));
    assert_eq!(t.sweep_owner(ca), 0);
    assert_eq!(calls.load(Ordering::SeqCst), 1, "and never again");

    // Explicit objdel runs the cleanup once, and destruction afterwards does not repeat it.
    let calls2 = Arc::new(AtomicUsize::new(0));
    let c2 = calls2.clone();
    let mut s = store();
    let a = inst(&mut s, &Linker::new(), HOLDER);
    let ca = compartment::of(&s, a).unwrap().id();
    t.obj2ref(ca, 7).unwrap();
    t.set_cleanup(
        ca,
        7,
        Arc::new(move |_| {
            c2.fetch_add(1, Ordering::SeqCst);
        }),
    );
    assert!(t.objdel(ca, 7));
    assert!(compartment::destroy(&s, a));
    drop(s);
    assert_eq!(calls2.load(Ordering::SeqCst), 1);
    assert_usable();
}

#[test]
fn case26_wrong_unsealer_fails() {
    let mut s = store();
    let a = inst(&mut s, &Linker::new(), HOLDER);
    let ca = compartment::of(&s, a).unwrap().id();
    let sealers = EmbedderOTypes::new();
    let (ot1, ot2) = (sealers.alloc().unwrap(), sealers.alloc().unwrap());
    assert_eq!((ot1.value(), ot2.value()), (0x800, 0x801));
    let (ot1, ot2) = (sealers.alloc().unwrap(), sealers.alloc().unwrap());
    assert_eq!((ot1.value(), ot2.value()), (0x802, 0x803));
    let t = externref::table();
    let host_obj = Box::into_raw(Box::new(41u64)) as usize;
    let i = t
        .new_ref(ca, host_obj, OType::new(0x801).unwrap(), false, None)
        .unwrap();
    assert_eq!(
        t.ref2obj_strict(ca, i, OType::new(0x802).unwrap()),
        Err(ExternRefError::WrongType)
    );
    assert_eq!(
        t.ref2obj_strict(ca, i, OType::EXTERNREF),
        Err(ExternRefError::WrongType)
    );
    assert_eq!(
        t.ref2obj_strict(ca, i, OType::new(0x801).unwrap()),
        Ok(host_obj)
    );
    // The legacy API ignores object types (WAMR ABI) but still checks liveness.
    assert_eq!(t.ref2obj(i), Ok(host_obj));
    t.delete(ca, i).unwrap();
    assert_eq!(
        t.ref2obj_strict(ca, i, OType::new(0x801).unwrap()),
        Err(ExternRefError::Stale)
    );
    // SAFETY: `host_obj` came from `Box::into_raw` above and was never freed.
    drop(unsafe { Box::from_raw(host_obj as *mut u64) });
    let _ = call(&mut s, a, "get", &[]).unwrap();
    assert_usable();
}
