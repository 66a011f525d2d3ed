//! The crate-level files: `Cargo.toml`, `README.md` and `src/lib.rs`.

use std::fmt::Write;

use proc_macro2::TokenStream;
use quote::quote;

use super::cfg_any;
use super::docs::{doc_attrs, first_line};
use super::ident;
use super::resources::inner_doc_attrs;
use crate::ir::{Api, FULL_FEATURE};
use crate::runtime::{self, Included, DEV_DEPENDENCIES, FEATURES};

pub fn lib_rs(api: &Api) -> TokenStream {
    let crate_doc = inner_doc_attrs(&api.krate.doc);
    let included = |included: &Included| match included {
        Included::With(features) => cfg_any(features),
        Included::No | Included::Always => TokenStream::new(),
    };
    let runtime_modules = runtime::modules(api).map(|(module, with)| {
        let name = ident(module.name);
        let cfg = included(&with);
        quote!(#cfg mod #name;)
    });
    let feature = |resource: &crate::ir::Resource| cfg_any(resource.feature.as_slice());
    let resource_modules = api.resources.iter().map(|resource| {
        let module = ident(&resource.module);
        let cfg = feature(resource);
        quote!(#cfg pub mod #module;)
    });
    let exports = runtime::modules(api)
        .filter(|(module, _)| !module.exports.is_empty())
        .map(|(module, with)| {
            let name = ident(module.name);
            let items = module.exports.iter().map(|item| ident(item));
            let cfg = included(&with);
            quote!(#cfg pub use #name::{#(#items),*};)
        });
    let accessors = api.resources.iter().map(|resource| {
        let module = ident(&resource.module);
        let handle = ident(&resource.handle);
        let docs = doc_attrs(first_line(&resource.doc));
        let cfg = feature(resource);
        quote! {
            #docs
            #cfg
            pub fn #module(&self) -> #module::#handle<'_> {
                #module::#handle::new(self)
            }
        }
    });
    // Built without any product, the runtime has nothing to run: its code is unused then,
    // and that is no mistake.
    let unused_without_products = (!api.features.is_empty()).then(|| {
        let features = &api.features;
        quote!(#![cfg_attr(not(any(#(feature = #features),*)), allow(dead_code, unused_imports))])
    });
    quote! {
        #crate_doc
        #![deny(missing_docs)]
        #unused_without_products

        #(#runtime_modules)*
        pub mod types;
        #(#resource_modules)*

        #(#exports)*

        impl Client {
            #(#accessors)*
        }
    }
}

pub fn cargo_toml(api: &Api) -> String {
    let meta = &api.krate;
    let mut toml = String::new();
    // `writeln!` into a String cannot fail.
    let _ = writeln!(toml, "[package]");
    for (key, value) in [
        ("name", meta.name.as_str()),
        ("version", &meta.version),
        ("edition", "2021"),
        ("rust-version", &meta.rust_version),
        ("description", &meta.description),
        ("license", &meta.license),
        ("repository", &meta.repository),
        ("readme", "README.md"),
    ] {
        let _ = writeln!(toml, "{key} = {}", toml_string(value));
    }
    let dependencies = runtime::dependencies(api);
    let _ = writeln!(toml, "\n[dependencies]");
    for dependency in &dependencies {
        let _ = writeln!(toml, "{} = {}", dependency.name, dependency.requirement);
    }
    let _ = writeln!(toml, "\n[features]");
    if !api.features.is_empty() {
        // Products are chosen, not all compiled by default: that is what they are for.
        let _ = writeln!(toml, "default = []");
        let mut full = api.features.clone();
        full.extend(enabled_by(&dependencies, FULL_FEATURE));
        let _ = writeln!(toml, "{FULL_FEATURE} = [{}]", quoted_list(&full));
        for feature in &api.features {
            let enables: Vec<String> = enabled_by(&dependencies, feature).collect();
            let _ = writeln!(toml, "{feature} = [{}]", quoted_list(&enables));
        }
    }
    for (name, value) in FEATURES {
        let _ = writeln!(toml, "{name} = {value}");
    }
    let _ = writeln!(toml, "\n[dev-dependencies]");
    for (name, value) in DEV_DEPENDENCIES {
        let _ = writeln!(toml, "{name} = {value}");
    }
    if !api.features.is_empty() {
        let _ = writeln!(
            toml,
            "\n[package.metadata.docs.rs]\nfeatures = [\"{FULL_FEATURE}\"]"
        );
    }
    toml
}

/// `dep:` entries for the optional dependencies `feature` turns on.
fn enabled_by<'d>(
    dependencies: &'d [runtime::Dependency],
    feature: &'d str,
) -> impl Iterator<Item = String> + 'd {
    dependencies
        .iter()
        .filter(move |dependency| dependency.enabled_by.iter().any(|f| f == feature))
        .map(|dependency| format!("dep:{}", dependency.name))
}

pub fn readme(api: &Api) -> String {
    format!("# {}\n\n{}\n", api.krate.name, api.krate.doc)
}

/// `"a", "b"`: the items of a TOML array of strings.
fn quoted_list(items: &[String]) -> String {
    items
        .iter()
        .map(|item| toml_string(item))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A TOML basic string: quotes, backslashes and control characters escaped.
fn toml_string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::toml_string;

    #[test]
    fn toml_strings_escape_quotes_backslashes_and_controls() {
        assert_eq!(toml_string(r#"a "b" \ c"#), r#""a \"b\" \\ c""#);
        assert_eq!(toml_string("x\ny\u{7}"), r#""x\ny\u0007""#);
        assert_eq!(toml_string("Cloudflare's API"), r#""Cloudflare's API""#);
    }
}
