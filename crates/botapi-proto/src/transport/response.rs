//! Reading an answer's body under a size limit.

use bytes::Bytes;

/// Gathers an answer's body as it arrives, refusing it once it is longer than a limit.
///
/// A body whose announced length (`Content-Length`) is over the limit is refused before any
/// of it is read ([`BodyCollector::new`] fails); otherwise the piece that crosses the limit
/// is refused and nothing past the limit is kept. A body that arrives in one piece (most
/// answers) is kept as it is, without a copy.
#[derive(Debug)]
pub struct BodyCollector {
    limit: usize,
    first: Option<Bytes>,
    more: Vec<u8>,
    announced: u64,
    received: usize,
}

/// A body is longer than the limit it is read under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooLarge;

impl BodyCollector {
    /// A collector for a body of at most `limit` bytes, announced as at least `announced`
    /// bytes long (0 when unknown).
    pub fn new(limit: usize, announced: u64) -> Result<Self, TooLarge> {
        if announced > limit as u64 {
            return Err(TooLarge);
        }
        Ok(BodyCollector {
            limit,
            first: None,
            more: Vec::new(),
            announced,
            received: 0,
        })
    }

    /// Adds the next piece of the body.
    pub fn push(&mut self, data: Bytes) -> Result<(), TooLarge> {
        self.received = self.received.saturating_add(data.len());
        if self.received > self.limit {
            return Err(TooLarge);
        }
        match &self.first {
            None => self.first = Some(data),
            Some(head) => {
                if self.more.is_empty() {
                    let expected = usize::try_from(self.announced).unwrap_or(self.limit);
                    self.more
                        .reserve(expected.max(self.received).min(self.limit));
                    self.more.extend_from_slice(head);
                }
                self.more.extend_from_slice(&data);
            }
        }
        Ok(())
    }

    /// The whole body.
    pub fn finish(self) -> Bytes {
        if self.more.is_empty() {
            self.first.unwrap_or_default()
        } else {
            Bytes::from(self.more)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_collector_keeps_one_piece_and_stops_at_the_limit() {
        assert_eq!(BodyCollector::new(10, 11).unwrap_err(), TooLarge);
        let mut one = BodyCollector::new(10, 0).unwrap();
        let piece = Bytes::from_static(b"0123456789");
        one.push(piece.clone()).unwrap();
        let whole = one.finish();
        assert_eq!(
            whole.as_ptr(),
            piece.as_ptr(),
            "one piece is kept without a copy"
        );
        let mut many = BodyCollector::new(10, 10).unwrap();
        for piece in [&b"012"[..], b"3456", b"789"] {
            many.push(Bytes::copy_from_slice(piece)).unwrap();
        }
        assert_eq!(many.finish(), Bytes::from_static(b"0123456789"));
        let mut over = BodyCollector::new(10, 0).unwrap();
        over.push(Bytes::from_static(b"0123456")).unwrap();
        assert_eq!(over.push(Bytes::from_static(b"7890")), Err(TooLarge));
        assert!(BodyCollector::new(0, 0).unwrap().finish().is_empty());
    }
}
