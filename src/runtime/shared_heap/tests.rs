//! Unit tests of the shared heap: sizes, chaining, delegation.

use super::*;

fn quiet(_: &str) {}

#[test]
fn sizes_are_page_aligned_and_bounded() {
    let o = OwnerId::new(u64::MAX - 7);
    assert!(create(0, std::ptr::null_mut(), o, &quiet).is_none());
    // 100 bytes round up to a page (and a pre-allocated heap must already be a multiple).
    let small = get(create(100, std::ptr::null_mut(), o, &quiet).unwrap(), None).unwrap();
    assert_eq!(small.size(), page_size());
    let mut tiny = vec![0u8; 100];
    assert!(create(100, tiny.as_mut_ptr(), o, &quiet).is_none());
    let h = create(5000, std::ptr::null_mut(), o, &quiet).unwrap();
    let heap = get(h, Some(o)).unwrap();
    assert_eq!(heap.size() % page_size(), 0);
    assert_eq!(heap.start(), TOP32 - heap.size());
    assert!(create(u32::MAX, std::ptr::null_mut(), o, &quiet).is_none());
    let mut buf = vec![0u8; 10000];
    assert!(create(10000, buf.as_mut_ptr(), o, &quiet).is_none());
}

#[test]
fn chains_stack_downwards_and_unchain_restores() {
    let o = OwnerId::new(u64::MAX - 8);
    let page = page_size() as usize;
    let pre: &mut [u8] = Box::leak(vec![0u8; page * 2].into_boxed_slice());
    let a = get(
        create(page as u32, std::ptr::null_mut(), o, &quiet).unwrap(),
        None,
    )
    .unwrap();
    let b = get(
        create((page * 2) as u32, pre.as_mut_ptr(), o, &quiet).unwrap(),
        None,
    )
    .unwrap();
    let c = get(
        create(page as u32, std::ptr::null_mut(), o, &quiet).unwrap(),
        None,
    )
    .unwrap();
    assert!(!chain(&a, &a, &quiet));
    assert!(chain(&a, &b, &quiet));
    assert_eq!(b.start(), TOP32 - 2 * page as u64);
    assert_eq!(a.start(), TOP32 - 3 * page as u64);
    // Two runtime-managed heaps, a body already taken, a head already heading.
    assert!(!chain(&c, &a, &quiet));
    assert!(!chain(&c, &b, &quiet));
    assert!(!chain(&a, &c, &quiet));
    let body = unchain(&a, false, &quiet).unwrap();
    assert!(Arc::ptr_eq(&body, &b));
    assert_eq!(a.start(), TOP32 - page as u64);
    assert!(unchain(&a, false, &quiet).is_none());
    assert!(reset(&b));
}
