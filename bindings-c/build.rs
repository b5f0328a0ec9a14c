//! Generates the C header with cbindgen (pinned in Cargo.toml) into `OUT_DIR` only,
//! and sets the shared library's soname.
//!
//! The committed header is `include/zignsec.h`: `make c-header` copies the
//! generated one there, and `make c-header-check` compares the two without
//! writing the tracked file (scripts/c-header.sh finds `OUT_DIR` from cargo's
//! build messages).

use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    println!("cargo:rerun-if-changed=build.rs");
    // The installed library is libzignsec.so.0 (see mk/c.mk), whatever cargo names it.
    // (-soname is an ELF linker flag: macOS' and MSVC's linkers reject it.)
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libzignsec.so.0");
    }

    let crate_dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR"));
    let version = std::env::var("CARGO_PKG_VERSION").expect("CARGO_PKG_VERSION");
    let mut config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml"))
        .expect("bindings-c/cbindgen.toml is not a valid cbindgen config");
    // The version macro comes from the workspace version, so it cannot drift.
    let after = config.after_includes.take().unwrap_or_default();
    config.after_includes = Some(format!(
        "\n/** This header's library version, as zs_version() returns it at run time. */\n\
         #define ZIGNSEC_VERSION \"{version}\"\n{after}"
    ));
    let bindings = cbindgen::Builder::new()
        .with_crate(&crate_dir)
        .with_config(config)
        .generate()
        .expect("cbindgen could not generate zignsec.h");
    bindings.write_to_file(out_dir.join("zignsec.h"));
}
