//! `bh_vector.h`, `bh_hashmap.h`, `bh_list.h`: the C entry points of WAMR's containers over
//! [`crate::util`], with WAMR's argument checks and error lines.
//!
//! # Invariants
//! A `Vector *` / `bh_list *` is NULL or the caller's struct, used as the `util` modules'
//! contracts describe; element buffers hold the vector's element size. Hash maps are looked
//! up by address, never dereferenced here.

use std::ffi::c_void;

use crate::capi::ffi::guard;
use crate::os::log;
use crate::util::hashmap::{self, Callbacks, DestroyFunc, HashFunc, KeyEqualFunc, TraverseFunc};
use crate::util::list::{self, Link, List};
use crate::util::vector::{self, Vector};

fn null_error(msg: &str) -> bool {
    log::log(log::ERROR, msg);
    false
}

/// `bool bh_vector_init(Vector *, size_t init_length, size_t size_elem, bool use_lock)`.
///
/// # Safety
/// `v` is NULL or a writable `Vector`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bh_vector_init(
    v: *mut Vector,
    init_length: usize,
    size_elem: usize,
    use_lock: bool,
) -> bool {
    guard("bh_vector_init", false, || {
        if v.is_null() {
            return null_error("Init vector failed: vector is NULL.\n");
        }
        // SAFETY: writable per the contract.
        unsafe { vector::init(v, init_length, size_elem, use_lock) }
    })
}

macro_rules! vector_elem_fn {
    ($(#[$doc:meta])* $name:ident, $what:literal, $ptr:ty, $op:path) => {
        $(#[$doc])*
        ///
        /// # Safety
        /// `v` is NULL or an initialised `Vector`; `elem` is NULL or holds its element size.
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $name(v: *mut Vector, index: u32, elem: $ptr) -> bool {
            guard(stringify!($name), false, || {
                if v.is_null() || elem.is_null() {
                    return null_error(concat!($what, " vector elem failed: vector or elem buf is NULL.\n"));
                }
                // SAFETY: module invariant.
                unsafe { $op(v, index, elem.cast()) }
            })
        }
    };
}

vector_elem_fn!(
    /// `bool bh_vector_set(Vector *, uint32 index, const void *elem_buf)`.
    bh_vector_set, "Set", *const c_void, vector::set
);
vector_elem_fn!(
    /// `bool bh_vector_get(Vector *, uint32 index, void *elem_buf)`.
    bh_vector_get, "Get", *mut c_void, vector::get
);
vector_elem_fn!(
    /// `bool bh_vector_insert(Vector *, uint32 index, const void *elem_buf)`: WAMR's placement
    /// (the element lands after `index`, which must be `< size`).
    bh_vector_insert, "Insert", *const c_void, vector::insert
);

/// `bool bh_vector_append(Vector *, const void *elem_buf)`.
///
/// # Safety
/// `v` is NULL or an initialised `Vector`; `elem` is NULL or holds its element size.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bh_vector_append(v: *mut Vector, elem: *const c_void) -> bool {
    guard("bh_vector_append", false, || {
        if v.is_null() || elem.is_null() {
            return null_error("Append vector elem failed: vector or elem buf is NULL.\n");
        }
        // SAFETY: module invariant.
        unsafe { vector::append(v, elem.cast()) }
    })
}

/// `bool bh_vector_remove(Vector *, uint32 index, void *old_elem_buf)`.
///
/// # Safety
/// `v` is NULL or an initialised `Vector`; `old` is NULL or holds its element size.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bh_vector_remove(v: *mut Vector, index: u32, old: *mut c_void) -> bool {
    guard("bh_vector_remove", false, || {
        if v.is_null() {
            return null_error("Remove vector elem failed: vector is NULL.\n");
        }
        // SAFETY: module invariant.
        unsafe { vector::remove(v, index, old.cast()) }
    })
}

/// `size_t bh_vector_size(const Vector *)`: 0 for NULL.
///
/// # Safety
/// `v` is NULL or an initialised `Vector`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bh_vector_size(v: *const Vector) -> usize {
    guard("bh_vector_size", 0, || {
        if v.is_null() {
            return 0;
        }
        // SAFETY: module invariant.
        unsafe { (*v).num_elems }
    })
}

/// `bool bh_vector_destroy(Vector *)`: frees the storage and zeroes the struct.
///
/// # Safety
/// `v` is NULL or an initialised (or zeroed) `Vector` no other thread uses.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bh_vector_destroy(v: *mut Vector) -> bool {
    guard("bh_vector_destroy", false, || {
        if v.is_null() {
            return null_error("Destroy vector elem failed: vector is NULL.\n");
        }
        // SAFETY: module invariant.
        unsafe { vector::destroy(v) };
        true
    })
}

/// `HashMap *bh_hash_map_create(uint32 size, bool use_lock, HashFunc, KeyEqualFunc,
/// KeyDestroyFunc, ValueDestroyFunc)`: NULL when the size is above 65536 or a required
/// function is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn bh_hash_map_create(
    size: u32,
    use_lock: bool,
    hash: Option<HashFunc>,
    equal: Option<KeyEqualFunc>,
    key_destroy: Option<DestroyFunc>,
    value_destroy: Option<DestroyFunc>,
) -> *mut c_void {
    guard("bh_hash_map_create", std::ptr::null_mut(), || {
        let (Some(hash), Some(equal)) = (hash, equal) else {
            log::log(
                log::ERROR,
                "HashMap create failed: hash function or key equal function  is NULL.\n",
            );
            return std::ptr::null_mut();
        };
        let cb = Callbacks {
            hash,
            equal,
            key_destroy,
            value_destroy,
        };
        hashmap::create(size, use_lock, cb).map_or(std::ptr::null_mut(), |m| m as *mut c_void)
    })
}

fn map_key_ok(map: *mut c_void, key: *mut c_void, what: &str) -> bool {
    if map.is_null() || key.is_null() {
        log::log(
            log::ERROR,
            &format!("HashMap {what} elem failed: map or key is NULL.\n"),
        );
        return false;
    }
    true
}

/// `bool bh_hash_map_insert(HashMap *, void *key, void *value)`: false for a duplicate key.
#[unsafe(no_mangle)]
pub extern "C" fn bh_hash_map_insert(
    map: *mut c_void,
    key: *mut c_void,
    value: *mut c_void,
) -> bool {
    guard("bh_hash_map_insert", false, || {
        map_key_ok(map, key, "insert")
            && hashmap::insert(map as usize, key as usize, value as usize).unwrap_or(false)
    })
}

/// `void *bh_hash_map_find(HashMap *, void *key)`: the value or NULL.
#[unsafe(no_mangle)]
pub extern "C" fn bh_hash_map_find(map: *mut c_void, key: *mut c_void) -> *mut c_void {
    guard("bh_hash_map_find", std::ptr::null_mut(), || {
        if !map_key_ok(map, key, "find") {
            return std::ptr::null_mut();
        }
        match hashmap::find(map as usize, key as usize) {
            Ok(Some(v)) => v as *mut c_void,
            _ => std::ptr::null_mut(),
        }
    })
}

/// `bool bh_hash_map_update(HashMap *, void *key, void *value, void **p_old_value)`: false
/// when the key is absent.
///
/// # Safety
/// `p_old` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bh_hash_map_update(
    map: *mut c_void,
    key: *mut c_void,
    value: *mut c_void,
    p_old: *mut *mut c_void,
) -> bool {
    guard("bh_hash_map_update", false, || {
        if !map_key_ok(map, key, "update") {
            return false;
        }
        match hashmap::update(map as usize, key as usize, value as usize) {
            Ok(Some(old)) => {
                if !p_old.is_null() {
                    // SAFETY: writable per the contract.
                    unsafe { p_old.write(old as *mut c_void) };
                }
                true
            }
            _ => false,
        }
    })
}

/// `bool bh_hash_map_remove(HashMap *, void *key, void **p_old_key, void **p_old_value)`.
///
/// # Safety
/// `p_old_key` and `p_old_value` are NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bh_hash_map_remove(
    map: *mut c_void,
    key: *mut c_void,
    p_old_key: *mut *mut c_void,
    p_old_value: *mut *mut c_void,
) -> bool {
    guard("bh_hash_map_remove", false, || {
        if !map_key_ok(map, key, "remove") {
            return false;
        }
        match hashmap::remove(map as usize, key as usize) {
            Ok(Some((k, v))) => {
                // SAFETY: each NULL or writable per the contract.
                unsafe {
                    if !p_old_key.is_null() {
                        p_old_key.write(k as *mut c_void);
                    }
                    if !p_old_value.is_null() {
                        p_old_value.write(v as *mut c_void);
                    }
                }
                true
            }
            _ => false,
        }
    })
}

/// `bool bh_hash_map_destroy(HashMap *)`: runs the key and value destructors.
#[unsafe(no_mangle)]
pub extern "C" fn bh_hash_map_destroy(map: *mut c_void) -> bool {
    guard("bh_hash_map_destroy", false, || {
        if map.is_null() {
            return null_error("HashMap destroy failed: map is NULL.\n");
        }
        hashmap::destroy(map as usize).is_ok()
    })
}

/// `uint32 bh_hash_map_get_struct_size(HashMap *)`: the size WAMR's map struct would have.
#[unsafe(no_mangle)]
pub extern "C" fn bh_hash_map_get_struct_size(map: *mut c_void) -> u32 {
    guard("bh_hash_map_get_struct_size", 0, || {
        hashmap::struct_size(map as usize).unwrap_or(0)
    })
}

/// `uint32 bh_hash_map_get_elem_struct_size(void)`.
#[unsafe(no_mangle)]
pub extern "C" fn bh_hash_map_get_elem_struct_size() -> u32 {
    guard(
        "bh_hash_map_get_elem_struct_size",
        0,
        hashmap::elem_struct_size,
    )
}

/// `bool bh_hash_map_traverse(HashMap *, TraverseCallbackFunc, void *user_data)`.
///
/// # Safety
/// `cb` is NULL or accepts the map's keys and values and `user`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bh_hash_map_traverse(
    map: *mut c_void,
    cb: Option<TraverseFunc>,
    user: *mut c_void,
) -> bool {
    guard("bh_hash_map_traverse", false, || {
        let Some(cb) = cb.filter(|_| !map.is_null()) else {
            return null_error("HashMap traverse failed: map or callback is NULL.\n");
        };
        // SAFETY: the caller's callback for its map and `user`.
        unsafe { hashmap::traverse(map as usize, cb, user) }.is_ok()
    })
}

/// `bh_list_status bh_list_init(bh_list *)`.
///
/// # Safety
/// `l` is NULL or a writable `bh_list`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bh_list_init(l: *mut List) -> i32 {
    guard("bh_list_init", list::ERROR, || {
        if l.is_null() {
            return list::ERROR;
        }
        // SAFETY: writable per the contract.
        unsafe { list::init(l) };
        list::SUCCESS
    })
}

/// `bh_list_status bh_list_insert(bh_list *, void *elem)`: at the head; an element already
/// in the list is refused.
///
/// # Safety
/// `l` is NULL or an initialised list; `elem` is NULL or an element starting with a link.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bh_list_insert(l: *mut List, elem: *mut c_void) -> i32 {
    guard("bh_list_insert", list::ERROR, || {
        if l.is_null() || elem.is_null() {
            return list::ERROR;
        }
        // SAFETY: per the contract.
        unsafe { list::insert(l, elem.cast::<Link>()) }
    })
}

/// `bh_list_status bh_list_remove(bh_list *, void *elem)`.
///
/// # Safety
/// As [`bh_list_insert`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bh_list_remove(l: *mut List, elem: *mut c_void) -> i32 {
    guard("bh_list_remove", list::ERROR, || {
        if l.is_null() || elem.is_null() {
            return list::ERROR;
        }
        // SAFETY: per the contract.
        unsafe { list::remove(l, elem.cast::<Link>()) }
    })
}

/// `uint32 bh_list_length(bh_list *)`: 0 for NULL.
///
/// # Safety
/// `l` is NULL or an initialised list.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bh_list_length(l: *mut List) -> u32 {
    guard("bh_list_length", 0, || {
        if l.is_null() {
            return 0;
        }
        // SAFETY: per the contract.
        unsafe { (*l).len }
    })
}

/// `void *bh_list_first_elem(bh_list *)`: NULL for NULL or an empty list.
///
/// # Safety
/// `l` is NULL or an initialised list.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bh_list_first_elem(l: *mut List) -> *mut c_void {
    guard("bh_list_first_elem", std::ptr::null_mut(), || {
        if l.is_null() {
            return std::ptr::null_mut();
        }
        // SAFETY: per the contract.
        unsafe { (*l).head.next.cast() }
    })
}

/// `void *bh_list_elem_next(void *node)`: NULL for NULL or the last element.
///
/// # Safety
/// `node` is NULL or an element starting with a link.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bh_list_elem_next(node: *mut c_void) -> *mut c_void {
    guard("bh_list_elem_next", std::ptr::null_mut(), || {
        if node.is_null() {
            return std::ptr::null_mut();
        }
        // SAFETY: per the contract.
        unsafe { (*node.cast::<Link>()).next.cast() }
    })
}
