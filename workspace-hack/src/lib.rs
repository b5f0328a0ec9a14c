//! Build-time only: depending on this crate gives a workspace crate the same feature set
//! for the dependencies every crate shares (see its Cargo.toml). It has no code.
