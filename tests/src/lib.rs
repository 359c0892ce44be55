//! Shared helpers for the conformance suite (work in progress).
