//! Stage 4: the IR as files: Rust items as `proc_macro2` tokens, the rest as text.
//!
//! Files are collected in a `BTreeMap` keyed by their path in the crate, so the output
//! order never depends on anything but the spec.

mod conformance;
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
    /// A Rust file: its fragments, in order.
    Rust(Vec<Fragment>),
    /// Rust source copied as it is (the hand-written runtime).
    RustVerbatim(std::borrow::Cow<'static, str>),
    /// Any other text file (TOML, markdown); it is written as given.
    Text(String),
}

/// Part of a Rust file as the emitter makes it.
#[derive(Debug, Clone)]
pub enum Fragment {
    /// Items as tokens, to be parsed and pretty-printed.
    Tokens(TokenStream),
    /// Items as source the emitter lays out itself: calls of the runtime's macros, whose
    /// contents prettyplease would run together like a paragraph. Ends with a newline.
    Source(String),
}

/// Makes one piece of a Rust file. Pieces are made where they are formatted, on any
/// thread: tokens cannot cross threads, the IR they are made from can.
pub type Piece<'a> = Box<dyn Fn() -> Fragment + Send + Sync + 'a>;

/// A piece made of tokens.
fn tokens<'a>(make: impl Fn() -> TokenStream + Send + Sync + 'a) -> Piece<'a> {
    Box::new(move || Fragment::Tokens(make()))
}

/// A generated file before emission.
pub enum Planned<'a> {
    /// A Rust file as pieces (its header, then whole items) that format independently:
    /// their formatted texts, concatenated, are the whole file's.
    Rust(Vec<Piece<'a>>),
    /// Rust source copied as it is (the hand-written runtime).
    RustVerbatim(std::borrow::Cow<'static, str>),
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
        Planned::Rust(vec![tokens(move || krate::lib_rs(api))]),
    );
    files.insert(
        "src/types.rs".to_owned(),
        Planned::Rust(types::types_file(api)),
    );
    for (module, _) in runtime::modules(api) {
        files.insert(
            format!("src/{}.rs", module.name),
            Planned::RustVerbatim(module.source_for(&api.krate.name)),
        );
    }
    for resource in &api.resources {
        emit_resource(api, "src", None, resource, &mut files);
    }
    files
}

/// Adds the conformance test of the crate (see [`conformance`]) to `files`.
pub fn add_conformance_test<'a>(api: &'a Api, files: &mut BTreeMap<String, Planned<'a>>) {
    files.insert(
        "tests/conformance.rs".to_owned(),
        Planned::Rust(vec![tokens(move || conformance::test_file(api))]),
    );
    let lib = api.krate.name.replace('-', "_");
    let support = conformance::SUPPORT.replace("cloudflare_risk_scoring", &lib);
    files.insert(
        "tests/conformance/support.rs".to_owned(),
        Planned::Text(format!(
            "// {}: copied from codegen/conformance/support.rs; do not edit by hand.\n\n{support}",
            crate::format::MARKER
        )),
    );
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
        Planned::Rust(vec![tokens(move || {
            resources::resource_file(api, parent, resource)
        })]),
    );
    let child_dir = format!("{dir}/{}", resource.module);
    for child in &resource.children {
        emit_resource(api, &child_dir, Some(&resource.handle), child, files);
    }
}

/// `#[cfg(…)]` that compiles an item when any of `features` is on; nothing for none.
pub fn cfg_any(features: &[String]) -> TokenStream {
    match features {
        [] => TokenStream::new(),
        [one] => quote::quote!(#[cfg(feature = #one)]),
        many => quote::quote!(#[cfg(any(#(feature = #many),*))]),
    }
}

/// An identifier from a name lowering has already made valid.
fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}
