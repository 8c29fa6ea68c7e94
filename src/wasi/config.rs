//! What an embedder grants a WASI instance: arguments, environment, preopened directories,
//! stdio descriptors and the network allowlists. Nothing else is reachable by the guest.

use std::net::IpAddr;
use std::path::PathBuf;

/// A host directory granted to the guest under a guest-visible name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preopen {
    /// The name the guest sees (`fd_prestat_dir_name`), e.g. `.` or `/data`.
    pub guest_path: String,
    /// The host directory.
    pub host_path: PathBuf,
    /// Grant only rights that do not modify the file system (cWASI extension).
    pub readonly: bool,
}

/// Everything a WASI instance is granted, fixed before it starts.
#[derive(Debug, Clone, Default)]
pub struct WasiConfig {
    /// `argv`, including the program name as `argv[0]`.
    pub args: Vec<String>,
    /// Environment entries, each `KEY=VALUE`.
    pub envs: Vec<String>,
    /// Preopened directories, in guest fd order starting at 3.
    pub preopens: Vec<Preopen>,
    /// Host descriptors for guest fds 0, 1, 2; `None` (or a negative value, as WAMR's `-1`)
    /// inherits the process's 0/1/2. They are
    /// borrowed: the guest closing them never closes the host descriptor.
    pub stdio: [Option<i64>; 3],
    /// Socket address allowlist: `ADDR` or `ADDR/PREFIX` (IPv4 or IPv6), as WAMR's
    /// `--addr-pool`. Empty: no network address is allowed.
    pub addr_pool: Vec<String>,
    /// Names `sock_addr_resolve` may look up (`*` wildcards allowed), as WAMR's
    /// `--allow-resolve`. Empty: no lookup is allowed.
    pub ns_lookup_pool: Vec<String>,
}

impl WasiConfig {
    /// The configuration WAMR builds from its list arguments (`wasm_runtime_set_wasi_args`,
    /// iwasm's options): every `--dir` entry first (guest name = the string as given), then
    /// every `--map-dir` entry `guest::host`. A `--map-dir` entry without `::` is granted
    /// under its own name.
    pub fn from_wamr_lists(
        dirs: &[String],
        map_dirs: &[String],
        envs: &[String],
        args: &[String],
    ) -> WasiConfig {
        let mut preopens: Vec<Preopen> = dirs
            .iter()
            .map(|d| Preopen {
                guest_path: d.clone(),
                host_path: PathBuf::from(d),
                readonly: false,
            })
            .collect();
        preopens.extend(map_dirs.iter().map(|m| parse_map_dir(m, false)));
        WasiConfig {
            args: args.to_vec(),
            envs: envs.to_vec(),
            preopens,
            ..WasiConfig::default()
        }
    }

    /// Add a read-only preopen (`--dir-ro` / `--map-dir-ro`).
    pub fn add_readonly(&mut self, spec: &str, mapped: bool) {
        let mut p = if mapped {
            parse_map_dir(spec, true)
        } else {
            Preopen {
                guest_path: spec.to_string(),
                host_path: PathBuf::from(spec),
                readonly: true,
            }
        };
        p.readonly = true;
        self.preopens.push(p);
    }
}

fn parse_map_dir(spec: &str, readonly: bool) -> Preopen {
    match spec.split_once("::") {
        Some((guest, host)) => Preopen {
            guest_path: guest.to_string(),
            host_path: PathBuf::from(host),
            readonly,
        },
        None => Preopen {
            guest_path: spec.to_string(),
            host_path: PathBuf::from(spec),
            readonly,
        },
    }
}

/// One `--addr-pool` entry: an address and a prefix length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AddrRange {
    addr: IpAddr,
    prefix: u8,
}

impl AddrRange {
    /// Parse `ADDR` or `ADDR/PREFIX`.
    pub fn parse(s: &str) -> Result<AddrRange, String> {
        let s = s.trim();
        let (a, p) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s, None),
        };
        let addr: IpAddr = a
            .parse()
            .map_err(|_| format!("invalid address in address pool: {s}"))?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match p {
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|&n| n <= max)
                .ok_or_else(|| format!("invalid prefix length in address pool: {s}"))?,
            None => max,
        };
        Ok(AddrRange { addr, prefix })
    }

    /// True if `ip` is inside this range (an IPv4-mapped IPv6 address matches IPv4 ranges).
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
            v4 => v4,
        };
        match (self.addr, ip) {
            (IpAddr::V4(net), IpAddr::V4(a)) => {
                let mask = if self.prefix == 0 {
                    0
                } else {
                    u32::MAX << (32 - self.prefix)
                };
                u32::from(net) & mask == u32::from(a) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(a)) => {
                let mask = if self.prefix == 0 {
                    0
                } else {
                    u128::MAX << (128 - self.prefix)
                };
                u128::from(net) & mask == u128::from(a) & mask
            }
            _ => false,
        }
    }
}

/// True if `name` matches a lookup-pool pattern (`*` matches any run of characters, case is
/// ignored).
pub fn name_matches(pattern: &str, name: &str) -> bool {
    fn rec(p: &[u8], n: &[u8]) -> bool {
        match p.split_first() {
            None => n.is_empty(),
            Some((b'*', rest)) => (0..=n.len()).any(|i| rec(rest, &n[i..])),
            Some((c, rest)) => n
                .split_first()
                .is_some_and(|(d, nrest)| c.eq_ignore_ascii_case(d) && rec(rest, nrest)),
        }
    }
    // Patterns are short (command-line entries); cap the input so matching stays cheap.
    name.len() <= 255 && pattern.len() <= 255 && rec(pattern.as_bytes(), name.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wamr_lists_put_dirs_before_map_dirs() {
        let c = WasiConfig::from_wamr_lists(
            &["a".into()],
            &["/g::/h".into(), "plain".into()],
            &["K=V".into()],
            &["prog".into(), "x".into()],
        );
        let names: Vec<_> = c.preopens.iter().map(|p| p.guest_path.as_str()).collect();
        assert_eq!(names, ["a", "/g", "plain"]);
        assert_eq!(c.preopens[1].host_path, PathBuf::from("/h"));
        assert_eq!(c.args, ["prog", "x"]);
    }

    #[test]
    fn address_ranges() {
        let r = AddrRange::parse("127.0.0.0/8").unwrap();
        assert!(r.contains("127.1.2.3".parse().unwrap()));
        assert!(r.contains("::ffff:127.0.0.1".parse().unwrap()));
        assert!(!r.contains("10.0.0.1".parse().unwrap()));
        let one = AddrRange::parse("10.1.2.3").unwrap();
        assert!(one.contains("10.1.2.3".parse().unwrap()));
        assert!(!one.contains("10.1.2.4".parse().unwrap()));
        assert!(
            AddrRange::parse("::1/128")
                .unwrap()
                .contains("::1".parse().unwrap())
        );
        assert!(
            AddrRange::parse("0.0.0.0/0")
                .unwrap()
                .contains("8.8.8.8".parse().unwrap())
        );
        assert!(AddrRange::parse("1.2.3.4/33").is_err());
        assert!(AddrRange::parse("nonsense").is_err());
    }

    #[test]
    fn lookup_patterns() {
        assert!(name_matches("*.example.com", "a.example.com"));
        assert!(!name_matches("*.example.com", "example.org"));
        assert!(name_matches("localhost", "LOCALHOST"));
        assert!(name_matches("*", "anything"));
    }
}
