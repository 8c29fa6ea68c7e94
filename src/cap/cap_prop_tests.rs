//! capability-model.md §9 cases 1–6 and property tests of the capability
//! core, driven by a small deterministic PRNG (no external crates).

use std::collections::HashMap;

use crate::cap::{Cap, CapFault, CapRoots, OType, Perms, RegionId, ReprModel};

/// Deterministic PRNG (SplitMix64), shared by the capability-core tests.
pub(super) struct Rng(pub(super) u64);

impl Rng {
    pub(super) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform-ish value in `0..n` (`n > 0`).
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// A value biased towards interesting magnitudes and edges.
    fn magnitude(&mut self) -> u64 {
        match self.below(6) {
            0 => self.below(64),
            1 => self.below(1 << 16),
            2 => self.next() >> self.below(64),
            3 => u64::MAX - self.below(64),
            4 => 1u64 << self.below(64),
            _ => self.next(),
        }
    }
}

const MODELS: [ReprModel; 2] = [ReprModel::Exact, ReprModel::Cheri128];

fn roots(model: ReprModel) -> CapRoots {
    CapRoots::new(model).expect("roots")
}

/// Random sequences of derivations from several roots; checks the §1
/// invariants on every step. Returns the number of tagged results seen.
fn run_random_sequences(model: ReprModel, seeds: std::ops::Range<u64>, root_perms: Perms) -> u64 {
    let mut tagged_results = 0u64;
    for seed in seeds {
        let mut rng = Rng(seed.wrapping_mul(0x1234_5678_9ABC_DEF1) ^ model as u64);
        let r = roots(model);
        let base = rng.below(1 << 40);
        let len = rng.magnitude().min(u64::MAX - base);
        let mem_a = r.new_region(base, len, root_perms).unwrap();
        let mem_b = r.new_region(0, 1 << 20, root_perms).unwrap();
        let sealing = r.sealing_root();
        let mut authority: HashMap<RegionId, Cap> = HashMap::new();
        for c in [mem_a, mem_b, sealing] {
            authority.insert(c.region(), c);
        }
        let mut pool = vec![mem_a, mem_b, sealing, r.sealer(OType::MODULE)];
        for _ in 0..64 {
            let x = pool[rng.below(pool.len() as u64) as usize];
            let y = pool[rng.below(pool.len() as u64) as usize];
            let out = apply_random_op(&mut rng, &r, x, y);
            if out.tag() {
                tagged_results += 1;
                let root = authority[&out.region()];
                assert!(out.base() >= root.base(), "{out:?} escapes {root:?}");
                assert!(out.top() <= root.top(), "{out:?} escapes {root:?}");
                assert!(
                    root.perms().contains(out.perms()),
                    "{out:?} amplifies {root:?}"
                );
                if model == ReprModel::Cheri128 && out.region() != sealing.region() {
                    // Every tagged derived bounds pair is representable or a root.
                    assert!(
                        model.is_exact(out.base(), out.length()) || out.length() == root.length(),
                        "{out:?}"
                    );
                }
            }
            if pool.len() < 24 {
                pool.push(out);
            } else {
                let i = rng.below(pool.len() as u64) as usize;
                pool[i] = out;
            }
        }
    }
    tagged_results
}

/// Applies one random operation to `x` (with `y` as second operand) and
/// checks the per-operation rules; returns the result.
fn apply_random_op(rng: &mut Rng, r: &CapRoots, x: Cap, y: Cap) -> Cap {
    let op = rng.below(12);
    let (out, tried): (Cap, Result<Cap, CapFault>) = match op {
        0 => {
            let a = x
                .base()
                .wrapping_add(rng.magnitude() % (x.length().saturating_add(64)));
            (x.set_addr(a), x.try_set_addr(a))
        }
        1 => {
            let d = rng.magnitude() as i64 >> rng.below(64);
            (x.inc_offset(d), x.try_inc_offset(d))
        }
        2 | 3 => {
            let l = rng.magnitude() % x.length().saturating_add(2);
            let out = x.set_bounds(l);
            if out.tag() {
                assert!(out.is_subset(&x), "{out:?} not within {x:?}");
                assert!(out.base() <= x.addr());
                assert!(u128::from(out.top()) >= u128::from(x.addr()) + u128::from(l));
            }
            (out, x.try_set_bounds(l))
        }
        4 => {
            let l = rng.magnitude() % x.length().saturating_add(2);
            let exact = x.set_bounds_exact(l);
            if let Ok(c) = exact {
                assert_eq!((c.base(), c.length()), (x.addr(), l));
            }
            (exact.unwrap_or(x.clear_tag()), exact)
        }
        5 => {
            let m = Perms::from_bits_truncate(rng.next() as u32);
            let out = x.and_perms(m);
            assert!((x.perms() & m).contains(out.perms()));
            (out, x.try_and_perms(m))
        }
        6 => {
            let m = Perms::from_bits_truncate(rng.next() as u32);
            (x.clear_perms(m), x.try_clear_perms(m))
        }
        7 => (x.seal(&y), x.try_seal(&y)),
        8 => {
            let out = x.unseal(&y);
            if out.tag() {
                assert!(x.is_sealed() && !out.is_sealed());
                assert!(x.perms().contains(out.perms()));
            }
            (out, x.try_unseal(&y))
        }
        9 => (x.seal_entry(), x.try_seal_entry()),
        10 => {
            let f = rng.next() as u8;
            let out = x.set_flags(f);
            (
                out,
                if out.tag() {
                    Ok(out)
                } else {
                    Err(CapFault::Sealed)
                },
            )
        }
        _ => {
            let addr = x
                .base()
                .wrapping_add(rng.magnitude() % x.length().saturating_add(16));
            let size = rng.magnitude() % 64;
            let need = Perms::from_bits_truncate(rng.next() as u32) & (Perms::LOAD | Perms::STORE);
            check_access_reference(r, &x, addr, size, need);
            (x, if x.tag() { Ok(x) } else { Err(CapFault::Tag) })
        }
    };
    // The try_ variant agrees with the tag-clearing one.
    match tried {
        Ok(c) => assert_eq!(c, out, "op {op}"),
        Err(_) => assert!(!out.tag(), "op {op}: refused but tagged {out:?}"),
    }
    // Tags are never created, and sealed operands are immutable.
    if out.tag() {
        assert!(x.tag(), "op {op} resurrected a tag");
        if x.is_sealed() && op != 8 && op != 11 {
            panic!("op {op} modified a sealed capability: {x:?} -> {out:?}");
        }
    }
    out
}

/// `check_access` against an independent u128 formulation of the rule.
fn check_access_reference(r: &CapRoots, c: &Cap, addr: u64, size: u64, need: Perms) {
    let got = c.check_access(r.regions(), addr, size, need);
    let end = u128::from(addr) + u128::from(size);
    let ok = c.tag()
        && r.regions().is_current(c.region(), c.region_gen())
        && !c.is_sealed()
        && c.perms().contains(need)
        && u128::from(addr) >= u128::from(c.base())
        && end <= u128::from(c.base()) + u128::from(c.length());
    match got {
        Ok(range) => {
            assert!(ok, "{c:?} allowed {addr:#x}+{size:#x} {need}");
            assert_eq!(
                (u128::from(range.start), u128::from(range.end)),
                (u128::from(addr), end)
            );
        }
        Err(_) => assert!(!ok, "{c:?} refused {addr:#x}+{size:#x} {need}"),
    }
}

#[test]
fn case01_bounds_widening() {
    for model in MODELS {
        let r = roots(model);
        let cap = r
            .new_region(0x1000, 0x1000, Perms::LOAD | Perms::STORE)
            .unwrap();
        let c16 = cap.set_addr(0x1100).set_bounds_exact(16).unwrap();
        assert!(!c16.set_bounds(32).tag());
        assert_eq!(c16.try_set_bounds(32), Err(CapFault::Bounds));
        assert_eq!(c16.set_bounds_exact(32), Err(CapFault::Bounds));
        assert_eq!(
            c16.set_addr(0x10FF).try_set_bounds(1),
            Err(CapFault::Bounds)
        );
        assert_eq!(
            c16.set_addr(0x1100).try_set_bounds(u64::MAX),
            Err(CapFault::Bounds)
        );
        assert!(c16.set_addr(0x1108).set_bounds(8).tag());
        // Random op sequences: every tagged result stays within its root.
        assert!(run_random_sequences(model, 0..300, Perms::ALL) > 1000);
    }
}

#[test]
fn case02_permission_amplification() {
    for model in MODELS {
        let r = roots(model);
        let load_only = r.new_region(0, 0x1000, Perms::LOAD).unwrap();
        let widened = load_only.and_perms(Perms::ALL);
        assert_eq!(widened.perms(), Perms::LOAD);
        assert_eq!(
            widened.check_access(r.regions(), 0, 4, Perms::STORE),
            Err(CapFault::Perm(Perms::STORE))
        );
        // No sequence of operations yields STORE from a LOAD-only root.
        run_random_sequences(model, 1000..1300, Perms::LOAD | Perms::GLOBAL);
        // Round trip through sealing keeps the permissions.
        let sealer = r.sealer(OType::DELEGATION);
        let back = load_only.seal(&sealer).unseal(&sealer);
        assert!(back.tag());
        assert!(!back.perms().contains(Perms::STORE));
    }
}

#[test]
fn case03_seal_without_authority() {
    let r = roots(ReprModel::Exact);
    let obj = r.new_region(0, 64, Perms::LOAD | Perms::GLOBAL).unwrap();
    let sealer = r.sealer(OType::MODULE);
    // Lacking SEAL.
    let no_seal = sealer.clear_perms(Perms::SEAL);
    assert!(!obj.seal(&no_seal).tag());
    assert_eq!(obj.try_seal(&no_seal), Err(CapFault::Perm(Perms::SEAL)));
    // Address outside the sealer's bounds.
    for a in [0x11, 0x13, 0x3FFF] {
        assert!(!obj.seal(&sealer.set_addr(a)).tag());
    }
    // Address beyond OTYPE_MAX (outside every sealer, including the root).
    let root = r.sealing_root();
    for a in [0x4000, 0xFFFF, u64::MAX] {
        let s = root.set_addr(a);
        assert!(!obj.seal(&s).tag(), "otype {a:#x}");
    }
    // Untagged sealer.
    assert!(!obj.seal(&sealer.clear_tag()).tag());
    // The correct sealer works.
    assert!(obj.seal(&sealer).tag());
}

#[test]
fn case04_unseal_with_wrong_type() {
    let r = roots(ReprModel::Exact);
    let obj = r.new_region(0, 64, Perms::LOAD | Perms::GLOBAL).unwrap();
    let sealed = obj.seal(&r.sealer(OType::new(0x012).unwrap()));
    let wrong = r.sealer(OType::new(0x013).unwrap());
    assert!(!sealed.unseal(&wrong).tag());
    assert_eq!(sealed.try_unseal(&wrong), Err(CapFault::Type));
    let local = r.sealer(OType::MODULE).clear_perms(Perms::GLOBAL);
    let opened = sealed.unseal(&local);
    assert!(opened.tag());
    assert!(!opened.perms().contains(Perms::GLOBAL));
    assert!(opened.perms().contains(Perms::LOAD));
}

#[test]
fn case05_mutate_or_deref_sealed_cap() {
    let r = roots(ReprModel::Exact);
    let obj = r.new_region(0, 64, Perms::LOAD | Perms::STORE).unwrap();
    let sealer = r.sealer(OType::EXTERNREF);
    let s = obj.seal(&sealer);
    assert!(s.tag());
    assert!(!s.set_addr(8).tag());
    assert_eq!(s.try_set_addr(8), Err(CapFault::Sealed));
    assert!(!s.inc_offset(1).tag());
    assert!(!s.set_bounds(8).tag());
    assert_eq!(s.set_bounds_exact(8), Err(CapFault::Sealed));
    assert!(!s.and_perms(Perms::LOAD).tag());
    assert!(!s.clear_perms(Perms::STORE).tag());
    assert!(!s.set_flags(1).tag());
    assert!(!s.seal_entry().tag());
    assert_eq!(
        s.check_access(r.regions(), 0, 1, Perms::LOAD),
        Err(CapFault::Sealed)
    );
    // Double seal.
    assert!(!s.seal(&sealer).tag());
    assert!(!s.seal(&r.sealer(OType::FUNC)).tag());
    assert_eq!(s.try_seal(&sealer), Err(CapFault::Sealed));
}

#[test]
fn case06_reserved_otypes() {
    let r = roots(ReprModel::Exact);
    let obj = r
        .new_region(0, 64, Perms::LOAD | Perms::EXECUTE | Perms::GLOBAL)
        .unwrap();
    for ot in 0..=3u64 {
        let s = r.sealer(OType::new(ot).unwrap());
        assert!(s.tag(), "sealer for {ot} exists");
        assert!(!obj.seal(&s).tag(), "sealed with reserved otype {ot}");
        assert_eq!(obj.try_seal(&s), Err(CapFault::Type));
    }
    // A sentry cannot be opened with any unsealer, not even otype 1's.
    let sentry = obj.seal_entry();
    assert!(sentry.is_sentry());
    for ot in [OType::SENTRY, OType::UNSEALED, OType::FUNC, OType::MODULE] {
        assert!(!sentry.unseal(&r.sealer(ot)).tag());
        assert_eq!(sentry.try_unseal(&r.sealer(ot)), Err(CapFault::Type));
    }
    assert!(!sentry.unseal(&r.sealing_root().set_addr(1)).tag());
}

#[test]
fn prop_sealed_caps_are_immutable_until_unsealed() {
    let r = roots(ReprModel::Exact);
    let mut rng = Rng(99);
    let base_cap = r
        .new_region(0, 1 << 16, Perms::ALL - Perms::EXECUTE)
        .unwrap();
    for _ in 0..2000 {
        let ot = OType::new(4 + rng.below(u64::from(crate::cap::OTYPE_MAX) - 3)).unwrap();
        let sealer = r.sealer(ot);
        let obj = base_cap
            .set_addr(rng.below((1 << 16) - 64))
            .set_bounds(rng.below(64));
        let s = obj.seal(&sealer);
        assert!(s.tag() && s.otype() == ot);
        for _ in 0..8 {
            let y = r.sealer(OType::new(rng.below(0x4000)).unwrap());
            let out = apply_random_op(&mut rng, &r, s, y);
            assert!(
                !out.tag() || out == s || (!out.is_sealed() && y.addr() == u64::from(ot.value()))
            );
        }
        assert_eq!(s.unseal(&sealer), obj);
    }
}

#[test]
fn prop_check_access_matches_reference() {
    for model in MODELS {
        let r = roots(model);
        let mut rng = Rng(5 + model as u64);
        let root = r
            .new_region(1 << 20, 1 << 24, Perms::LOAD | Perms::STORE)
            .unwrap();
        for _ in 0..20_000 {
            let c = root
                .set_addr(root.base().wrapping_add(rng.magnitude() % (1 << 25)))
                .set_bounds(rng.magnitude() % (1 << 22))
                .and_perms(Perms::from_bits_truncate(rng.next() as u32));
            let addr = c
                .base()
                .wrapping_add(rng.magnitude() % (1 << 23))
                .wrapping_sub(rng.below(8));
            let size = rng.magnitude() % 4096;
            let need = Perms::from_bits_truncate(rng.next() as u32) & (Perms::LOAD | Perms::STORE);
            check_access_reference(&r, &c, addr, size, need);
        }
    }
}

#[test]
fn prop_revocation_kills_all_descendants() {
    let r = roots(ReprModel::Exact);
    let mut rng = Rng(11);
    let a = r
        .new_region(0, 1 << 16, Perms::LOAD | Perms::STORE)
        .unwrap();
    let b = r
        .new_region(0, 1 << 16, Perms::LOAD | Perms::STORE)
        .unwrap();
    let derive = |rng: &mut Rng, root: Cap| {
        root.set_addr(rng.below(1 << 15))
            .set_bounds(1 + rng.below(1 << 10))
            .and_perms(Perms::LOAD)
    };
    let from_a: Vec<Cap> = (0..500).map(|_| derive(&mut rng, a)).collect();
    let from_b: Vec<Cap> = (0..500).map(|_| derive(&mut rng, b)).collect();
    assert!(
        from_a
            .iter()
            .chain(&from_b)
            .all(|c| c.is_valid(r.regions()))
    );
    assert!(r.revoke_region(a.region()));
    for c in &from_a {
        assert_eq!(
            c.check_access(r.regions(), c.base(), 1, Perms::LOAD),
            Err(CapFault::Stale)
        );
    }
    for c in &from_b {
        assert_eq!(
            c.check_access(r.regions(), c.base(), 1, Perms::LOAD),
            Ok(c.base()..c.base() + 1)
        );
    }
    // Deriving from a stale capability yields stale capabilities.
    let late = from_a[0].set_bounds(1);
    assert!(late.tag() && !late.is_valid(r.regions()));
}
