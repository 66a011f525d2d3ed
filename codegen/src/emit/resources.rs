//! One file per resource: its handle type, accessors for its children, one method per
//! operation, and for operations with optional parameters the marker type whose requests
//! have a setter for each. The methods only describe the request; sending it is the
//! runtime's job (`request.rs`), so every method reads the same and stays short.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{doc_attrs, first_line, own_doc_attrs, paragraphs};
use super::ident;
use super::types::{rust_type_with, walk_type, with_deprecation};
use crate::ir::{
    Api, BodyFormat, Operation, ParamLocation, PathPart, Resource, Response, Type, TypeKind,
    ValueParam,
};
use crate::spec::Pagination;

/// Names a resource file declares or imports from the runtime; a model named like one of
/// them is written with its path instead of being imported.
const RUNTIME_NAMES: &[&str] = crate::lower::HANDLE_RESERVED;

pub fn resource_file(api: &Api, parent: Option<&str>, resource: &Resource) -> TokenStream {
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
        // The API nests a resource in one of the same name (`devices().devices()`); the
        // modules follow it.
        let inception =
            (child.module == resource.module).then(|| quote!(#[allow(clippy::module_inception)]));
        quote!(#inception pub mod #module;)
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
    let mut local: BTreeSet<&str> = RUNTIME_NAMES.iter().copied().collect();
    local.insert(&resource.handle);
    local.extend(
        resource
            .operations
            .iter()
            .filter_map(|op| op.marker.as_deref()),
    );
    let named = |name: &str| {
        let id = ident(name);
        if local.contains(name) {
            quote!(crate::types::#id)
        } else {
            quote!(#id)
        }
    };
    let context = Context { api, named: &named };
    let methods = resource
        .operations
        .iter()
        .map(|operation| operation_method(&context, operation));
    let request_items = resource
        .operations
        .iter()
        .map(|operation| request_items(&context, &resource.handle, operation));
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

        #(#request_items)*
    }
}

/// What the code of one operation needs to know beyond the operation.
struct Context<'a> {
    api: &'a Api,
    /// How a model is written in this file.
    named: &'a dyn Fn(&str) -> TokenStream,
}

impl Context<'_> {
    fn rust_type(&self, ty: &Type) -> TokenStream {
        rust_type_with(ty, self.named)
    }

    fn enum_repr(&self, name: &str) -> Option<crate::ir::EnumRepr> {
        match &self.api.type_def(name)?.kind {
            TypeKind::Enum(en) => Some(en.repr),
            _ => None,
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
    let mut pages = false;
    let mut response_kinds = false;
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
        if let Some(result) = &operation.result {
            walk_type(result, &mut visit);
        }
        for param in operation
            .query_params
            .iter()
            .chain(&operation.header_params)
        {
            walk_type(&param.ty, &mut visit);
        }
        if let Some(body) = &operation.body {
            walk_type(&body.ty, &mut visit);
        }
        if let Some(pagination) = &operation.pagination {
            walk_type(&pagination.item, &mut visit);
            pages = true;
        }
        response_kinds |= operation.response != Response::Envelope || operation.result.is_none();
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
    if pages {
        uses.push(quote!(
            use crate::pagination::{PageStyle, Paginated};
        ));
    }
    if !resource.operations.is_empty() {
        let kinds = response_kinds.then(|| quote!(, ResponseKind));
        uses.push(quote!(
            use crate::request::{Operation, PathSegment, Request #kinds};
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

/// What a method returns: `Request<T>`, or `Request<T, Marker>` when its requests have
/// setters.
fn request_type(context: &Context<'_>, operation: &Operation) -> TokenStream {
    let result = result_type(context, operation);
    match &operation.marker {
        Some(marker) => {
            let marker = ident(marker);
            quote!(Request<#result, #marker>)
        }
        None => quote!(Request<#result>),
    }
}

fn result_type(context: &Context<'_>, operation: &Operation) -> TokenStream {
    let result = match operation.response {
        Response::Bytes => quote!(crate::Binary),
        Response::Text => quote!(crate::Text),
        Response::Empty => quote!(()),
        _ => match &operation.result {
            Some(result) => context.rust_type(result),
            None => quote!(()),
        },
    };
    if operation.result_nullable {
        quote!(Option<#result>)
    } else {
        result
    }
}

/// The Rust type of a parameter as the caller gives it, and the expression that turns it
/// into what the request's `query` or `header_param` takes.
fn param_argument(context: &Context<'_>, param: &ValueParam) -> (TokenStream, TokenStream) {
    let name = ident(&param.name);
    let scalar = |ty: &Type, value: TokenStream| -> (TokenStream, TokenStream) {
        match ty {
            Type::String => (quote!(impl Into<String>), quote!(#value.into())),
            Type::Named(named) => {
                let written = (context.named)(named);
                let wire = match context.enum_repr(named) {
                    Some(crate::ir::EnumRepr::String) | None => {
                        quote!(#value.as_str().to_owned())
                    }
                    Some(_) => quote!(#value.value()),
                };
                (written, wire)
            }
            other => (context.rust_type(other), value),
        }
    };
    match &param.ty {
        Type::List(item) => {
            let (item_type, item_value) = scalar(item, quote!(value));
            let explode = param.explode;
            let values = match &**item {
                Type::String => quote!(#name.into_iter().map(Into::<String>::into)),
                Type::Named(_) => quote!(#name.into_iter().map(|value| #item_value)),
                // Numbers, booleans, UUIDs and timestamps are query values themselves.
                _ => quote!(#name),
            };
            (
                quote!(impl IntoIterator<Item = #item_type>),
                quote!(#values, #explode),
            )
        }
        Type::String if !param.optional => (quote!(&str), quote!(#name)),
        ty => scalar(ty, quote!(#name)),
    }
}

/// The call that adds a parameter to the request.
fn add_param(context: &Context<'_>, param: &ValueParam) -> TokenStream {
    let wire = &param.wire_name;
    let (_, value) = param_argument(context, param);
    match (param.location, &param.ty) {
        (ParamLocation::Query, Type::List(_)) => quote!(.query_list(#wire, #value)),
        (ParamLocation::Query, _) => quote!(.query(#wire, #value)),
        (ParamLocation::Header, _) => quote!(.header_param(#wire, #value)),
    }
}

/// One item of a Markdown list, `- head: doc`, its doc's later lines indented under it so
/// that they stay part of the item (a list in the doc nests inside it).
fn list_item(head: &str, doc: &str) -> String {
    let mut item = format!("- {head}:");
    for (i, line) in doc.lines().enumerate() {
        let lead = if i == 0 { " " } else { "\n  " };
        if line.is_empty() {
            item.push('\n');
        } else {
            item.push_str(lead);
            item.push_str(line);
        }
    }
    item.push('\n');
    item
}

fn operation_method(context: &Context<'_>, operation: &Operation) -> TokenStream {
    let method_name = ident(&operation.method_name);
    let route = format!("`{} {}`", operation.http_method, operation.path_template);
    let mut arguments_doc = String::new();
    for param in &operation.path_params {
        let format = if param.is_uuid { " (a UUID)" } else { "" };
        arguments_doc.push_str(&list_item(&format!("`{}`{format}", param.name), &param.doc));
    }
    for param in operation.required_params() {
        let location = match param.location {
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
        };
        arguments_doc.push_str(&list_item(
            &format!("`{}` ({location})", param.name),
            &with_deprecation(&param.doc, param.deprecated.as_deref()).replace("\n\n", " "),
        ));
    }
    if let Some(body) = &operation.body {
        if let Some(doc) = &body.doc {
            arguments_doc.push_str(&list_item(&format!("`{}`", body.argument), doc));
        }
    }
    let mut optional_doc = String::new();
    for param in operation.optional_params() {
        optional_doc.push_str(&list_item(
            &format!("`{}`", param.name),
            &with_deprecation(&param.doc, param.deprecated.as_deref()).replace("\n\n", " "),
        ));
    }
    if !optional_doc.is_empty() {
        optional_doc.insert_str(
            0,
            "Optional parameters are methods of the request it returns:\n\n",
        );
    }
    if operation.pagination.is_some() {
        optional_doc.push_str(
            "\nIts results come in pages: `.items()` and `.pages()` on the request stream \
             them, fetching each page when it is needed.\n",
        );
    }
    let docs = doc_attrs(&paragraphs([
        operation.summary.as_str(),
        operation.doc.as_str(),
        route.as_str(),
        arguments_doc.as_str(),
        optional_doc.as_str(),
    ]));
    let deprecated = operation.deprecated.as_deref().map(deprecated_attr);

    let mut parameters = Vec::new();
    for param in &operation.path_params {
        let name = ident(&param.name);
        parameters.push(quote!(#name: &str));
    }
    for param in operation.required_params() {
        let name = ident(&param.name);
        let (ty, _) = param_argument(context, param);
        parameters.push(quote!(#name: #ty));
    }
    if let Some(body) = &operation.body {
        let argument = ident(&body.argument);
        let ty = match (body.format, &body.ty) {
            // A list is borrowed as a slice, as a hand-written signature would take it.
            (BodyFormat::Json, Type::List(item)) => {
                let item = context.rust_type(item);
                quote!(&[#item])
            }
            (BodyFormat::Json | BodyFormat::Multipart, ty) => {
                let ty = context.rust_type(ty);
                quote!(&#ty)
            }
            (BodyFormat::Text, _) => quote!(impl Into<String>),
            (BodyFormat::Bytes, _) => quote!(impl Into<Vec<u8>>),
        };
        parameters.push(if body.optional {
            quote!(#argument: Option<#ty>)
        } else {
            quote!(#argument: #ty)
        });
    }

    let request_type = request_type(context, operation);
    let name = &operation.qualified_name;
    let http_method = ident(operation.http_method);
    let template = &operation.path_template;
    let idempotent = operation.idempotent;
    let response_kind = match operation.response {
        // An envelope whose result the spec does not describe is read for its `success`.
        Response::Envelope if operation.result.is_none() => Some(quote!(ResponseKind::NoResult)),
        Response::Envelope => None,
        Response::PartialEnvelope => Some(quote!(ResponseKind::PartialEnvelope)),
        Response::Json => Some(quote!(ResponseKind::Json)),
        Response::Empty => Some(quote!(ResponseKind::Empty)),
        Response::Bytes => Some(quote!(ResponseKind::Bytes)),
        Response::Text => Some(quote!(ResponseKind::Text)),
    };
    let (constructor, kind_argument) = match response_kind {
        None => (quote!(Request::new), None),
        Some(kind) => (quote!(Request::with_response), Some(quote!(#kind,))),
    };
    let operation_const = quote! {
        Operation {
            name: #name,
            method: reqwest::Method::#http_method,
            path: #template,
            idempotent: #idempotent,
        }
    };
    let segments = operation.path.iter().map(|part| match part {
        PathPart::Literal(text) => quote!(PathSegment::Literal(#text)),
        PathPart::Param(index) => {
            let param = &operation.path_params[*index];
            let wire = &param.wire_name;
            let name = ident(&param.name);
            quote!(PathSegment::Param(#wire, #name))
        }
    });
    let params = operation
        .required_params()
        .map(|param| add_param(context, param));
    let body = operation.body.as_ref().map(|body| {
        let argument = ident(&body.argument);
        let content_type = &body.content_type;
        let plain_json = body.content_type == crate::spec::JSON;
        let set = match body.format {
            BodyFormat::Json if plain_json => quote!(Request::json),
            BodyFormat::Json => {
                quote!(|request, body| Request::json_as(request, #content_type, body))
            }
            BodyFormat::Multipart => quote!(Request::multipart),
            BodyFormat::Text => quote!(|request, text| Request::text(request, #content_type, text)),
            BodyFormat::Bytes => {
                quote!(|request, bytes| Request::bytes(request, #content_type, bytes))
            }
        };
        match (body.optional, body.format) {
            (true, _) => quote!(.maybe(#argument, #set)),
            (false, BodyFormat::Json) if plain_json => quote!(.json(#argument)),
            (false, BodyFormat::Json) => quote!(.json_as(#content_type, #argument)),
            (false, BodyFormat::Multipart) => quote!(.multipart(#argument)),
            (false, BodyFormat::Text) => quote!(.text(#content_type, #argument)),
            (false, BodyFormat::Bytes) => quote!(.bytes(#content_type, #argument)),
        }
    });
    quote! {
        #docs
        #deprecated
        pub fn #method_name(&self, #(#parameters),*) -> #request_type {
            const OPERATION: Operation = #operation_const;
            #constructor(self.client, &OPERATION, #kind_argument &[#(#segments),*])
                #(#params)*
                #body
        }
    }
}

/// `#[deprecated]`, with the note when there is one.
fn deprecated_attr(note: &str) -> TokenStream {
    if note.is_empty() {
        quote!(#[deprecated])
    } else {
        quote!(#[deprecated(note = #note)])
    }
}

/// The marker of an operation with optional parameters or pages, the setters of its
/// requests, and how its pages are read.
fn request_items(context: &Context<'_>, handle: &str, operation: &Operation) -> TokenStream {
    let Some(marker) = &operation.marker else {
        return TokenStream::new();
    };
    let marker_ident = ident(marker);
    let marker_doc = own_doc_attrs(&format!(
        "Marks the requests of [`{handle}::{0}`]: the methods of\n\
         [`Request<_, {marker}>`](crate::Request) set its optional parameters.",
        operation.method_name
    ));
    let result = result_type(context, operation);
    let setters = operation.optional_params().map(|param| {
        let name = ident(&param.name);
        let (ty, _) = param_argument(context, param);
        let add = add_param(context, param);
        let docs = doc_attrs(&paragraphs([format!(
            "Sets `{}`: {}",
            param.wire_name, param.doc
        )
        .as_str()]));
        let deprecated = param.deprecated.as_deref().map(deprecated_attr);
        quote! {
            #docs
            #deprecated
            pub fn #name(self, #name: #ty) -> Self {
                self #add
            }
        }
    });
    let setters: Vec<TokenStream> = setters.collect();
    let setters_impl = (!setters.is_empty()).then(|| {
        quote! {
            impl Request<#result, #marker_ident> {
                #(#setters)*
            }
        }
    });
    let paginated = operation.pagination.as_ref().map(|pagination| {
        let item = context.rust_type(&pagination.item);
        let style = ident(match pagination.style {
            Pagination::Page => "Page",
            Pagination::PageItems => "PageItems",
            Pagination::Cursor => "Cursor",
            Pagination::CursorAfter => "CursorAfter",
            Pagination::CursorLimit => "CursorLimit",
        });
        let items = match &pagination.items_field {
            Some(field) => {
                let field = ident(field);
                quote!(page.#field)
            }
            None => quote!(page),
        };
        quote! {
            impl Paginated<#result> for #marker_ident {
                type Item = #item;
                const STYLE: PageStyle = PageStyle::#style;

                fn items(page: #result) -> Vec<#item> {
                    #items
                }
            }
        }
    });
    quote! {
        #marker_doc
        #[derive(Debug)]
        pub enum #marker_ident {}

        #setters_impl
        #paginated
    }
}
