//! Generates the C header with cbindgen and sets the shared library's soname.
//!
//! The header is written to `<target>/<profile>/zignsec-c/zignsec.h`; `make test-c`
//! compares it with the committed `include/zignsec.h` (and `make c-header` copies it
//! there), so a stale committed header fails the build.

use std::path::{Path, PathBuf};

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
    let config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml"))
        .expect("bindings-c/cbindgen.toml is not a valid cbindgen config");
    let bindings = cbindgen::Builder::new()
        .with_crate(&crate_dir)
        .with_config(config)
        .generate()
        .expect("cbindgen could not generate zignsec.h");
    bindings.write_to_file(out_dir.join("zignsec.h"));
    // OUT_DIR is <target>/<profile>/build/zignsec-c-<hash>/out: publish the header
    // next to the libraries, where the Makefile finds it.
    if let Some(profile_dir) = out_dir.ancestors().nth(3) {
        let dest = profile_dir.join("zignsec-c");
        std::fs::create_dir_all(&dest).expect("create the header directory");
        bindings.write_to_file(Path::new(&dest).join("zignsec.h"));
    }
}
