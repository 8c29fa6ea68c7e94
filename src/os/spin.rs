//! The one spin-wait policy of the allocator's locks (the pool's lock word, the allocation
//! registry): they cannot use `parking_lot` or `std` locks, which may allocate or park through
//! the global allocator they serve.

/// Call `try_acquire` until it returns true: spin briefly, then yield to other threads.
#[inline]
pub(crate) fn acquire(mut try_acquire: impl FnMut() -> bool) {
    let mut spins = 0u32;
    while !try_acquire() {
        spins += 1;
        if spins > 64 {
            std::thread::yield_now();
        } else {
            std::hint::spin_loop();
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn acquire_retries_until_it_succeeds() {
        let mut tries = 0;
        super::acquire(|| {
            tries += 1;
            tries == 100
        });
        assert_eq!(tries, 100);
    }
}
