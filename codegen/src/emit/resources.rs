//! One file per resource: its handle type, accessors for its children and one method per
//! operation. The methods only describe the request; sending it is the runtime's job
//! (`request.rs`), so every method reads the same and stays short.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{doc_attrs, first_line, own_doc_attrs, paragraphs};
use super::ident;
use super::types::{rust_type_with, walk_type};
use crate::ir::{Operation, PathPart, Resource, Type};

pub fn resource_file(parent: Option<&str>, resource: &Resource) -> TokenStream {
    let module_doc = inner_doc_attrs(&resource.doc);
    let handle = ident(&resource.handle);
    let struct_docs = doc_attrs(&resource.doc);
    let accessor = match parent {
        None => format!("[`Client::{}`]", resource.module),
        Some(parent) => format!("[`{parent}::{0}`](super::{parent}::{0})", resource.module),
    };
    let handle_docs = own_doc_attrs(&format!(
        "\nObtained from {accessor}; it borrows the client and is cheap to copy."
    ));
    let modules = resource.children.iter().map(|child| {
        let module = ident(&child.module);
        quote!(pub mod #module;)
    });
    let accessors = resource.children.iter().map(|child| {
        let module = ident(&child.module);
        let child_handle = ident(&child.handle);
        let docs = doc_attrs(first_line(&child.doc));
        quote! {
            #docs
            pub fn #module(&self) -> #module::#child_handle<'a> {
                #module::#child_handle::new(self.client)
            }
        }
    });
    // A model named like something this file declares or imports is written with its
    // path instead of being imported.
    let mut local: BTreeSet<&str> = ["Client", "Operation", "PathSegment", "Request"].into();
    local.insert(&resource.handle);
    let named = |name: &str| {
        let id = ident(name);
        if local.contains(name) {
            quote!(crate::types::#id)
        } else {
            quote!(#id)
        }
    };
    let methods = resource
        .operations
        .iter()
        .map(|operation| operation_method(operation, &named));
    let uses = imports(resource, &local);
    quote! {
        #module_doc
        #uses
        #(#modules)*

        #struct_docs
        #handle_docs
        #[derive(Debug, Clone, Copy)]
        pub struct #handle<'a> {
            client: &'a Client,
        }

        impl<'a> #handle<'a> {
            pub(crate) fn new(client: &'a Client) -> Self {
                Self { client }
            }

            #(#accessors)*
            #(#methods)*
        }
    }
}

/// Module docs (`//!`): the outer attributes of [`doc_attrs`] turned into inner ones.
pub fn inner_doc_attrs(text: &str) -> TokenStream {
    doc_attrs(text)
        .into_iter()
        .flat_map(|token| {
            let bang = matches!(&token, proc_macro2::TokenTree::Punct(p) if p.as_char() == '#')
                .then(|| proc_macro2::Punct::new('!', proc_macro2::Spacing::Alone).into());
            std::iter::once(token).chain(bang)
        })
        .collect()
}

fn imports(resource: &Resource, local: &BTreeSet<&str>) -> TokenStream {
    let mut named = BTreeSet::new();
    let mut uuid = false;
    let mut date_time = false;
    let mut map = false;
    for operation in &resource.operations {
        let mut visit = |ty: &Type| match ty {
            Type::Named(name) => {
                named.insert(name.clone());
            }
            Type::Uuid => uuid = true,
            Type::DateTime => date_time = true,
            Type::Map(_) => map = true,
            _ => {}
        };
        walk_type(&operation.result, &mut visit);
        for param in &operation.query_params {
            walk_type(&param.ty, &mut visit);
        }
        if let Some((_, body)) = &operation.body {
            named.insert(body.clone());
        }
    }
    let mut uses = Vec::new();
    if map {
        uses.push(quote!(
            use std::collections::BTreeMap;
        ));
    }
    if date_time {
        uses.push(quote!(
            use chrono::{DateTime, Utc};
        ));
    }
    if uuid {
        uses.push(quote!(
            use uuid::Uuid;
        ));
    }
    if !resource.operations.is_empty() {
        uses.push(quote!(
            use crate::request::{Operation, PathSegment, Request};
        ));
    }
    named.retain(|name| !local.contains(name.as_str()));
    if !named.is_empty() {
        let named = named.iter().map(|name| ident(name));
        uses.push(quote!(use crate::types::{#(#named),*};));
    }
    uses.push(quote!(
        use crate::Client;
    ));
    quote!(#(#uses)*)
}

fn operation_method(operation: &Operation, named: &dyn Fn(&str) -> TokenStream) -> TokenStream {
    let method_name = ident(&operation.method_name);
    let route = format!("`{} {}`", operation.http_method, operation.path_template);
    let mut arguments_doc = String::new();
    for param in &operation.path_params {
        let format = if param.is_uuid { " (a UUID)" } else { "" };
        arguments_doc.push_str(&format!("- `{}`{format}: {}\n", param.name, param.doc));
    }
    for param in &operation.query_params {
        arguments_doc.push_str(&format!("- `{}` (query): {}\n", param.name, param.doc));
    }
    let docs = doc_attrs(&paragraphs([
        operation.summary.as_str(),
        operation.doc.as_str(),
        route.as_str(),
        arguments_doc.as_str(),
    ]));

    let mut parameters = Vec::new();
    for param in &operation.path_params {
        let name = ident(&param.name);
        parameters.push(quote!(#name: &str));
    }
    for param in &operation.query_params {
        let name = ident(&param.name);
        let ty = match &param.ty {
            Type::String => quote!(&str),
            other => rust_type_with(other, named),
        };
        parameters.push(if param.optional {
            quote!(#name: Option<#ty>)
        } else {
            quote!(#name: #ty)
        });
    }
    if let Some((argument, ty)) = &operation.body {
        let argument = ident(argument);
        let ty = named(ty);
        parameters.push(quote!(#argument: &#ty));
    }

    let result = rust_type_with(&operation.result, named);
    let result = if operation.result_nullable {
        quote!(Option<#result>)
    } else {
        result
    };
    let name = &operation.qualified_name;
    let http_method = ident(operation.http_method);
    let template = &operation.path_template;
    let idempotent = operation.idempotent;
    let segments = operation.path.iter().map(|part| match part {
        PathPart::Literal(text) => quote!(PathSegment::Literal(#text)),
        PathPart::Param(index) => {
            let param = &operation.path_params[*index];
            let wire = &param.wire_name;
            let name = ident(&param.name);
            quote!(PathSegment::Param(#wire, #name))
        }
    });
    let queries = operation.query_params.iter().map(|param| {
        let wire = &param.wire_name;
        let name = ident(&param.name);
        if param.optional {
            quote!(.query(#wire, #name.map(|value| value.to_string())))
        } else {
            quote!(.query(#wire, Some(#name.to_string())))
        }
    });
    let body = operation.body.as_ref().map(|(argument, _)| {
        let argument = ident(argument);
        quote!(.json(#argument))
    });
    quote! {
        #docs
        pub fn #method_name(&self, #(#parameters),*) -> Request<#result> {
            const OPERATION: Operation = Operation {
                name: #name,
                method: reqwest::Method::#http_method,
                path: #template,
                idempotent: #idempotent,
            };
            Request::new(self.client, &OPERATION, &[#(#segments),*])
                #(#queries)*
                #body
        }
    }
}
