//! Tests of the pool allocator: random sequences against a model, layout, coalescing,
//! alignment, corruption detection, migration.

use super::*;
use std::collections::BTreeMap;

/// An 8-aligned buffer of `n` bytes.
fn buffer(n: usize) -> Vec<u64> {
    vec![0u64; n.div_ceil(8)]
}

fn heap(buf: &mut [u64]) -> Pool {
    let len = (buf.len() * 8) as u32;
    // SAFETY: the buffer outlives every use of the heap in the test.
    unsafe { Pool::create(buf.as_mut_ptr().cast(), len) }.unwrap()
}

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Live blocks of the model: address -> (requested size, fill byte).
type Model = BTreeMap<usize, (u32, u8)>;

fn fill(p: NonNull<u8>, n: u32, b: u8) {
    // SAFETY: `p` is a live block of at least `n` bytes.
    unsafe { std::ptr::write_bytes(p.as_ptr(), b, n as usize) };
}

fn verify(pool: Pool, model: &Model) {
    assert!(pool.check(), "heap walk failed");
    let (start, end) = pool.range();
    let mut used = 0u32;
    let mut last_end = 0usize;
    for (&addr, &(size, b)) in model {
        assert_eq!(addr % 8, 0, "payload not 8-aligned");
        let usable = pool.usable_size(addr as *mut u8).expect("live block");
        assert!(usable >= size);
        assert!(
            addr >= start && addr + usable as usize <= end,
            "outside the pool"
        );
        assert!(addr >= last_end, "blocks overlap");
        last_end = addr + usable as usize;
        used += usable + 4;
        // SAFETY: live block of `size` bytes.
        let s = unsafe { std::slice::from_raw_parts(addr as *const u8, size as usize) };
        assert!(s.iter().all(|&x| x == b), "contents changed");
    }
    let st = pool.stats();
    assert_eq!(
        st.total - st.free,
        used,
        "free bytes disagree with the live blocks"
    );
    assert!(st.highmark >= used);
}

#[test]
fn random_sequences_match_the_model() {
    for seed in 1..=6u64 {
        let mut buf = buffer(64 * 1024);
        let pool = heap(&mut buf);
        let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15));
        let mut model = Model::new();
        for step in 0..3000 {
            let op = rng.below(10);
            let b = (step % 251) as u8 + 1;
            if op < 4 || model.is_empty() {
                let size = if rng.below(8) == 0 {
                    rng.below(4000) as u32
                } else {
                    rng.below(200) as u32
                };
                let r = if rng.below(5) == 0 {
                    let align = 8u32 << rng.below(6);
                    pool.malloc_aligned(size.next_multiple_of(align), align)
                        .map(|p| {
                            assert_eq!(p.as_ptr() as usize % align as usize, 0);
                            (p, size.next_multiple_of(align))
                        })
                } else {
                    pool.malloc(size).map(|p| (p, size))
                };
                match r {
                    Ok((p, n)) => {
                        fill(p, n, b);
                        assert!(model.insert(p.as_ptr() as usize, (n, b)).is_none());
                    }
                    Err(e) => assert_eq!(e, AllocError::Exhausted),
                }
            } else if op < 7 {
                let k = rng.below(model.len() as u64) as usize;
                let addr = *model.keys().nth(k).unwrap();
                model.remove(&addr);
                pool.free(addr as *mut u8).unwrap();
            } else {
                let k = rng.below(model.len() as u64) as usize;
                let addr = *model.keys().nth(k).unwrap();
                let (old, ob) = model[&addr];
                let size = rng.below(3000) as u32;
                match pool.realloc(addr as *mut u8, size) {
                    Ok(p) => {
                        // SAFETY: `p` is live with at least `size` bytes.
                        let s = unsafe {
                            std::slice::from_raw_parts(p.as_ptr(), old.min(size) as usize)
                        };
                        assert!(s.iter().all(|&x| x == ob), "realloc lost contents");
                        model.remove(&addr);
                        fill(p, size, b);
                        model.insert(p.as_ptr() as usize, (size, b));
                    }
                    Err(e) => assert_eq!(e, AllocError::Exhausted),
                }
            }
            if step % 50 == 0 {
                verify(pool, &model);
            }
        }
        verify(pool, &model);
        for &addr in model.keys() {
            pool.free(addr as *mut u8).unwrap();
        }
        model.clear();
        verify(pool, &model);
        // Everything coalesced back into one block.
        let st = pool.stats();
        assert_eq!(st.free, st.total);
        let all = pool.malloc(st.total - 4).expect("one block spans the heap");
        pool.free(all.as_ptr()).unwrap();
    }
}

#[test]
fn layout_matches_wamr_and_realloc_grows_in_place() {
    // WAMR's samples/mem-allocator: a 1000-byte store.
    let mut buf = buffer(1000);
    let start = buf.as_mut_ptr() as usize;
    let pool = heap(&mut buf);
    assert_eq!(pool.as_raw() as usize, start);
    assert_eq!(pool.stats().total, 608);
    let p = pool.malloc(256).unwrap();
    assert_eq!(p.as_ptr() as usize - start, 392);
    let p2 = pool.realloc(p.as_ptr(), 268).unwrap();
    assert_eq!(p2, p, "grown in place");
    // Bytes that look like a free block header inside the payload do not confuse it.
    // SAFETY: inside the 268-byte block.
    unsafe {
        p.as_ptr().add(256).cast::<u32>().write((1 << 30) | 0x20);
        p.as_ptr().add(264).cast::<u32>().write(12);
    }
    let q = pool.malloc(256).unwrap();
    assert_eq!(q.as_ptr() as usize - start, 664);
    pool.free(q.as_ptr()).unwrap();
    assert_eq!(pool.malloc(256).unwrap(), q);
    pool.free(q.as_ptr()).unwrap();
    pool.free(p.as_ptr()).unwrap();
    let st = pool.stats();
    assert_eq!((st.free, st.highmark), (608, 272 + 264));
}

#[test]
fn sizes_and_limits() {
    let mut small = buffer(255);
    // SAFETY: the buffer is live.
    let r = unsafe { Pool::create(small.as_mut_ptr().cast(), 255) };
    assert_eq!(r, Err(InitError::TooSmall(256)));
    // SAFETY: NULL is refused before any access.
    let r = unsafe { Pool::create(std::ptr::null_mut(), 4096) };
    assert_eq!(r, Err(InitError::Null));
    let mut b = buffer(300);
    // SAFETY: the buffer is live; 300 bytes cannot hold the struct and a block.
    let r = unsafe { Pool::create(b.as_mut_ptr().cast(), 300) };
    assert!(matches!(r, Err(InitError::TooSmall(_))));
    let mut buf = buffer(4096);
    let pool = heap(&mut buf);
    assert_eq!(pool.malloc(u32::MAX), Err(AllocError::Invalid));
    assert_eq!(pool.malloc(8192), Err(AllocError::Exhausted));
    let z = pool.malloc(0).unwrap();
    assert_eq!(pool.usable_size(z.as_ptr()), Some(12));
    assert_eq!(pool.malloc_aligned(48, 24), Err(AllocError::Invalid));
    assert_eq!(pool.malloc_aligned(40, 32), Err(AllocError::Invalid));
    assert_eq!(pool.malloc_aligned(8192, 8192), Err(AllocError::Invalid));
    let a = pool.malloc_aligned(256, 256).unwrap();
    assert_eq!(a.as_ptr() as usize % 256, 0);
    assert!(pool.check());
    // Unknown and already freed pointers are refused without harm.
    assert_eq!(
        pool.free(a.as_ptr().wrapping_add(8)),
        Err(FreeError::NotAllocated)
    );
    pool.free(a.as_ptr()).unwrap();
    assert_eq!(pool.free(a.as_ptr()), Err(FreeError::NotAllocated));
    let mut other = 0u64;
    assert_eq!(
        pool.free((&raw mut other).cast()),
        Err(FreeError::NotAllocated)
    );
    assert!(!pool.is_corrupted());
    assert!(pool.check());
}

#[test]
fn corruption_is_detected_and_sticky() {
    let mut buf = buffer(4096);
    let pool = heap(&mut buf);
    let a = pool.malloc(100).unwrap();
    let b = pool.malloc(100).unwrap();
    // Overrun `a` into `b`'s header: size field garbage, USED cleared.
    // SAFETY: writes inside the pool buffer (b's header word).
    unsafe { b.as_ptr().sub(4).cast::<u32>().write(0x7fff_fff0) };
    assert_eq!(pool.free(a.as_ptr()), Err(FreeError::Corrupted));
    assert!(pool.is_corrupted());
    assert_eq!(pool.malloc(8), Err(AllocError::Corrupted));
    assert_eq!(pool.free(b.as_ptr()), Err(FreeError::Corrupted));

    // A free-list link that does not point back.
    let mut buf = buffer(4096);
    let pool = heap(&mut buf);
    let _first = pool.malloc(100).unwrap();
    let a = pool.malloc(100).unwrap();
    let _keep = pool.malloc(100).unwrap();
    pool.free(a.as_ptr()).unwrap();
    // SAFETY: `a`'s block is free; its `prev` link sits at payload + 4 inside the pool.
    unsafe { a.as_ptr().add(4).cast::<u32>().write(8) };
    assert_eq!(pool.malloc(100), Err(AllocError::Corrupted));
    assert!(pool.is_corrupted());
}

#[test]
fn handles_validate_and_destroy_invalidates() {
    let mut buf = buffer(2048);
    let pool = heap(&mut buf);
    // SAFETY: the struct is live and 8-aligned.
    assert_eq!(unsafe { Pool::from_raw(pool.as_raw()) }, Some(pool));
    let mut junk = [0u64; 4];
    // SAFETY: 32 readable bytes.
    assert_eq!(unsafe { Pool::from_raw(junk.as_mut_ptr().cast()) }, None);
    // SAFETY: nothing uses the heap afterwards.
    unsafe { pool.destroy() };
    // SAFETY: the memory is still readable.
    assert_eq!(unsafe { Pool::from_raw(buf.as_mut_ptr().cast()) }, None);
}

#[test]
fn struct_and_pool_and_migration() {
    let mut st = buffer(HEAP_STRUCT_SIZE as usize);
    let mut a = buffer(2048);
    let mut b = buffer(2048);
    // SAFETY: the buffers are live for the test and disjoint.
    let pool = unsafe {
        Pool::create_with_struct(
            st.as_mut_ptr().cast(),
            HEAP_STRUCT_SIZE,
            a.as_mut_ptr().cast(),
            2048,
        )
    }
    .unwrap();
    assert_eq!(pool.stats().total, 2040);
    // SAFETY: as above.
    let r =
        unsafe { Pool::create_with_struct(st.as_mut_ptr().cast(), 8, a.as_mut_ptr().cast(), 2048) };
    assert_eq!(r, Err(InitError::StructTooSmall));
    let p = pool.malloc(64).unwrap();
    fill(p, 64, 0x5a);
    let off = p.as_ptr() as usize - a.as_ptr() as usize;
    b.copy_from_slice(&a);
    // SAFETY: `b` holds a byte copy of the pool.
    unsafe { pool.migrate(b.as_mut_ptr().cast(), 2048) }.unwrap();
    let moved = (b.as_mut_ptr() as usize + off) as *mut u8;
    assert_eq!(pool.usable_size(moved), Some(68));
    pool.free(moved).unwrap();
    assert!(pool.check());
    // SAFETY: too small / misaligned targets are refused before any access.
    let r = unsafe { pool.migrate(a.as_mut_ptr().cast(), 100) };
    assert_eq!(r, Err(MigrateError::TooSmall));
    // SAFETY: as above.
    let r = unsafe { pool.migrate(a.as_mut_ptr().cast::<u8>().add(1), 2048) };
    assert_eq!(r, Err(MigrateError::Unaligned));
}
