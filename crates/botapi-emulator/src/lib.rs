//! botapi-emulator (work in progress).
