//! Clocks of the platform layer: WAMR's `os_time_get_boot_us` (the monotonic clock, which
//! also stamps log lines) and `os_time_thread_cputime_us`, and `os_usleep`.
//!
//! # Invariants
//! The `libc` calls only write into locals owned by the calling frame.

/// Read `clock` in microseconds, 0 when the clock is unavailable (WAMR's convention).
fn clock_us(clock: libc::clockid_t) -> u64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec owned by this frame.
    if unsafe { libc::clock_gettime(clock, &mut ts) } != 0 {
        return 0;
    }
    (ts.tv_sec as u64)
        .wrapping_mul(1_000_000)
        .wrapping_add(ts.tv_nsec as u64 / 1000)
}

/// Microseconds of `CLOCK_MONOTONIC` (time since boot on Linux).
pub fn boot_us() -> u64 {
    clock_us(libc::CLOCK_MONOTONIC)
}

/// CPU time consumed by the calling thread, in microseconds.
pub fn thread_cputime_us() -> u64 {
    clock_us(libc::CLOCK_THREAD_CPUTIME_ID)
}

/// Milliseconds of the monotonic clock (`bh_get_tick_ms`).
pub fn tick_ms() -> u64 {
    boot_us() / 1000
}

/// Sleep `usec` microseconds with `nanosleep`: 0, or -1 when interrupted or refused.
pub fn usleep(usec: u32) -> i32 {
    let ts = libc::timespec {
        tv_sec: (usec / 1_000_000) as libc::time_t,
        tv_nsec: ((usec % 1_000_000) * 1000) as libc::c_long,
    };
    // SAFETY: `ts` is a valid timespec; the remainder pointer may be NULL.
    let r = unsafe { libc::nanosleep(&ts, std::ptr::null_mut()) };
    if r == 0 { 0 } else { -1 }
}

/// An absolute `CLOCK_REALTIME` deadline `rel_us` microseconds from now, as WAMR's
/// `os_cond_reltimedwait` computes it (`gettimeofday` based). `None` when the deadline does not
/// fit a `time_t` (the caller then waits for the largest representable time).
pub fn realtime_deadline(rel_us: u64) -> Option<libc::timespec> {
    let mut tv = libc::timeval {
        tv_sec: 0,
        tv_usec: 0,
    };
    // SAFETY: `tv` is a valid, writable timeval; the timezone pointer may be NULL.
    unsafe { libc::gettimeofday(&mut tv, std::ptr::null_mut()) };
    let secs = rel_us / 1_000_000;
    let usecs = tv.tv_usec as u64 + rel_us % 1_000_000;
    let total = (tv.tv_sec as u64)
        .checked_add(secs)?
        .checked_add(usecs / 1_000_000)?;
    if total > libc::time_t::MAX as u64 {
        return None;
    }
    Some(libc::timespec {
        tv_sec: total as libc::time_t,
        tv_nsec: ((usecs % 1_000_000) * 1000) as libc::c_long,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clocks_advance() {
        let a = boot_us();
        assert_eq!(usleep(2000), 0);
        let b = boot_us();
        assert!(b >= a + 2000, "{a} {b}");
        assert!(thread_cputime_us() > 0 || a > 0);
        assert!(tick_ms() >= b / 1000);
    }

    #[test]
    fn deadlines() {
        let d = realtime_deadline(1_500_000).unwrap();
        assert!(d.tv_nsec < 1_000_000_000);
        let far = realtime_deadline(u64::MAX - 1).unwrap();
        assert!(far.tv_sec > d.tv_sec + 1_000_000);
    }
}
