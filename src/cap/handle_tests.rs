//! Tests of the sealed handle table (capability-model.md §9 cases 7–11).

use super::*;

use crate::cap::cap_prop_tests::Rng;

const OWNER: OwnerId = OwnerId::new(7);

/// A table with a fixed key, so every outcome below is deterministic.
fn fixed_table<T>() -> HandleTable<T> {
    HandleTable::with_key(
        SipKey::new(0x0123_4567_89ab_cdef, 0x0fed_cba9_8765_4321),
        MAX_SLOTS,
    )
}

/// A table populated with objects of several types and owners.
fn populated() -> (HandleTable<u32>, Vec<(SealedHandle, OType, OwnerId)>) {
    let t = fixed_table();
    let types = [OType::MODULE, OType::INSTANCE, OType::EXEC_ENV, OType::FUNC];
    let mut v = Vec::new();
    for i in 0..1000u32 {
        let ot = types[i as usize % types.len()];
        let owner = OwnerId::new(u64::from(i % 3));
        let h = t.insert(ot, owner, Arc::new(i)).unwrap();
        v.push((h, ot, owner));
    }
    // Churn so that generations differ between slots.
    for (h, ot, owner) in v.iter().step_by(5) {
        t.remove(*h, *ot, Some(*owner)).unwrap();
    }
    v.retain(|(h, ot, _)| t.validate(*h, *ot, None).is_ok());
    (t, v)
}

#[test]
fn bit_layout_matches_spec() {
    let t: HandleTable<u8> = fixed_table();
    let h = t.insert(OType::INSTANCE, OWNER, Arc::new(1)).unwrap();
    let b = h.bits();
    assert_eq!(b >> 63, 1);
    assert_eq!((b >> 47) & 1, 0);
    assert!(h.has_handle_shape());
    assert_eq!(h.otype_code(), 0x13);
    assert_eq!(h.generation(), 1);
    assert_eq!(h.slot(), 0);
    let w0 = (1u64 << 24) | (0x13u64 << 40);
    let mac = siphash24_2words(t.key, w0, OWNER.get()) & 0x7FFF;
    assert_eq!(u64::from(h.mac()), mac);
    assert_eq!(b, (1 << 63) | (mac << 48) | (0x13 << 40) | (1 << 24));
}

#[test]
fn c_pointer_round_trip() {
    let t: HandleTable<u8> = fixed_table();
    let h = t.insert(OType::MODULE, OWNER, Arc::new(1)).unwrap();
    let p = h.to_ptr();
    assert_eq!(p.addr() as u64, h.bits());
    assert_eq!(SealedHandle::from_ptr(p), h);
    assert!(SealedHandle::NULL.to_ptr().is_null());
    assert_eq!(
        SealedHandle::from_ptr(core::ptr::null()),
        SealedHandle::NULL
    );
    assert_eq!(
        *t.get(SealedHandle::from_ptr(p), OType::MODULE, None)
            .unwrap(),
        1
    );
}

#[test]
fn forged_null_and_small_values() {
    let (t, _) = populated();
    assert_eq!(
        t.validate(SealedHandle::NULL, OType::MODULE, None),
        Err(HandleError::Null)
    );
    for v in [
        1u64,
        2,
        0x1000,
        0x7FFF_FFFF_FFFF,
        u64::MAX,
        1 << 63 | 1 << 47,
    ] {
        assert_eq!(
            t.validate(SealedHandle::from_bits(v), OType::MODULE, None),
            Err(HandleError::Shape),
            "{v:#x}"
        );
    }
}

#[test]
fn forged_random_u64s_rejected() {
    let (t, _) = populated();
    let mut rng = Rng(42);
    let mut accepted = 0;
    for _ in 0..100_000 {
        let h = SealedHandle::from_bits(rng.next());
        for ot in [OType::MODULE, OType::INSTANCE, OType::EXEC_ENV, OType::FUNC] {
            if t.get(h, ot, None).is_ok() {
                accepted += 1;
            }
        }
    }
    assert_eq!(accepted, 0);
}

#[test]
fn forged_handle_shaped_values_only_pass_by_mac_guess() {
    // Right shape, right code, a slot and generation that exist: only the MAC
    // stands between a guess and acceptance (probability 2^-15 per try).
    let (t, _) = populated();
    let mut rng = Rng(7);
    let tries = 200_000u32;
    let mut accepted = 0u32;
    for _ in 0..tries {
        let r = rng.next();
        let guess = SealedHandle::compose(
            (r >> 48) as u16 & 0x7FFF,
            0x12,
            1 + (r >> 40 & 1) as u16,
            (r & 0x3FF) as u32,
        );
        match t.get(guess, OType::MODULE, None) {
            Ok(_) => accepted += 1,
            Err(e) => assert!(matches!(
                e,
                HandleError::Mac
                    | HandleError::Stale
                    | HandleError::NotLive
                    | HandleError::SlotType
                    | HandleError::SlotRange
            )),
        }
    }
    // Expected about tries / 4 / 2^15 (a quarter of the guesses reach the MAC).
    assert!(accepted <= 8, "{accepted} guesses accepted");
}

#[test]
fn mac_guessing_succeeds_only_for_the_real_mac() {
    // All 2^15 MAC values for a live (slot, gen, otype): exactly one passes.
    let (t, live) = populated();
    let (h, ot, _) = live[10];
    let mut ok = 0;
    for mac in 0..=0x7FFFu16 {
        let guess = SealedHandle::compose(mac, h.otype_code(), h.generation(), h.slot());
        match t.validate(guess, ot, None) {
            Ok(()) => {
                ok += 1;
                assert_eq!(guess, h);
            }
            Err(e) => assert_eq!(e, HandleError::Mac),
        }
    }
    assert_eq!(ok, 1);
}

#[test]
fn real_heap_and_stack_pointers_rejected() {
    let (t, _) = populated();
    let boxed = Box::new(5u64);
    let vec = vec![0u8; 4096];
    let local = 3u32;
    let ptrs: [*const c_void; 5] = [
        (&*boxed as *const u64).cast(),
        vec.as_ptr().cast(),
        (&local as *const u32).cast(),
        (&t as *const HandleTable<u32>).cast(),
        (bit_layout_matches_spec as fn()) as *const c_void,
    ];
    for p in ptrs {
        let h = SealedHandle::from_ptr(p);
        assert_eq!(
            t.validate(h, OType::INSTANCE, None),
            Err(HandleError::Shape),
            "{p:?}"
        );
    }
}

#[test]
fn type_confusion_rejected() {
    let t: HandleTable<u8> = fixed_table();
    let module = t.insert(OType::MODULE, OWNER, Arc::new(1)).unwrap();
    for ot in [OType::INSTANCE, OType::EXEC_ENV, OType::FUNC, OType::STORE] {
        assert_eq!(
            t.get(module, ot, Some(OWNER)),
            Err(HandleError::WrongType {
                expected: ot,
                code: 0x12
            })
        );
    }
    // Relabelled code pointing at a slot of another type: caught by the slot otype.
    let relabelled = SealedHandle::compose(module.mac(), 0x13, module.generation(), module.slot());
    assert_eq!(
        t.validate(relabelled, OType::INSTANCE, None),
        Err(HandleError::SlotType)
    );
    // Non-handle otypes can be neither issued nor expected.
    assert_eq!(
        t.insert(OType::EMBEDDER_FIRST, OWNER, Arc::new(0)),
        Err(HandleError::NotHandleType(OType::EMBEDDER_FIRST))
    );
    assert_eq!(
        t.validate(module, OType::SENTRY, None),
        Err(HandleError::NotHandleType(OType::SENTRY))
    );
}

#[test]
fn stale_after_remove_and_reuse() {
    let t: HandleTable<u8> = fixed_table();
    let h = t.insert(OType::INSTANCE, OWNER, Arc::new(1)).unwrap();
    let copy = h;
    assert_eq!(*t.remove(h, OType::INSTANCE, Some(OWNER)).unwrap(), 1);
    assert_eq!(
        t.get(copy, OType::INSTANCE, None),
        Err(HandleError::NotLive)
    );
    let h2 = t.insert(OType::INSTANCE, OWNER, Arc::new(2)).unwrap();
    assert_eq!(h2.slot(), h.slot(), "slot reused");
    assert_eq!(h2.generation(), 2);
    assert_ne!(h2, h);
    assert_eq!(t.get(copy, OType::INSTANCE, None), Err(HandleError::Stale));
    assert_eq!(*t.get(h2, OType::INSTANCE, None).unwrap(), 2);
}

#[test]
fn double_remove_is_rejected_no_op() {
    let t: HandleTable<u8> = fixed_table();
    let a = t.insert(OType::MODULE, OWNER, Arc::new(1)).unwrap();
    let b = t.insert(OType::MODULE, OWNER, Arc::new(2)).unwrap();
    assert!(t.remove(a, OType::MODULE, None).is_ok());
    assert_eq!(t.remove(a, OType::MODULE, None), Err(HandleError::NotLive));
    assert_eq!(t.len(), 1);
    assert_eq!(*t.get(b, OType::MODULE, None).unwrap(), 2);
    // Reused slot: the old handle is now stale and still cannot remove the new object.
    let c = t.insert(OType::MODULE, OWNER, Arc::new(3)).unwrap();
    assert_eq!(c.slot(), a.slot());
    assert_eq!(t.remove(a, OType::MODULE, None), Err(HandleError::Stale));
    assert_eq!(*t.get(c, OType::MODULE, None).unwrap(), 3);
    assert_eq!(t.len(), 2);
}

#[test]
fn all_64_single_bit_flips_rejected() {
    let (t, live) = populated();
    for &(h, ot, owner) in live.iter().step_by(37) {
        for bit in 0..64 {
            let flipped = SealedHandle::from_bits(h.bits() ^ (1 << bit));
            let r = t.get(flipped, ot, Some(owner));
            let err = r.expect_err("bit flip accepted");
            match bit {
                63 | 47 => assert_eq!(err, HandleError::Shape),
                48..=62 => assert_eq!(err, HandleError::Mac),
                40..=46 => assert!(matches!(err, HandleError::WrongType { .. })),
                24..=39 => assert_eq!(err, HandleError::Stale, "bit {bit}"),
                _ => assert!(
                    matches!(
                        err,
                        HandleError::SlotRange
                            | HandleError::NotLive
                            | HandleError::Stale
                            | HandleError::SlotType
                            | HandleError::Mac
                    ),
                    "bit {bit}: {err:?}"
                ),
            }
        }
    }
}

#[test]
fn owner_mismatch_rejected() {
    let t: HandleTable<u8> = fixed_table();
    let h = t.insert(OType::STORE, OWNER, Arc::new(1)).unwrap();
    let other = OwnerId::new(8);
    assert_eq!(t.get(h, OType::STORE, Some(other)), Err(HandleError::Owner));
    assert_eq!(
        t.remove(h, OType::STORE, Some(other)),
        Err(HandleError::Owner)
    );
    assert_eq!(t.owner_of(h, OType::STORE), Ok(OWNER));
    assert!(t.get(h, OType::STORE, None).is_ok());
    assert!(t.get(h, OType::STORE, Some(OWNER)).is_ok());
}

#[test]
fn handle_of_another_table_rejected_by_mac() {
    let a: HandleTable<u8> = fixed_table();
    let b: HandleTable<u8> = HandleTable::with_key(SipKey::new(1, 2), MAX_SLOTS);
    let ha = a.insert(OType::MODULE, OWNER, Arc::new(1)).unwrap();
    let hb = b.insert(OType::MODULE, OWNER, Arc::new(2)).unwrap();
    assert_eq!((ha.slot(), ha.generation()), (hb.slot(), hb.generation()));
    assert_ne!(ha, hb);
    assert_eq!(b.get(ha, OType::MODULE, None), Err(HandleError::Mac));
    assert_eq!(a.get(hb, OType::MODULE, None), Err(HandleError::Mac));
}

#[test]
fn tables_and_processes_get_distinct_keys() {
    let a: HandleTable<u8> = HandleTable::new();
    let b: HandleTable<u8> = HandleTable::new();
    assert!(a.key != b.key);
    assert!(process_key() != SipKey::new(0, 0));
    assert!(process_key() == process_key());
    assert!(os_random_key() != os_random_key());
}

#[test]
fn generation_skips_zero_and_retires_on_wrap() {
    assert_eq!(next_generation(1), Some(2));
    assert_eq!(next_generation(u16::MAX), None);
    let t: HandleTable<u8> = fixed_table();
    let first = t.insert(OType::FUNC, OWNER, Arc::new(1)).unwrap();
    // Age slot 0 to the last generation.
    let last = {
        let mut slab = t.inner.write();
        let mac = t.mac(0, u16::MAX, 0x15, OWNER);
        slab.slots[0].generation = u16::MAX;
        slab.slots[0].mac = mac;
        SealedHandle::compose(mac, 0x15, u16::MAX, 0)
    };
    assert_eq!(t.get(first, OType::FUNC, None), Err(HandleError::Stale));
    assert!(t.remove(last, OType::FUNC, None).is_ok());
    assert_ne!(t.inner.read().slots[0].generation, 0);
    // The wrapped slot is retired: the next insert takes a new slot, and no
    // generation of slot 0 ever validates again.
    let n = t.insert(OType::FUNC, OWNER, Arc::new(2)).unwrap();
    assert_eq!(n.slot(), 1);
    assert_eq!(t.get(last, OType::FUNC, None), Err(HandleError::NotLive));
    assert_eq!(t.get(first, OType::FUNC, None), Err(HandleError::NotLive));
}

#[test]
fn remove_owned_by_sweeps_one_owner() {
    let (t, live) = populated();
    let before = t.len();
    let owned = live
        .iter()
        .filter(|(_, _, o)| *o == OwnerId::new(1))
        .count();
    let removed = t.remove_owned_by(OwnerId::new(1));
    assert_eq!(removed.len(), owned);
    assert_eq!(t.len(), before - owned);
    for (h, ot, o) in &live {
        assert_eq!(t.validate(*h, *ot, None).is_ok(), *o != OwnerId::new(1));
    }
}

#[test]
fn table_full_is_an_error() {
    let t: HandleTable<u8> = HandleTable::with_key(SipKey::new(3, 4), 4);
    let hs: Vec<_> = (0..4)
        .map(|i| t.insert(OType::MODULE, OWNER, Arc::new(i)).unwrap())
        .collect();
    assert_eq!(
        t.insert(OType::MODULE, OWNER, Arc::new(9)),
        Err(HandleError::TableFull)
    );
    t.remove(hs[2], OType::MODULE, None).unwrap();
    let h = t.insert(OType::MODULE, OWNER, Arc::new(9)).unwrap();
    assert_eq!(h.slot(), 2);
}

#[test]
fn concurrent_use_is_consistent() {
    fn assert_send_sync<X: Send + Sync>() {}
    assert_send_sync::<HandleTable<String>>();
    let t: HandleTable<u64> = HandleTable::new();
    std::thread::scope(|s| {
        for th in 0..4u64 {
            let t = &t;
            s.spawn(move || {
                let owner = OwnerId::new(th);
                let mut mine = Vec::new();
                for i in 0..2000u64 {
                    let h = t
                        .insert(OType::EXTERNREF, owner, Arc::new(th << 32 | i))
                        .unwrap();
                    mine.push((h, th << 32 | i));
                    if i % 3 == 0 {
                        let (old, _) = mine.swap_remove(0);
                        t.remove(old, OType::EXTERNREF, Some(owner)).unwrap();
                        assert!(t.get(old, OType::EXTERNREF, None).is_err());
                    }
                }
                for (h, v) in &mine {
                    assert_eq!(*t.get(*h, OType::EXTERNREF, Some(owner)).unwrap(), *v);
                }
            });
        }
    });
    assert_eq!(t.len(), 4 * (2000 - 667));
}

#[test]
fn mac_compare_is_exact() {
    for a in [0u16, 1, 0x7FFF, 0x4000] {
        for b in [0u16, 1, 0x7FFF, 0x4000] {
            assert_eq!(ct_eq_mac(a, b), a == b);
        }
    }
}

#[test]
fn bench_helpers_run() {
    assert!(bench_handle_lookup(1000, 1).is_finite());
    assert!(bench_handle_validate(1000, 2).is_finite());
}
