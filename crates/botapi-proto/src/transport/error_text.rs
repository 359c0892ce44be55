//! Turning a library's error chain into the text of a transport error.

use std::error::Error as StdError;

use crate::transport_error::TransportErrorKind;

/// The messages of `error` and of its sources, joined by `: `, for a transport error's text.
///
/// An `io::Error` that wraps another error shows that error's text and hides it from
/// `source()`, so it is opened explicitly; a message already at the end of the text (a
/// wrapper repeating its cause) is not repeated. The result still needs redacting, which
/// [`CallContext::transport_error`](crate::CallContext::transport_error) does.
pub fn error_text(error: &(dyn StdError + 'static)) -> String {
    let mut text = String::new();
    for e in chain(error) {
        let message = e.to_string();
        if !message.is_empty() && !text.ends_with(&message) {
            if !text.is_empty() {
                text.push_str(": ");
            }
            text.push_str(&message);
        }
    }
    if text.is_empty() {
        text.push_str("unknown error");
    }
    text
}

/// The first error of type `T` in `error`'s chain of sources (looking inside `io::Error`s).
pub fn find_source<'a, T: StdError + 'static>(
    error: &'a (dyn StdError + 'static),
) -> Option<&'a T> {
    chain(error).find_map(|e| e.downcast_ref::<T>())
}

/// `error` and its sources, stepping into the error an `io::Error` wraps. Bounded, in case a
/// library builds a cycle.
fn chain<'a>(
    error: &'a (dyn StdError + 'static),
) -> impl Iterator<Item = &'a (dyn StdError + 'static)> {
    let mut next = Some(error);
    std::iter::from_fn(move || {
        loop {
            let e = next?;
            if let Some(inner) = e
                .downcast_ref::<std::io::Error>()
                .and_then(|io| io.get_ref())
            {
                let inner: &(dyn StdError + 'static) = inner;
                next = Some(inner);
                continue;
            }
            next = e.source();
            return Some(e);
        }
    })
    .take(32)
}

/// The kind and text of an OS-level socket error: a refused or unreachable connection or a
/// failed name lookup is [`Connect`](TransportErrorKind::Connect) (nothing was sent), a
/// timed-out socket [`Timeout`](TransportErrorKind::Timeout), anything else
/// [`Io`](TransportErrorKind::Io). The text starts with what failed (`connect: `,
/// `connect: dns error: `, `timed out: `, `connection: `).
pub fn io_failure(error: &std::io::Error) -> (TransportErrorKind, String) {
    use std::io::ErrorKind as Io;
    // std reports a failed name lookup with an uncategorised kind; its message is the only
    // sign that the failure happened before any connection was tried.
    if error.to_string().starts_with("failed to lookup address") {
        return (
            TransportErrorKind::Connect,
            format!("connect: dns error: {error}"),
        );
    }
    match error.kind() {
        Io::ConnectionRefused
        | Io::AddrNotAvailable
        | Io::NetworkUnreachable
        | Io::HostUnreachable => (TransportErrorKind::Connect, format!("connect: {error}")),
        Io::TimedOut => (TransportErrorKind::Timeout, format!("timed out: {error}")),
        _ => (
            TransportErrorKind::Io,
            format!("connection: {}", error_text(error)),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transport::UploadError;
    use std::fmt;
    use std::io;

    #[derive(Debug)]
    struct Outer(io::Error);
    impl fmt::Display for Outer {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("client error")
        }
    }
    impl StdError for Outer {
        fn source(&self) -> Option<&(dyn StdError + 'static)> {
            Some(&self.0)
        }
    }

    #[test]
    fn error_text_opens_io_errors_and_skips_repeats() {
        let inner = io::Error::other(UploadError("disk on fire".into()));
        let e = Outer(inner);
        assert_eq!(error_text(&e), "client error: disk on fire");
        assert!(find_source::<UploadError>(&e).is_some());
        let plain = io::Error::from(io::ErrorKind::ConnectionRefused);
        assert_eq!(error_text(&plain), "connection refused");
        assert!(find_source::<UploadError>(&plain).is_none());
    }

    #[test]
    fn socket_errors_before_sending_are_connect_errors() {
        use TransportErrorKind as K;
        let kind = |k| io_failure(&io::Error::from(k)).0;
        assert_eq!(kind(io::ErrorKind::ConnectionRefused), K::Connect);
        assert_eq!(kind(io::ErrorKind::HostUnreachable), K::Connect);
        assert_eq!(kind(io::ErrorKind::TimedOut), K::Timeout);
        assert_eq!(kind(io::ErrorKind::ConnectionReset), K::Io);
        let lookup = io::Error::other("failed to lookup address information: no such name");
        assert_eq!(
            io_failure(&lookup),
            (
                K::Connect,
                "connect: dns error: failed to lookup address information: no such name".into()
            )
        );
    }
}
