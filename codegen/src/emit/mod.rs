//! Stage 4: the IR as files: Rust items as `proc_macro2` tokens, the rest as text.
//!
//! Files are collected in a `BTreeMap` keyed by their path in the crate, so the output
//! order never depends on anything but the spec.

mod docs;
mod krate;
mod resources;
mod types;

use std::collections::BTreeMap;

use proc_macro2::{Ident, Span};

use crate::ir::{Api, Resource};
use crate::runtime::RUNTIME;

/// The content of one generated file before formatting.
#[derive(Debug, Clone)]
pub enum Content {
    /// A Rust file to be parsed and pretty-printed.
    Rust(proc_macro2::TokenStream),
    /// Rust source copied as it is (the hand-written runtime).
    RustVerbatim(&'static str),
    /// Any other text file (TOML, markdown); it is written as given.
    Text(String),
}

/// Every file of the crate, by path relative to the crate root (`src/types.rs`).
pub fn emit(api: &Api) -> BTreeMap<String, Content> {
    let mut files = BTreeMap::new();
    files.insert(
        "Cargo.toml".to_owned(),
        Content::Text(krate::cargo_toml(api)),
    );
    files.insert("README.md".to_owned(), Content::Text(krate::readme(api)));
    files.insert("src/lib.rs".to_owned(), Content::Rust(krate::lib_rs(api)));
    files.insert(
        "src/types.rs".to_owned(),
        Content::Rust(types::types_file(api)),
    );
    for module in RUNTIME {
        files.insert(
            format!("src/{}.rs", module.name),
            Content::RustVerbatim(module.source),
        );
    }
    for resource in &api.resources {
        emit_resource("src", None, resource, &mut files);
    }
    files
}

/// `parent` is the handle of the resource's parent; `None` for the client itself.
fn emit_resource(
    dir: &str,
    parent: Option<&str>,
    resource: &Resource,
    files: &mut BTreeMap<String, Content>,
) {
    files.insert(
        format!("{dir}/{}.rs", resource.module),
        Content::Rust(resources::resource_file(parent, resource)),
    );
    let child_dir = format!("{dir}/{}", resource.module);
    for child in &resource.children {
        emit_resource(&child_dir, Some(&resource.handle), child, files);
    }
}

/// An identifier from a name lowering has already made valid.
fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}
