//! The base URL of a Bot API server: the cloud, a local server, or a gateway.

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use http::Uri;
use http::uri::{Authority, PathAndQuery, Scheme};

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
#[derive(Clone)]
pub struct ApiUrl(Arc<Base>);

/// A checked base URL, with the parts every request URI is made of parsed once.
struct Base {
    text: Box<str>,
    scheme: Scheme,
    authority: Authority,
    /// The path prefix: empty, or such as `/telegram`.
    path: Box<str>,
}

impl Base {
    /// `text` is a checked base: an `http` or `https` URI with a host.
    fn of(text: &str, uri: &Uri) -> Option<Self> {
        Some(Base {
            text: text.into(),
            scheme: uri.scheme()?.clone(),
            authority: uri.authority()?.clone(),
            path: uri.path().trim_end_matches('/').into(),
        })
    }
}

// The parts follow from the text, so it alone decides.
impl PartialEq for ApiUrl {
    fn eq(&self, other: &Self) -> bool {
        self.0.text == other.0.text
    }
}

impl Eq for ApiUrl {}

impl std::hash::Hash for ApiUrl {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.text.hash(state);
    }
}

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
        let base = Base::of(trimmed, &uri).ok_or(ApiUrlError::Invalid)?;
        Ok(ApiUrl(Arc::new(base)))
    }

    /// The base URL without a trailing `/`.
    pub fn as_str(&self) -> &str {
        &self.0.text
    }

    /// The URI of `{base}/bot{token}/{method}`, from the parts parsed once: only the path
    /// is new. `secret_token` and `method` are checked (no `/`, `?`, `#`, `%`, space), so
    /// this cannot fail; `None` all the same rather than a panic.
    pub(crate) fn method_uri(&self, token: &str, method: &str) -> Option<Uri> {
        let base = &self.0;
        let mut path = String::with_capacity(base.path.len() + 5 + token.len() + method.len());
        path.push_str(&base.path);
        path.push_str("/bot");
        path.push_str(token);
        path.push('/');
        path.push_str(method);
        let mut parts = http::uri::Parts::default();
        parts.scheme = Some(base.scheme.clone());
        parts.authority = Some(base.authority.clone());
        parts.path_and_query = Some(PathAndQuery::try_from(path).ok()?);
        Uri::from_parts(parts).ok()
    }

    /// Whether this is Telegram's cloud (`https://api.telegram.org`).
    pub fn is_cloud(&self) -> bool {
        &*self.0.text == CLOUD_API_URL
    }
}

impl Default for ApiUrl {
    fn default() -> Self {
        ApiUrl(Arc::new(Base {
            text: CLOUD_API_URL.into(),
            scheme: Scheme::HTTPS,
            authority: Authority::from_static("api.telegram.org"),
            path: "".into(),
        }))
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
        fmt::Debug::fmt(&*self.0.text, f)
    }
}

impl fmt::Display for ApiUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.text)
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
