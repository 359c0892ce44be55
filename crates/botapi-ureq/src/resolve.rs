//! Name resolution for the agent this crate builds: IP literals without a lookup.
//!
//! ureq resolves the host before every request, even one that reuses a pooled connection,
//! and once any timeout covers resolution (our whole-request timeout does) it does so on a
//! new thread per request. For a local Bot API server addressed by IP (`http://127.0.0.1:8081`)
//! that thread costs more than the loopback exchange itself, so addresses that need no lookup
//! are answered here; host names still go to ureq's resolver, with its timeout.
//!
//! ureq's resolver trait sits in its `unversioned` module, outside its semver promise; this
//! module is the only place that uses it.

use std::net::{IpAddr, SocketAddr};

use ureq::config::Config;
use ureq::http::Uri;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::NextTimeout;

/// ureq's resolver, short-circuited for IP literals.
#[derive(Debug, Default)]
pub(crate) struct LiteralFirst(DefaultResolver);

impl Resolver for LiteralFirst {
    fn resolve(
        &self,
        uri: &Uri,
        config: &Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        match literal(uri) {
            Some(addr) => {
                let mut addrs = self.empty();
                addrs.push(addr);
                Ok(addrs)
            }
            None => self.0.resolve(uri, config, timeout),
        }
    }
}

/// The socket address of a URI whose host is an IP address.
fn literal(uri: &Uri) -> Option<SocketAddr> {
    let host = uri.host()?;
    let host = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    let ip: IpAddr = host.parse().ok()?;
    let port = uri.port_u16().or(match uri.scheme_str()? {
        "http" => Some(80),
        "https" => Some(443),
        _ => None,
    })?;
    Some(SocketAddr::new(ip, port))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_resolve_in_place_and_names_do_not() {
        let cases = [
            ("http://127.0.0.1:8081/bot1:a/getMe", Some("127.0.0.1:8081")),
            ("https://[::1]/x", Some("[::1]:443")),
            ("http://10.1.2.3/x", Some("10.1.2.3:80")),
            ("https://api.telegram.org/bot1:a/getMe", None),
            ("http://localhost:8081/", None),
        ];
        for (uri, expected) in cases {
            let uri: Uri = uri.parse().unwrap();
            let expected = expected.map(|a| a.parse::<SocketAddr>().unwrap());
            assert_eq!(literal(&uri), expected, "{uri}");
        }
    }
}
