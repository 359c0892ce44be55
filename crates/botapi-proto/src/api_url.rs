//! The base URL of a Bot API server: the cloud, a local server, or a gateway.

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

/// Where the Bot API lives: `https://api.telegram.org` by default, or any `http`/`https`
/// base such as a local Bot API server (`http://127.0.0.1:8081`) or a gateway with a path
/// prefix (`https://gateway.example/telegram`).
///
/// The URL is checked once, here: it must have a scheme of `http` or `https` and a host,
/// and no query, fragment or credentials. A trailing `/` is dropped. Requests then go to
/// `{base}/bot{token}/{method}`.
///
/// ```
/// use botapi_proto::ApiUrl;
///
/// let local: ApiUrl = "http://127.0.0.1:8081/".parse()?;
/// assert_eq!(local.as_str(), "http://127.0.0.1:8081");
/// assert_eq!(ApiUrl::default().as_str(), "https://api.telegram.org");
/// # Ok::<(), botapi_proto::ApiUrlError>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ApiUrl(Arc<str>);

/// The Bot API in Telegram's cloud.
pub const CLOUD_API_URL: &str = "https://api.telegram.org";

impl ApiUrl {
    /// Checks and wraps a base URL.
    pub fn new(url: &str) -> Result<Self, ApiUrlError> {
        let trimmed = url.trim_end_matches('/');
        if trimmed.contains(['?', '#']) {
            return Err(ApiUrlError::QueryOrFragment);
        }
        if trimmed.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(ApiUrlError::Invalid);
        }
        let uri: http::Uri = trimmed.parse().map_err(|_| ApiUrlError::Invalid)?;
        match uri.scheme_str() {
            Some("http" | "https") => {}
            Some(_) => return Err(ApiUrlError::UnsupportedScheme),
            None => return Err(ApiUrlError::MissingScheme),
        }
        let authority = uri.authority().ok_or(ApiUrlError::MissingHost)?;
        if authority.as_str().contains('@') {
            return Err(ApiUrlError::Credentials);
        }
        if authority.host().is_empty() {
            return Err(ApiUrlError::MissingHost);
        }
        Ok(ApiUrl(trimmed.into()))
    }

    /// The base URL without a trailing `/`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether this is Telegram's cloud (`https://api.telegram.org`).
    pub fn is_cloud(&self) -> bool {
        &*self.0 == CLOUD_API_URL
    }
}

impl Default for ApiUrl {
    fn default() -> Self {
        ApiUrl(CLOUD_API_URL.into())
    }
}

impl FromStr for ApiUrl {
    type Err = ApiUrlError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ApiUrl::new(s)
    }
}

impl fmt::Debug for ApiUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for ApiUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Why a string is not a usable Bot API base URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ApiUrlError {
    /// Not a URL at all.
    Invalid,
    /// No `http://` or `https://` in front.
    MissingScheme,
    /// A scheme other than `http` or `https`.
    UnsupportedScheme,
    /// No host name or address.
    MissingHost,
    /// A `?query` or `#fragment`, which would end up in the middle of every request path.
    QueryOrFragment,
    /// `user:password@` in the URL; put credentials in a proxy or gateway instead.
    Credentials,
}

impl fmt::Display for ApiUrlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ApiUrlError::Invalid => "invalid API URL",
            ApiUrlError::MissingScheme => "API URL must start with http:// or https://",
            ApiUrlError::UnsupportedScheme => "API URL scheme must be http or https",
            ApiUrlError::MissingHost => "API URL has no host",
            ApiUrlError::QueryOrFragment => "API URL must not have a query or fragment",
            ApiUrlError::Credentials => "API URL must not hold credentials",
        })
    }
}

impl std::error::Error for ApiUrlError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_cloud_local_and_gateway_bases() {
        for (input, expected) in [
            ("https://api.telegram.org", "https://api.telegram.org"),
            ("http://127.0.0.1:8081/", "http://127.0.0.1:8081"),
            (
                "https://gateway.example/telegram/",
                "https://gateway.example/telegram",
            ),
            ("http://[::1]:8081", "http://[::1]:8081"),
        ] {
            assert_eq!(ApiUrl::new(input).unwrap().as_str(), expected);
        }
        assert!(ApiUrl::default().is_cloud());
        assert!(!ApiUrl::new("http://127.0.0.1:8081").unwrap().is_cloud());
    }

    #[test]
    fn refuses_unusable_bases() {
        for (input, expected) in [
            ("", ApiUrlError::Invalid),
            ("api.telegram.org", ApiUrlError::MissingScheme),
            ("ftp://api.telegram.org", ApiUrlError::UnsupportedScheme),
            (
                "https://api.telegram.org/?x=1",
                ApiUrlError::QueryOrFragment,
            ),
            ("https://api.telegram.org#x", ApiUrlError::QueryOrFragment),
            ("https://user:pw@api.telegram.org", ApiUrlError::Credentials),
            ("https://api.tele gram.org", ApiUrlError::Invalid),
        ] {
            assert_eq!(ApiUrl::new(input), Err(expected), "{input:?}");
        }
    }
}
