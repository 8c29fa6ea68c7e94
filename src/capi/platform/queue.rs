//! `bh_queue.h`: the message queue's C entry points over [`crate::util::queue`]. Queue and
//! message pointers are checked against the live registry first; an unknown one gives the
//! function's failure value (WAMR would dereference it).
//!
//! # Invariants
//! No pointer from C is dereferenced here: queues and messages are looked up by address.

use std::ffi::{c_char, c_int, c_uint, c_ushort, c_void};

use crate::capi::ffi::guard;
use crate::util::queue::{self, Cleaner};

/// `bh_queue *bh_queue_create(void)`: capacity 50.
#[unsafe(no_mangle)]
pub extern "C" fn bh_queue_create() -> *mut c_void {
    guard("bh_queue_create", std::ptr::null_mut(), || {
        // Bodies inside a shared heap are the runtime's: never `free`d with their message.
        queue::set_runtime_owned(crate::runtime::shared_heap::owns_native);
        queue::create() as *mut c_void
    })
}

/// `void bh_queue_destroy(bh_queue *)`: frees the messages still queued; NULL is ignored.
#[unsafe(no_mangle)]
pub extern "C" fn bh_queue_destroy(q: *mut c_void) {
    guard("bh_queue_destroy", (), || {
        queue::destroy(q as usize);
    })
}

/// `bh_message_t bh_new_msg(unsigned short tag, void *body, unsigned int len, void
/// *handler)`: `handler` is NULL or a `bh_msg_cleaner` for the body.
///
/// # Safety
/// `handler` is NULL or a function `void (*)(void *)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bh_new_msg(
    tag: c_ushort,
    body: *mut c_void,
    len: c_uint,
    handler: *mut c_void,
) -> *mut c_void {
    guard("bh_new_msg", std::ptr::null_mut(), || {
        let cleaner: Option<Cleaner> = if handler.is_null() {
            None
        } else {
            // SAFETY: a non-NULL `bh_msg_cleaner` per the contract.
            Some(unsafe { std::mem::transmute::<*mut c_void, Cleaner>(handler) })
        };
        queue::set_runtime_owned(crate::runtime::shared_heap::owns_native);
        queue::new_msg(tag, body, len, cleaner) as *mut c_void
    })
}

/// `void bh_free_msg(bh_message_t)`: the cleaner runs on the body, or, without one, the body
/// is `free`d when its length is non-zero. A message still in a queue is not freed.
#[unsafe(no_mangle)]
pub extern "C" fn bh_free_msg(msg: *mut c_void) {
    guard("bh_free_msg", (), || {
        queue::free_msg(msg as usize);
    })
}

/// `bool bh_post_msg(bh_queue *, unsigned short tag, void *body, unsigned int len)`: takes
/// ownership of `body`; false (and the message dropped and freed) when the queue is full.
#[unsafe(no_mangle)]
pub extern "C" fn bh_post_msg(
    q: *mut c_void,
    tag: c_ushort,
    body: *mut c_void,
    len: c_uint,
) -> bool {
    guard("bh_post_msg", false, || {
        let Some(q) = queue::queue(q as usize) else {
            return false;
        };
        q.post(queue::new_msg(tag, body, len, None))
    })
}

/// `bool bh_post_msg2(bh_queue *, bh_message_t)`: as [`bh_post_msg`] with a message from
/// `bh_new_msg`.
#[unsafe(no_mangle)]
pub extern "C" fn bh_post_msg2(q: *mut c_void, msg: *mut c_void) -> bool {
    guard("bh_post_msg2", false, || {
        let Some(q) = queue::queue(q as usize) else {
            return false;
        };
        q.post(msg as usize)
    })
}

/// `bh_message_t bh_get_msg(bh_queue *, uint64 timeout_us)`: the oldest message, or NULL
/// (0: do not wait; `BHT_WAIT_FOREVER`: wait until a post or `bh_queue_exit_loop_run`).
#[unsafe(no_mangle)]
pub extern "C" fn bh_get_msg(q: *mut c_void, timeout_us: u64) -> *mut c_void {
    guard("bh_get_msg", std::ptr::null_mut(), || {
        queue::queue(q as usize)
            .and_then(|q| q.get_msg(timeout_us))
            .map_or(std::ptr::null_mut(), |m| m as *mut c_void)
    })
}

/// `char *bh_message_payload(bh_message_t)`: the body (NULL for an unknown message).
#[unsafe(no_mangle)]
pub extern "C" fn bh_message_payload(msg: *mut c_void) -> *mut c_char {
    guard("bh_message_payload", std::ptr::null_mut(), || {
        queue::with_msg(msg as usize, |m| m.body.cast::<c_char>()).unwrap_or(std::ptr::null_mut())
    })
}

/// `uint32 bh_message_payload_len(bh_message_t)`.
#[unsafe(no_mangle)]
pub extern "C" fn bh_message_payload_len(msg: *mut c_void) -> u32 {
    guard("bh_message_payload_len", 0, || {
        queue::with_msg(msg as usize, |m| m.len).unwrap_or(0)
    })
}

/// `int bh_message_type(bh_message_t)`: the tag.
#[unsafe(no_mangle)]
pub extern "C" fn bh_message_type(msg: *mut c_void) -> c_int {
    guard("bh_message_type", 0, || {
        queue::with_msg(msg as usize, |m| m.tag as c_int).unwrap_or(0)
    })
}

/// `unsigned bh_queue_get_message_count(bh_queue *)`: 0 for NULL.
#[unsafe(no_mangle)]
pub extern "C" fn bh_queue_get_message_count(q: *mut c_void) -> c_uint {
    guard("bh_queue_get_message_count", 0, || {
        queue::queue(q as usize).map_or(0, |q| q.len() as c_uint)
    })
}

/// `void bh_queue_enter_loop_run(bh_queue *, bh_queue_handle_msg_callback, void *arg)`:
/// until `bh_queue_exit_loop_run`, wait for each message, pass it to `cb(msg, arg)`, free it.
///
/// # Safety
/// `cb` is NULL or a valid callback for `arg`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bh_queue_enter_loop_run(
    q: *mut c_void,
    cb: Option<unsafe extern "C" fn(*mut c_void, *mut c_void)>,
    arg: *mut c_void,
) {
    guard("bh_queue_enter_loop_run", (), || {
        let (Some(q), Some(cb)) = (queue::queue(q as usize), cb) else {
            return;
        };
        q.run_loop(|m| {
            // SAFETY: the caller's callback, given a live message it may read.
            unsafe { cb(m as *mut c_void, arg) }
        });
    })
}

/// `void bh_queue_exit_loop_run(bh_queue *)`: make the loop return after its current wait.
#[unsafe(no_mangle)]
pub extern "C" fn bh_queue_exit_loop_run(q: *mut c_void) {
    guard("bh_queue_exit_loop_run", (), || {
        if let Some(q) = queue::queue(q as usize) {
            q.exit_loop();
        }
    })
}
