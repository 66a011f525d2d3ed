//! `tests/conformance.rs`, when asked for: a test that calls every operation of the crate
//! twice, with its required arguments only and with every optional one set too, taking
//! the values from a JSON file, and records what each call got. Run against a mock server
//! that serves the API's description and validates requests, it shows that the client
//! sends what the description allows and reads what it answers.
//!
//! The calls are generated, one function per operation, from the same IR as the client;
//! the support code they share is `codegen/conformance/support.rs`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::ident;
use super::types::rust_type_with;
use crate::ir::{
    Api, Body, BodyFormat, Field, Operation, ParamLocation, Resource, Type, TypeKind, ValueParam,
    FULL_FEATURE,
};

/// The shared support code, for the test's `support` module.
pub const SUPPORT: &str = include_str!("../../conformance/support.rs");

/// The test's source, as tokens.
pub fn test_file(api: &Api) -> TokenStream {
    let krate = format_ident!("{}", api.krate.name.replace('-', "_"));
    let mut calls = Vec::new();
    let mut functions = Vec::new();
    for resource in &api.resources {
        collect(
            api,
            &krate,
            &mut Vec::new(),
            resource,
            &mut functions,
            &mut calls,
        );
    }
    let full = (!api.features.is_empty()).then(|| quote!(#![cfg(feature = #FULL_FEATURE)]));
    quote! {
        //! Calls every operation against `CONFORMANCE_BASE_URL` with the argument values of
        //! `CONFORMANCE_VALUES`, and writes what each call got to `CONFORMANCE_REPORT`; see
        //! `support.rs`.
        #full
        #![allow(deprecated, dead_code, unused_imports, unused_variables)]

        #[path = "conformance/support.rs"]
        mod support;

        use std::collections::BTreeMap;

        use chrono::{DateTime, Utc};
        use uuid::Uuid;

        use #krate::Client;
        use support::{Report, Values};

        #[tokio::test]
        async fn every_operation() {
            let (client, values, mut report) = support::setup();
            #(#calls)*
            report.write();
        }

        #(#functions)*
    }
}

fn collect(
    api: &Api,
    krate: &proc_macro2::Ident,
    chain: &mut Vec<String>,
    resource: &Resource,
    functions: &mut Vec<TokenStream>,
    calls: &mut Vec<TokenStream>,
) {
    chain.push(resource.module.clone());
    for operation in &resource.operations {
        let function = format_ident!("call_{}", operation.qualified_name.replace('.', "_"));
        let accessors: Vec<_> = chain.iter().map(|module| ident(module)).collect();
        let context = Context { api, krate };
        functions.push(operation_function(
            &context, &function, &accessors, operation,
        ));
        // Boxed: the futures of hundreds of calls in one `async fn` overflow the test
        // thread's stack (the Zero Trust crate's did, in a debug build).
        calls.push(quote!(Box::pin(#function(&client, &values, &mut report)).await;));
    }
    for child in &resource.children {
        collect(api, krate, chain, child, functions, calls);
    }
    chain.pop();
}

struct Context<'a> {
    api: &'a Api,
    krate: &'a proc_macro2::Ident,
}

impl Context<'_> {
    fn rust_type(&self, ty: &Type) -> TokenStream {
        let krate = self.krate;
        rust_type_with(ty, &|name| {
            let name = ident(name);
            quote!(#krate::types::#name)
        })
    }

    /// The type a value is read as, to be given to a method argument or setter.
    fn read_as(&self, param: &ValueParam) -> TokenStream {
        match &param.ty {
            Type::List(item) => {
                let item = self.rust_type(item);
                quote!(Vec<#item>)
            }
            ty => self.rust_type(ty),
        }
    }

    fn object(&self, name: &str) -> Option<&[Field]> {
        match &self.api.type_def(name)?.kind {
            TypeKind::Object(object) => Some(object.fields.as_slice()),
            _ => None,
        }
    }
}

fn operation_function(
    context: &Context<'_>,
    function: &proc_macro2::Ident,
    accessors: &[proc_macro2::Ident],
    operation: &Operation,
) -> TokenStream {
    let name = &operation.qualified_name;
    let method = ident(&operation.method_name);
    let mut arguments: Vec<TokenStream> = operation
        .path_params
        .iter()
        .map(|param| {
            let wire = &param.wire_name;
            quote!(&v.path(#wire))
        })
        .collect();
    arguments.extend(operation.required_params().map(|param| {
        let read = param_value(context, param);
        match param.ty {
            Type::String => quote!(&#read),
            _ => read,
        }
    }));
    let with_body = |full: bool| -> Option<TokenStream> {
        let body = operation.body.as_ref()?;
        Some(body_value(context, body, full))
    };
    let setters: Vec<TokenStream> = operation
        .optional_params()
        .map(|param| {
            let setter = ident(&param.name);
            let read = param_value(context, param);
            quote!(.#setter(#read))
        })
        .collect();
    let call = |full: bool| {
        let body = with_body(full);
        let setters: &[TokenStream] = if full { &setters } else { &[] };
        quote! {
            client #(.#accessors())* .#method(#(#arguments,)* #body) #(#setters)*
                .send_with_response()
                .await
        }
    };
    let required = call(false);
    let anything_optional = !setters.is_empty() || operation.body.is_some();
    let optional = anything_optional.then(|| {
        let call = call(true);
        quote!(report.record(#name, "optional", #call);)
    });
    quote! {
        async fn #function(client: &Client, values: &Values, report: &mut Report) {
            let v = values.operation(#name);
            report.record(#name, "required", #required);
            #optional
        }
    }
}

/// The value of a query or header parameter, read as what its method argument or setter
/// takes.
fn param_value(context: &Context<'_>, param: &ValueParam) -> TokenStream {
    let wire = &param.wire_name;
    let ty = context.read_as(param);
    match param.location {
        ParamLocation::Query => quote!(v.query::<#ty>(#wire)),
        ParamLocation::Header => quote!(v.header::<#ty>(#wire)),
    }
}

/// The body argument: JSON from the values, a multipart body built field by field, or the
/// text of a raw body. `full` sets every optional field.
fn body_value(context: &Context<'_>, body: &Body, full: bool) -> TokenStream {
    let value = match (body.format, &body.ty) {
        (BodyFormat::Json, ty) => {
            let ty = match ty {
                Type::List(item) => {
                    let item = context.rust_type(item);
                    quote!(Vec<#item>)
                }
                ty => context.rust_type(ty),
            };
            if full {
                quote!(&v.full_body::<#ty>())
            } else {
                quote!(&v.body::<#ty>())
            }
        }
        (BodyFormat::Multipart, Type::Named(name)) => {
            let fields = context.object(name).unwrap_or_default();
            multipart_value(context, name, fields, full)
        }
        (BodyFormat::Text, _) => quote!(v.raw_body()),
        (BodyFormat::Bytes, _) | (BodyFormat::Multipart, _) => quote!(v.raw_body().into_bytes()),
    };
    match (body.optional, full) {
        (false, _) => value,
        (true, false) => quote!(None),
        (true, true) => quote!(Some(#value)),
    }
}

/// A multipart body: its constructor with the required fields, files made up on the spot,
/// and with `full` a setter for every optional field.
fn multipart_value(context: &Context<'_>, name: &str, fields: &[Field], full: bool) -> TokenStream {
    let krate = context.krate;
    let type_name = ident(name);
    let part = |field: &Field| match &field.ty {
        Type::Binary => {
            quote!(#krate::Upload::new(b"conformance".to_vec()).file_name("conformance.txt"))
        }
        Type::List(item) if **item == Type::Binary => {
            quote!(vec![#krate::Upload::new(b"conformance".to_vec()).file_name("conformance.txt")])
        }
        ty => {
            let wire = &field.wire_name;
            let ty = context.rust_type(ty);
            quote!(v.part::<#ty>(#wire))
        }
    };
    let required = fields
        .iter()
        .filter(|field| !field.optional && !field.constant)
        .map(part);
    let setters = fields
        .iter()
        .filter(|field| full && field.optional)
        .map(|field| {
            let setter = format_ident!("{}", crate::names::setter(&field.name));
            let value = part(field);
            quote!(.#setter(#value))
        });
    quote!(&#krate::types::#type_name::new(#(#required),*) #(#setters)*)
}
