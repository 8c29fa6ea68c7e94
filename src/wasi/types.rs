//! WASI preview1 (`wasi_snapshot_preview1`) constants: errno values, rights, file types, flags
//! and the byte layout of the structures the guest passes (wasm32, little endian).
//!
//! Values are those of the preview1 witx definitions; they are part of the guest ABI.

/// A preview1 errno value (`__wasi_errno_t`).
#[allow(missing_docs)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u16)]
pub enum Errno {
    Success = 0,
    TooBig = 1,
    Acces = 2,
    Addrinuse = 3,
    Addrnotavail = 4,
    Afnosupport = 5,
    Again = 6,
    Already = 7,
    Badf = 8,
    Badmsg = 9,
    Busy = 10,
    Canceled = 11,
    Child = 12,
    Connaborted = 13,
    Connrefused = 14,
    Connreset = 15,
    Deadlk = 16,
    Destaddrreq = 17,
    Dom = 18,
    Dquot = 19,
    Exist = 20,
    Fault = 21,
    Fbig = 22,
    Hostunreach = 23,
    Idrm = 24,
    Ilseq = 25,
    Inprogress = 26,
    Intr = 27,
    Inval = 28,
    Io = 29,
    Isconn = 30,
    Isdir = 31,
    Loop = 32,
    Mfile = 33,
    Mlink = 34,
    Msgsize = 35,
    Multihop = 36,
    Nametoolong = 37,
    Netdown = 38,
    Netreset = 39,
    Netunreach = 40,
    Nfile = 41,
    Nobufs = 42,
    Nodev = 43,
    Noent = 44,
    Noexec = 45,
    Nolck = 46,
    Nolink = 47,
    Nomem = 48,
    Nomsg = 49,
    Noprotoopt = 50,
    Nospc = 51,
    Nosys = 52,
    Notconn = 53,
    Notdir = 54,
    Notempty = 55,
    Notrecoverable = 56,
    Notsock = 57,
    Notsup = 58,
    Notty = 59,
    Nxio = 60,
    Overflow = 61,
    Ownerdead = 62,
    Perm = 63,
    Pipe = 64,
    Proto = 65,
    Protonosupport = 66,
    Prototype = 67,
    Range = 68,
    Rofs = 69,
    Spipe = 70,
    Srch = 71,
    Stale = 72,
    Timedout = 73,
    Txtbsy = 74,
    Xdev = 75,
    Notcapable = 76,
}

impl Errno {
    /// The preview1 errno for a host `errno` value (Linux numbering).
    pub fn from_raw_os(e: i32) -> Errno {
        use Errno::*;
        match e {
            libc::E2BIG => TooBig,
            libc::EACCES => Acces,
            libc::EADDRINUSE => Addrinuse,
            libc::EADDRNOTAVAIL => Addrnotavail,
            libc::EAFNOSUPPORT => Afnosupport,
            libc::EAGAIN => Again,
            libc::EALREADY => Already,
            libc::EBADF => Badf,
            libc::EBADMSG => Badmsg,
            libc::EBUSY => Busy,
            libc::ECANCELED => Canceled,
            libc::ECHILD => Child,
            libc::ECONNABORTED => Connaborted,
            libc::ECONNREFUSED => Connrefused,
            libc::ECONNRESET => Connreset,
            libc::EDEADLK => Deadlk,
            libc::EDESTADDRREQ => Destaddrreq,
            libc::EDOM => Dom,
            libc::EDQUOT => Dquot,
            libc::EEXIST => Exist,
            libc::EFAULT => Fault,
            libc::EFBIG => Fbig,
            libc::EHOSTUNREACH => Hostunreach,
            libc::EIDRM => Idrm,
            libc::EILSEQ => Ilseq,
            libc::EINPROGRESS => Inprogress,
            libc::EINTR => Intr,
            libc::EINVAL => Inval,
            libc::EIO => Io,
            libc::EISCONN => Isconn,
            libc::EISDIR => Isdir,
            libc::ELOOP => Loop,
            libc::EMFILE => Mfile,
            libc::EMLINK => Mlink,
            libc::EMSGSIZE => Msgsize,
            libc::EMULTIHOP => Multihop,
            libc::ENAMETOOLONG => Nametoolong,
            libc::ENETDOWN => Netdown,
            libc::ENETRESET => Netreset,
            libc::ENETUNREACH => Netunreach,
            libc::ENFILE => Nfile,
            libc::ENOBUFS => Nobufs,
            libc::ENODEV => Nodev,
            libc::ENOENT => Noent,
            libc::ENOEXEC => Noexec,
            libc::ENOLCK => Nolck,
            libc::ENOLINK => Nolink,
            libc::ENOMEM => Nomem,
            libc::ENOMSG => Nomsg,
            libc::ENOPROTOOPT => Noprotoopt,
            libc::ENOSPC => Nospc,
            libc::ENOSYS => Nosys,
            libc::ENOTCONN => Notconn,
            libc::ENOTDIR => Notdir,
            libc::ENOTEMPTY => Notempty,
            libc::ENOTRECOVERABLE => Notrecoverable,
            libc::ENOTSOCK => Notsock,
            libc::EOPNOTSUPP => Notsup,
            libc::ENOTTY => Notty,
            libc::ENXIO => Nxio,
            libc::EOVERFLOW => Overflow,
            libc::EOWNERDEAD => Ownerdead,
            libc::EPERM => Perm,
            libc::EPIPE => Pipe,
            libc::EPROTO => Proto,
            libc::EPROTONOSUPPORT => Protonosupport,
            libc::EPROTOTYPE => Prototype,
            libc::ERANGE => Range,
            libc::EROFS => Rofs,
            libc::ESPIPE => Spipe,
            libc::ESRCH => Srch,
            libc::ESTALE => Stale,
            libc::ETIMEDOUT => Timedout,
            libc::ETXTBSY => Txtbsy,
            libc::EXDEV => Xdev,
            _ => Io,
        }
    }

    /// The errno of the calling thread's last failed system call.
    pub fn last_os() -> Errno {
        Errno::from_raw_os(std::io::Error::last_os_error().raw_os_error().unwrap_or(0))
    }
}

impl From<std::io::Error> for Errno {
    fn from(e: std::io::Error) -> Errno {
        match e.raw_os_error() {
            Some(n) => Errno::from_raw_os(n),
            None => match e.kind() {
                std::io::ErrorKind::NotFound => Errno::Noent,
                std::io::ErrorKind::PermissionDenied => Errno::Acces,
                std::io::ErrorKind::InvalidInput => Errno::Inval,
                _ => Errno::Io,
            },
        }
    }
}

/// Preview1 rights (`__wasi_rights_t` bits).
pub mod rights {
    #![allow(missing_docs)]
    pub const FD_DATASYNC: u64 = 1 << 0;
    pub const FD_READ: u64 = 1 << 1;
    pub const FD_SEEK: u64 = 1 << 2;
    pub const FD_FDSTAT_SET_FLAGS: u64 = 1 << 3;
    pub const FD_SYNC: u64 = 1 << 4;
    pub const FD_TELL: u64 = 1 << 5;
    pub const FD_WRITE: u64 = 1 << 6;
    pub const FD_ADVISE: u64 = 1 << 7;
    pub const FD_ALLOCATE: u64 = 1 << 8;
    pub const PATH_CREATE_DIRECTORY: u64 = 1 << 9;
    pub const PATH_CREATE_FILE: u64 = 1 << 10;
    pub const PATH_LINK_SOURCE: u64 = 1 << 11;
    pub const PATH_LINK_TARGET: u64 = 1 << 12;
    pub const PATH_OPEN: u64 = 1 << 13;
    pub const FD_READDIR: u64 = 1 << 14;
    pub const PATH_READLINK: u64 = 1 << 15;
    pub const PATH_RENAME_SOURCE: u64 = 1 << 16;
    pub const PATH_RENAME_TARGET: u64 = 1 << 17;
    pub const PATH_FILESTAT_GET: u64 = 1 << 18;
    pub const PATH_FILESTAT_SET_SIZE: u64 = 1 << 19;
    pub const PATH_FILESTAT_SET_TIMES: u64 = 1 << 20;
    pub const FD_FILESTAT_GET: u64 = 1 << 21;
    pub const FD_FILESTAT_SET_SIZE: u64 = 1 << 22;
    pub const FD_FILESTAT_SET_TIMES: u64 = 1 << 23;
    pub const PATH_SYMLINK: u64 = 1 << 24;
    pub const PATH_REMOVE_DIRECTORY: u64 = 1 << 25;
    pub const PATH_UNLINK_FILE: u64 = 1 << 26;
    pub const POLL_FD_READWRITE: u64 = 1 << 27;
    pub const SOCK_SHUTDOWN: u64 = 1 << 28;
    pub const SOCK_ACCEPT: u64 = 1 << 29;

    /// Every right preview1 defines.
    pub const ALL: u64 = (1 << 30) - 1;

    /// Rights meaningful on a regular file.
    pub const REGULAR_FILE_BASE: u64 = FD_DATASYNC
        | FD_READ
        | FD_SEEK
        | FD_FDSTAT_SET_FLAGS
        | FD_SYNC
        | FD_TELL
        | FD_WRITE
        | FD_ADVISE
        | FD_ALLOCATE
        | FD_FILESTAT_GET
        | FD_FILESTAT_SET_SIZE
        | FD_FILESTAT_SET_TIMES
        | POLL_FD_READWRITE;

    /// Rights meaningful on a directory.
    pub const DIRECTORY_BASE: u64 = FD_FDSTAT_SET_FLAGS
        | FD_SYNC
        | FD_ADVISE
        | PATH_CREATE_DIRECTORY
        | PATH_CREATE_FILE
        | PATH_LINK_SOURCE
        | PATH_LINK_TARGET
        | PATH_OPEN
        | FD_READDIR
        | PATH_READLINK
        | PATH_RENAME_SOURCE
        | PATH_RENAME_TARGET
        | PATH_FILESTAT_GET
        | PATH_FILESTAT_SET_SIZE
        | PATH_FILESTAT_SET_TIMES
        | FD_FILESTAT_GET
        | FD_FILESTAT_SET_TIMES
        | PATH_SYMLINK
        | PATH_REMOVE_DIRECTORY
        | PATH_UNLINK_FILE
        | POLL_FD_READWRITE;

    /// Rights a directory passes on to what is opened beneath it.
    pub const DIRECTORY_INHERITING: u64 = DIRECTORY_BASE | REGULAR_FILE_BASE;

    /// Rights of a terminal or other character device (no seek/tell, so `isatty` works).
    pub const TTY_BASE: u64 =
        FD_READ | FD_FDSTAT_SET_FLAGS | FD_WRITE | FD_FILESTAT_GET | POLL_FD_READWRITE;

    /// Rights of a pipe or an unknown stream.
    pub const STREAM_BASE: u64 = TTY_BASE;

    /// Rights of a socket.
    pub const SOCKET_BASE: u64 = FD_READ
        | FD_FDSTAT_SET_FLAGS
        | FD_WRITE
        | FD_FILESTAT_GET
        | POLL_FD_READWRITE
        | SOCK_SHUTDOWN
        | SOCK_ACCEPT;

    /// Rights that change the file system; removed from read-only preopens.
    pub const MUTATING: u64 = FD_DATASYNC
        | FD_WRITE
        | FD_ALLOCATE
        | PATH_CREATE_DIRECTORY
        | PATH_CREATE_FILE
        | PATH_LINK_SOURCE
        | PATH_LINK_TARGET
        | PATH_RENAME_SOURCE
        | PATH_RENAME_TARGET
        | PATH_FILESTAT_SET_SIZE
        | PATH_FILESTAT_SET_TIMES
        | FD_FILESTAT_SET_SIZE
        | FD_FILESTAT_SET_TIMES
        | PATH_SYMLINK
        | PATH_REMOVE_DIRECTORY
        | PATH_UNLINK_FILE;
}

/// `__wasi_filetype_t`.
#[allow(missing_docs)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum FileType {
    Unknown = 0,
    BlockDevice = 1,
    CharacterDevice = 2,
    Directory = 3,
    RegularFile = 4,
    SocketDgram = 5,
    SocketStream = 6,
    SymbolicLink = 7,
}

impl FileType {
    /// The file type of a host `st_mode`.
    pub fn from_mode(mode: u32) -> FileType {
        match mode & libc::S_IFMT {
            libc::S_IFBLK => FileType::BlockDevice,
            libc::S_IFCHR => FileType::CharacterDevice,
            libc::S_IFDIR => FileType::Directory,
            libc::S_IFREG => FileType::RegularFile,
            libc::S_IFSOCK => FileType::SocketStream,
            libc::S_IFLNK => FileType::SymbolicLink,
            _ => FileType::Unknown,
        }
    }

    /// The file type of a `d_type` from `readdir`.
    pub fn from_dirent_type(t: u8) -> FileType {
        match t {
            libc::DT_BLK => FileType::BlockDevice,
            libc::DT_CHR => FileType::CharacterDevice,
            libc::DT_DIR => FileType::Directory,
            libc::DT_REG => FileType::RegularFile,
            libc::DT_SOCK => FileType::SocketStream,
            libc::DT_LNK => FileType::SymbolicLink,
            _ => FileType::Unknown,
        }
    }
}

/// `__wasi_fdflags_t` bits.
pub mod fdflags {
    #![allow(missing_docs)]
    pub const APPEND: u16 = 1;
    pub const DSYNC: u16 = 2;
    pub const NONBLOCK: u16 = 4;
    pub const RSYNC: u16 = 8;
    pub const SYNC: u16 = 16;
}

/// `__wasi_oflags_t` bits.
pub mod oflags {
    #![allow(missing_docs)]
    pub const CREAT: u16 = 1;
    pub const DIRECTORY: u16 = 2;
    pub const EXCL: u16 = 4;
    pub const TRUNC: u16 = 8;
}

/// `__wasi_lookupflags_t`: follow a symbolic link in the last component.
pub const LOOKUP_SYMLINK_FOLLOW: u32 = 1;

/// `__wasi_fstflags_t` bits.
pub mod fstflags {
    #![allow(missing_docs)]
    pub const ATIM: u16 = 1;
    pub const ATIM_NOW: u16 = 2;
    pub const MTIM: u16 = 4;
    pub const MTIM_NOW: u16 = 8;
}

/// Byte layouts of preview1 structures in guest memory.
pub mod layout {
    #![allow(missing_docs)]
    pub const IOVEC_SIZE: u64 = 8;
    pub const FDSTAT_SIZE: usize = 24;
    pub const FILESTAT_SIZE: usize = 64;
    pub const DIRENT_SIZE: usize = 24;
    pub const PRESTAT_SIZE: usize = 8;
    pub const SUBSCRIPTION_SIZE: u64 = 48;
    pub const EVENT_SIZE: usize = 32;
}

/// Largest number of iovecs accepted in one call (POSIX `IOV_MAX` on Linux); more is `inval`.
pub const IOV_MAX: u32 = 1024;

/// Longest path accepted from a guest, in bytes (Linux `PATH_MAX`); more is `nametoolong`.
pub const PATH_MAX: u32 = 4096;

/// Why a WASI call did not succeed: an errno returned to the guest, or a trap that ends the
/// call (bad guest pointers, `proc_exit`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fail {
    /// Returned to the guest as the function result.
    Errno(Errno),
    /// Raised as a WebAssembly trap.
    Trap(crate::error::Trap),
}

impl From<Errno> for Fail {
    fn from(e: Errno) -> Fail {
        Fail::Errno(e)
    }
}

impl From<crate::error::Trap> for Fail {
    fn from(t: crate::error::Trap) -> Fail {
        Fail::Trap(t)
    }
}

impl From<std::io::Error> for Fail {
    fn from(e: std::io::Error) -> Fail {
        Fail::Errno(e.into())
    }
}

/// Result of a WASI function body.
pub type WasiResult = Result<(), Fail>;
