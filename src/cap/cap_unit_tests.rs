//! Unit tests of every `Cap` operation.

use super::*;
use crate::cap::roots::CapRoots;

const RW: Perms = Perms::LOAD.union(Perms::STORE).union(Perms::GLOBAL);

fn roots(model: ReprModel) -> CapRoots {
    CapRoots::new(model).expect("roots")
}

/// A tagged root over `[0x1000, 0x2000)` with LOAD|STORE|GLOBAL.
fn mem(r: &CapRoots) -> Cap {
    r.new_region(0x1000, 0x1000, RW).expect("region")
}

#[test]
fn null_and_root_getters() {
    let n = Cap::NULL;
    assert!(!n.tag() && !n.is_sealed() && n.length() == 0);
    assert_eq!(Cap::default(), n);
    let r = roots(ReprModel::Exact);
    let m = mem(&r);
    assert!(m.tag());
    assert_eq!((m.base(), m.top(), m.length()), (0x1000, 0x2000, 0x1000));
    assert_eq!((m.addr(), m.offset()), (0x1000, 0));
    assert_eq!(m.perms(), RW);
    assert_eq!(m.otype(), OType::UNSEALED);
    assert!(!m.is_sentry());
    assert_eq!(m.flags(), 0);
    assert_eq!(m.model(), ReprModel::Exact);
    assert!(m.is_valid(r.regions()));
    assert_eq!(m.region_gen() & 1, 1);
    assert_eq!(m.representable_length(17), Some(17));
    assert_eq!(m.representable_alignment_mask(1 << 40), u64::MAX);
}

#[test]
fn set_addr_rules() {
    let r = roots(ReprModel::Exact);
    let m = mem(&r);
    let a = m.set_addr(0x1800);
    assert!(a.tag());
    assert_eq!((a.addr(), a.offset()), (0x1800, 0x800));
    // Out of bounds but representable: still tagged (CHERI), access refused later.
    let far = m.set_addr(0xdead_0000);
    assert!(far.tag());
    assert_eq!(
        far.check_access(r.regions(), 0xdead_0000, 1, Perms::LOAD),
        Err(CapFault::Bounds)
    );
    assert_eq!(m.clear_tag().try_set_addr(0x1000), Err(CapFault::Tag));
    assert!(!m.clear_tag().set_addr(0x1000).tag());
    // Cheri128: leaving the representable window clears the tag.
    let r128 = roots(ReprModel::Cheri128);
    let m128 = mem(&r128);
    assert!(m128.set_addr(0x1000 + 0xBFFF).tag());
    assert_eq!(
        m128.try_set_addr(0x1000 + 0xC000),
        Err(CapFault::Representability)
    );
    assert!(!m128.set_addr(u64::MAX).tag());
}

#[test]
fn inc_offset_and_set_offset() {
    let r = roots(ReprModel::Exact);
    let m = mem(&r);
    assert_eq!(m.inc_offset(0x10).addr(), 0x1010);
    assert_eq!(m.inc_offset(0x10).inc_offset(-0x8).addr(), 0x1008);
    assert_eq!(m.try_inc_offset(-0x1001).map(|c| c.addr()), Ok(u64::MAX));
    assert_eq!(m.set_offset(0x20).addr(), 0x1020);
    assert_eq!(m.set_offset(0x20).offset(), 0x20);
}

#[test]
fn set_bounds_narrowing_and_widening() {
    let r = roots(ReprModel::Exact);
    let m = mem(&r).set_addr(0x1100);
    let n = m.set_bounds(0x100);
    assert!(n.tag());
    assert_eq!((n.base(), n.top(), n.addr()), (0x1100, 0x1200, 0x1100));
    assert!(n.is_subset(&m));
    // Exactly up to the top, and zero length at the top.
    assert!(m.set_bounds(0xF00).tag());
    assert!(m.set_addr(0x2000).set_bounds(0).tag());
    // Widening past the top, below the base, or overflowing u64.
    assert_eq!(m.try_set_bounds(0xF01), Err(CapFault::Bounds));
    assert!(!m.set_bounds(0xF01).tag());
    assert_eq!(m.set_addr(0xFFF).try_set_bounds(1), Err(CapFault::Bounds));
    assert_eq!(
        m.set_addr(0x1FFF).try_set_bounds(u64::MAX),
        Err(CapFault::Bounds)
    );
    assert_eq!(m.clear_tag().try_set_bounds(1), Err(CapFault::Tag));
    // Narrowed caps cannot be widened back.
    assert_eq!(
        n.set_addr(0x1000).try_set_bounds(0x10),
        Err(CapFault::Bounds)
    );
    assert_eq!(n.try_set_bounds(0x101), Err(CapFault::Bounds));
    assert_eq!(n.set_bounds_exact(0x80).map(|c| c.length()), Ok(0x80));
}

#[test]
fn set_bounds_under_cheri128() {
    let r = roots(ReprModel::Cheri128);
    let big = r.new_region(0, 1 << 20, RW).unwrap();
    // 20000 bytes at an unaligned address: rounded outwards to 8-byte alignment.
    let c = big.set_addr(0x1003).set_bounds(20000);
    assert!(c.tag());
    assert!(c.base() <= 0x1003 && c.top() >= 0x1003 + 20000);
    assert_eq!(c.base() % 8, 0);
    assert_eq!(c.top() % 8, 0);
    assert_eq!(c.addr(), 0x1003);
    assert_eq!(
        big.set_addr(0x1003).set_bounds_exact(20000),
        Err(CapFault::Representability)
    );
    assert!(big.set_addr(0x1000).set_bounds_exact(20000).is_ok());
    // Small lengths are always exact.
    assert!(big.set_addr(0x1003).set_bounds_exact(100).is_ok());
    // Rounding that would escape the parent clears the tag.
    let tight = big.set_addr(0x1003).set_bounds_exact(100).unwrap();
    let small_parent = r.new_region(0x1003, 20000, RW).unwrap();
    assert_eq!(
        small_parent.try_set_bounds(20000),
        Err(CapFault::Representability)
    );
    assert!(tight.tag());
}

#[test]
fn perms_only_shrink() {
    let r = roots(ReprModel::Exact);
    let m = mem(&r);
    let lo = m.and_perms(Perms::LOAD);
    assert_eq!(lo.perms(), Perms::LOAD);
    assert_eq!(lo.and_perms(Perms::ALL).perms(), Perms::LOAD);
    assert_eq!(
        m.clear_perms(Perms::STORE).perms(),
        Perms::LOAD | Perms::GLOBAL
    );
    assert_eq!(
        m.try_clear_perms(Perms::GLOBAL).map(|c| c.perms()),
        Ok(Perms::LOAD | Perms::STORE)
    );
    assert_eq!(m.clear_tag().try_and_perms(Perms::LOAD), Err(CapFault::Tag));
}

#[test]
fn flags_and_tag() {
    let r = roots(ReprModel::Exact);
    let m = mem(&r);
    let f = m.set_flags(0xA5);
    assert!(f.tag());
    assert_eq!(f.flags(), 0xA5);
    let c = m.clear_tag();
    assert!(!c.tag());
    assert_eq!(
        (c.base(), c.addr(), c.perms()),
        (m.base(), m.addr(), m.perms())
    );
}

#[test]
fn seal_unseal_round_trip() {
    let r = roots(ReprModel::Exact);
    let m = mem(&r).set_addr(0x1234);
    let sealer = r.sealer(OType::MODULE);
    let s = m.seal(&sealer);
    assert!(s.tag() && s.is_sealed() && !s.is_sentry());
    assert_eq!(s.otype(), OType::MODULE);
    assert_eq!(
        (s.base(), s.top(), s.addr(), s.perms()),
        (m.base(), m.top(), m.addr(), m.perms())
    );
    let u = s.unseal(&sealer);
    assert!(u.tag() && !u.is_sealed());
    assert!(u.eq_exact(&m));
    // Non-GLOBAL unsealer drops GLOBAL.
    let local_unsealer = sealer.clear_perms(Perms::GLOBAL);
    assert_eq!(
        s.unseal(&local_unsealer).perms(),
        Perms::LOAD | Perms::STORE
    );
}

#[test]
fn seal_refusals() {
    let r = roots(ReprModel::Exact);
    let m = mem(&r);
    let sealer = r.sealer(OType::MODULE);
    assert_eq!(m.clear_tag().try_seal(&sealer), Err(CapFault::Tag));
    assert_eq!(m.try_seal(&sealer.clear_tag()), Err(CapFault::Tag));
    assert_eq!(m.seal(&sealer).try_seal(&sealer), Err(CapFault::Sealed));
    let sealed_sealer = sealer.seal(&r.sealer(OType::FUNC));
    assert_eq!(m.try_seal(&sealed_sealer), Err(CapFault::Sealed));
    assert_eq!(
        m.try_seal(&sealer.clear_perms(Perms::SEAL)),
        Err(CapFault::Perm(Perms::SEAL))
    );
    assert_eq!(m.try_seal(&sealer.set_addr(0x13)), Err(CapFault::Bounds));
    // A memory capability is not a sealer, even with the right address.
    let fake = r.new_region(0, 0x4000, Perms::ALL).unwrap().set_addr(0x12);
    assert_eq!(m.try_seal(&fake), Err(CapFault::Type));
    // Sealers of another runtime do not seal this runtime's objects.
    let other = roots(ReprModel::Exact);
    assert_eq!(
        m.try_seal(&other.sealer(OType::MODULE)),
        Err(CapFault::Type)
    );
    // Reserved otypes.
    let root = r.sealing_root();
    for ot in 0..4 {
        assert_eq!(
            m.try_seal(&root.set_addr(ot)),
            Err(CapFault::Type),
            "otype {ot}"
        );
    }
    // Failed seals leave the object untagged but otherwise unchanged.
    let failed = m.seal(&sealer.clear_tag());
    assert!(!failed.tag());
    assert_eq!(failed.otype(), OType::UNSEALED);
}

#[test]
fn unseal_refusals() {
    let r = roots(ReprModel::Exact);
    let m = mem(&r);
    let sealer = r.sealer(OType::MODULE);
    let s = m.seal(&sealer);
    assert_eq!(s.clear_tag().try_unseal(&sealer), Err(CapFault::Tag));
    assert_eq!(m.try_unseal(&sealer), Err(CapFault::Type), "not sealed");
    assert_eq!(s.try_unseal(&sealer.clear_tag()), Err(CapFault::Tag));
    assert_eq!(s.try_unseal(&sealer.seal(&sealer)), Err(CapFault::Sealed));
    assert_eq!(
        s.try_unseal(&sealer.clear_perms(Perms::UNSEAL)),
        Err(CapFault::Perm(Perms::UNSEAL))
    );
    assert_eq!(s.try_unseal(&sealer.set_addr(0x11)), Err(CapFault::Bounds));
    assert_eq!(
        s.try_unseal(&r.sealer(OType::INSTANCE)),
        Err(CapFault::Type)
    );
    let other = roots(ReprModel::Exact);
    assert_eq!(
        s.try_unseal(&other.sealer(OType::MODULE)),
        Err(CapFault::Type)
    );
}

#[test]
fn sentries() {
    let r = roots(ReprModel::Exact);
    let code = r
        .new_region(0, 0x100, Perms::EXECUTE | Perms::LOAD | Perms::GLOBAL)
        .unwrap();
    let e = code.seal_entry();
    assert!(e.tag() && e.is_sentry() && e.is_sealed());
    assert_eq!(e.otype(), OType::SENTRY);
    assert_eq!(e.enter_sentry().map(|c| c.otype()), Ok(OType::UNSEALED));
    assert_eq!(code.enter_sentry(), Err(CapFault::Type));
    assert_eq!(e.clear_tag().enter_sentry(), Err(CapFault::Tag));
    assert_eq!(e.try_seal_entry(), Err(CapFault::Sealed));
    assert_eq!(
        mem(&r).try_seal_entry(),
        Err(CapFault::Perm(Perms::EXECUTE))
    );
    assert_eq!(code.clear_tag().try_seal_entry(), Err(CapFault::Tag));
    assert_eq!(
        e.check_access(r.regions(), 0, 1, Perms::LOAD),
        Err(CapFault::Sealed)
    );
}

#[test]
fn invoke_pairs() {
    let r = roots(ReprModel::Exact);
    let ot = OType::compartment(5).unwrap();
    let sealer = r.sealer(ot);
    let code = r
        .new_region(0, 0x100, Perms::EXECUTE | Perms::LOAD | Perms::INVOKE)
        .unwrap()
        .seal(&sealer);
    let data = r
        .new_region(0, 0x100, RW | Perms::INVOKE)
        .unwrap()
        .seal(&sealer);
    let (c, d) = Cap::invoke(code, data).unwrap();
    assert!(!c.is_sealed() && !d.is_sealed() && c.tag() && d.tag());
    assert_eq!(Cap::invoke(code.clear_tag(), data), Err(CapFault::Tag));
    let other = mem(&r)
        .set_flags(0)
        .and_perms(RW)
        .seal(&r.sealer(OType::MODULE));
    assert_eq!(Cap::invoke(code, other), Err(CapFault::Type));
    assert_eq!(Cap::invoke(code.unseal(&sealer), data), Err(CapFault::Type));
    assert_eq!(Cap::invoke(data, data), Err(CapFault::Perm(Perms::EXECUTE)));
    assert_eq!(Cap::invoke(code, code), Err(CapFault::Type));
    let no_invoke = r.new_region(0, 0x100, RW).unwrap().seal(&sealer);
    assert_eq!(
        Cap::invoke(code, no_invoke),
        Err(CapFault::Perm(Perms::INVOKE))
    );
    let out_of_bounds = r
        .new_region(0, 0x100, Perms::EXECUTE | Perms::INVOKE)
        .unwrap()
        .set_addr(0x100)
        .seal(&sealer);
    assert_eq!(Cap::invoke(out_of_bounds, data), Err(CapFault::Bounds));
}

#[test]
fn subset_and_equality() {
    let r = roots(ReprModel::Exact);
    let m = mem(&r);
    let sub = m.set_addr(0x1100).set_bounds(0x10).and_perms(Perms::LOAD);
    assert!(sub.is_subset(&m));
    assert!(!m.is_subset(&sub));
    assert!(!sub.clear_tag().is_subset(&m), "tags differ");
    let other_region = r.new_region(0x1000, 0x1000, RW).unwrap();
    assert!(!m.is_subset(&other_region));
    assert!(m.eq_exact(&m) && !m.eq_exact(&m.clear_tag()) && !m.eq_exact(&m.set_flags(1)));
}

#[test]
fn check_access_order_and_range() {
    let r = roots(ReprModel::Exact);
    let m = mem(&r).and_perms(Perms::LOAD);
    let regs = r.regions();
    assert_eq!(
        m.check_access(regs, 0x1000, 0x1000, Perms::LOAD),
        Ok(0x1000..0x2000)
    );
    assert_eq!(
        m.check_access(regs, 0x2000, 0, Perms::LOAD),
        Ok(0x2000..0x2000)
    );
    assert_eq!(
        m.check_access(regs, 0x1FFF, 2, Perms::LOAD),
        Err(CapFault::Bounds)
    );
    assert_eq!(
        m.check_access(regs, 0xFFF, 1, Perms::LOAD),
        Err(CapFault::Bounds)
    );
    assert_eq!(
        m.check_access(regs, u64::MAX, 2, Perms::LOAD),
        Err(CapFault::Bounds)
    );
    assert_eq!(
        m.check_access(regs, 0x1000, u64::MAX, Perms::LOAD),
        Err(CapFault::Bounds)
    );
    assert_eq!(
        m.check_access(regs, 0x1000, 1, Perms::LOAD | Perms::STORE),
        Err(CapFault::Perm(Perms::STORE))
    );
    assert_eq!(
        m.clear_tag().check_access(regs, 0x1000, 1, Perms::LOAD),
        Err(CapFault::Tag)
    );
    let sealed = m.seal(&r.sealer(OType::MEMVIEW));
    assert_eq!(
        sealed.check_access(regs, 0x1000, 1, Perms::LOAD),
        Err(CapFault::Sealed)
    );
    // Revocation makes every derived capability stale (checked before the rest).
    assert!(r.revoke_region(m.region()));
    assert_eq!(
        m.check_access(regs, 0x1000, 1, Perms::LOAD),
        Err(CapFault::Stale)
    );
    assert_eq!(
        sealed.check_access(regs, 0x1000, 1, Perms::LOAD),
        Err(CapFault::Stale)
    );
    // Capabilities of another runtime are stale here.
    let other = roots(ReprModel::Exact);
    let om = mem(&other);
    assert_eq!(
        om.check_access(regs, 0x1000, 1, Perms::LOAD),
        Err(CapFault::Stale)
    );
    assert!(!om.is_valid(regs));
}

#[test]
fn formatting() {
    let r = roots(ReprModel::Exact);
    let s = format!("{:?}", mem(&r).set_flags(2));
    assert!(
        s.contains("tagged") && s.contains("[0x1000, 0x2000)") && s.contains("flags=0x2"),
        "{s}"
    );
    assert!(format!("{:?}", Cap::NULL).contains("untagged"));
    assert_eq!(
        CapFault::Perm(Perms::STORE).to_string(),
        "capability permission violation (missing STORE)"
    );
    assert_eq!(CapFault::Stale.to_string(), "stale capability");
}
