//! The crate-level files: `Cargo.toml`, `README.md` and `src/lib.rs`.

use std::fmt::Write;

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{doc_attrs, first_line};
use super::ident;
use super::resources::inner_doc_attrs;
use crate::ir::Api;
use crate::runtime::{self, DEV_DEPENDENCIES, FEATURES};

pub fn lib_rs(api: &Api) -> TokenStream {
    let crate_doc = inner_doc_attrs(&api.krate.doc);
    let runtime_modules = runtime::modules(api).map(|module| {
        let name = ident(module.name);
        quote!(mod #name;)
    });
    let resource_modules = api.resources.iter().map(|resource| {
        let module = ident(&resource.module);
        quote!(pub mod #module;)
    });
    let exports = runtime::modules(api)
        .filter(|module| !module.exports.is_empty())
        .map(|module| {
            let name = ident(module.name);
            let items = module.exports.iter().map(|item| ident(item));
            quote!(pub use #name::{#(#items),*};)
        });
    let accessors = api.resources.iter().map(|resource| {
        let module = ident(&resource.module);
        let handle = ident(&resource.handle);
        let docs = doc_attrs(first_line(&resource.doc));
        quote! {
            #docs
            pub fn #module(&self) -> #module::#handle<'_> {
                #module::#handle::new(self)
            }
        }
    });
    quote! {
        #crate_doc
        #![deny(missing_docs)]

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
    for (section, entries) in [
        ("dependencies", dependencies.as_slice()),
        ("features", FEATURES),
        ("dev-dependencies", DEV_DEPENDENCIES),
    ] {
        let _ = writeln!(toml, "\n[{section}]");
        for (name, value) in entries {
            let _ = writeln!(toml, "{name} = {value}");
        }
    }
    toml
}

pub fn readme(api: &Api) -> String {
    format!("# {}\n\n{}\n", api.krate.name, api.krate.doc)
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
