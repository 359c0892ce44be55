//! botapi-hyper (work in progress).
