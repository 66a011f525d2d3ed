//! Stage 4: the IR as files: Rust items as `proc_macro2` tokens, the rest as text.
//!
//! Files are collected in a `BTreeMap` keyed by their path in the crate, so the output
//! order never depends on anything but the spec.

mod docs;
mod krate;
mod resources;
mod types;

use std::collections::BTreeMap;

use proc_macro2::{Ident, Span, TokenStream};

use crate::ir::{Api, Resource};
use crate::runtime;

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

/// Makes the tokens of one piece of a Rust file. Pieces are made where they are formatted,
/// on any thread: tokens cannot cross threads, the IR they are made from can.
pub type Piece<'a> = Box<dyn Fn() -> TokenStream + Send + Sync + 'a>;

/// A generated file before emission.
pub enum Planned<'a> {
    /// A Rust file as pieces (its header, then whole items) that format independently:
    /// their formatted texts, concatenated, are the whole file's.
    Rust(Vec<Piece<'a>>),
    /// Rust source copied as it is (the hand-written runtime).
    RustVerbatim(&'static str),
    /// Any other text file (TOML, markdown); it is written as given.
    Text(String),
}

/// Every file of the crate, by path relative to the crate root (`src/types.rs`).
pub fn emit(api: &Api) -> BTreeMap<String, Content> {
    plan(api)
        .into_iter()
        .map(|(path, planned)| {
            let content = match planned {
                Planned::Rust(pieces) => {
                    Content::Rust(pieces.iter().map(|piece| piece()).collect())
                }
                Planned::RustVerbatim(source) => Content::RustVerbatim(source),
                Planned::Text(text) => Content::Text(text),
            };
            (path, content)
        })
        .collect()
}

/// Every file of the crate, Rust files as pieces still to be emitted.
pub fn plan(api: &Api) -> BTreeMap<String, Planned<'_>> {
    let mut files = BTreeMap::new();
    files.insert(
        "Cargo.toml".to_owned(),
        Planned::Text(krate::cargo_toml(api)),
    );
    files.insert("README.md".to_owned(), Planned::Text(krate::readme(api)));
    files.insert(
        "src/lib.rs".to_owned(),
        Planned::Rust(vec![Box::new(move || krate::lib_rs(api))]),
    );
    files.insert(
        "src/types.rs".to_owned(),
        Planned::Rust(types::types_file(api)),
    );
    for module in runtime::modules(api) {
        files.insert(
            format!("src/{}.rs", module.name),
            Planned::RustVerbatim(module.source),
        );
    }
    for resource in &api.resources {
        emit_resource(api, "src", None, resource, &mut files);
    }
    files
}

/// `parent` is the handle of the resource's parent; `None` for the client itself.
fn emit_resource<'a>(
    api: &'a Api,
    dir: &str,
    parent: Option<&'a str>,
    resource: &'a Resource,
    files: &mut BTreeMap<String, Planned<'a>>,
) {
    files.insert(
        format!("{dir}/{}.rs", resource.module),
        Planned::Rust(vec![Box::new(move || {
            resources::resource_file(api, parent, resource)
        })]),
    );
    let child_dir = format!("{dir}/{}", resource.module);
    for child in &resource.children {
        emit_resource(api, &child_dir, Some(&resource.handle), child, files);
    }
}

/// An identifier from a name lowering has already made valid.
fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}
