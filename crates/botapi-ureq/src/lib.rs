//! botapi-ureq (work in progress).
