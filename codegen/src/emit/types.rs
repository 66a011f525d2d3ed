//! `src/types.rs`: the models, one Rust type per spec type.
//!
//! Objects derive `Serialize` but get a written-out `Deserialize`: it keeps keys the spec
//! does not know in the extra-fields map (as Go's SDK keeps `ExtraFields`) while reporting
//! decode errors at their exact JSON path, which `#[serde(flatten)]` would lose. Enums are
//! open: values the spec does not list decode into a catch-all variant and serialise back
//! unchanged.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::doc_attrs;
use super::ident;
use crate::ir::{Api, Enum, Field, Object, Type, TypeDef, TypeKind};
use crate::names;

/// The module docs and imports, then one piece per type.
pub fn types_file(api: &Api) -> Vec<super::Piece<'_>> {
    let mut pieces: Vec<super::Piece<'_>> = vec![Box::new(move || {
        let uses = imports(api);
        quote! {
            //! Models sent to and received from the API.
            #uses
        }
    })];
    for def in &api.types {
        pieces.push(Box::new(move || match &def.kind {
            TypeKind::Object(object) => object_items(def, object),
            TypeKind::Enum(variants) => enum_items(def, variants),
        }));
    }
    pieces
}

/// Rust tokens for a value type. Named types are referred to by their bare name: the files
/// that use them import them.
pub fn rust_type(ty: &Type) -> TokenStream {
    rust_type_with(ty, &|name| {
        let name = ident(name);
        quote!(#name)
    })
}

/// Like [`rust_type`], with `named` deciding how a named type is written.
pub fn rust_type_with(ty: &Type, named: &dyn Fn(&str) -> TokenStream) -> TokenStream {
    match ty {
        Type::String => quote!(String),
        Type::Bool => quote!(bool),
        Type::I64 => quote!(i64),
        Type::F64 => quote!(f64),
        Type::Uuid => quote!(Uuid),
        Type::DateTime => quote!(DateTime<Utc>),
        Type::Json => quote!(serde_json::Value),
        Type::JsonObject => quote!(serde_json::Map<String, serde_json::Value>),
        Type::List(inner) => {
            let inner = rust_type_with(inner, named);
            quote!(Vec<#inner>)
        }
        Type::Map(inner) => {
            let inner = rust_type_with(inner, named);
            quote!(BTreeMap<String, #inner>)
        }
        Type::Named(name) => named(name),
    }
}

/// Calls `visit` on `ty` and every type inside it.
pub fn walk_type(ty: &Type, visit: &mut impl FnMut(&Type)) {
    visit(ty);
    if let Type::List(inner) | Type::Map(inner) = ty {
        walk_type(inner, visit);
    }
}

/// The `use` lines `types.rs` needs, and no more (unused imports are warnings).
fn imports(api: &Api) -> TokenStream {
    let (mut map, mut uuid, mut date_time) = (false, false, false);
    let mut objects = false;
    for def in &api.types {
        if let TypeKind::Object(object) = &def.kind {
            objects = true;
            for field in &object.fields {
                walk_type(&field.ty, &mut |ty| match ty {
                    Type::Map(_) => map = true,
                    Type::Uuid => uuid = true,
                    Type::DateTime => date_time = true,
                    _ => {}
                });
            }
        }
    }
    let enums = api
        .types
        .iter()
        .any(|def| matches!(def.kind, TypeKind::Enum(_)));
    let mut uses = Vec::new();
    if map {
        uses.push(quote!(
            use std::collections::BTreeMap;
        ));
    }
    if objects || enums {
        uses.push(quote!(
            use std::fmt;
        ));
    }
    if date_time {
        uses.push(quote!(
            use chrono::{DateTime, Utc};
        ));
    }
    if objects {
        uses.push(quote!(
            use serde::de::{self, MapAccess, Visitor};
        ));
    }
    match (objects, enums) {
        (true, true) => uses.push(quote!(
            use serde::{Deserialize, Deserializer, Serialize, Serializer};
        )),
        (true, false) => uses.push(quote!(
            use serde::{Deserialize, Deserializer, Serialize};
        )),
        (false, true) => uses.push(quote!(
            use serde::{Deserialize, Deserializer, Serialize, Serializer};
        )),
        (false, false) => {}
    }
    if uuid {
        uses.push(quote!(
            use uuid::Uuid;
        ));
    }
    quote!(#(#uses)*)
}

fn field_type(field: &Field) -> TokenStream {
    let ty = rust_type(&field.ty);
    if field.is_option() {
        quote!(Option<#ty>)
    } else {
        ty
    }
}

fn object_items(def: &TypeDef, object: &Object) -> TokenStream {
    let name = ident(&def.name);
    let docs = doc_attrs(&def.doc);
    let extra = ident(&object.extra_field);
    let fields = object.fields.iter().map(|field| {
        let docs = doc_attrs(&field.doc);
        let field_name = ident(&field.name);
        let ty = field_type(field);
        let rename = (field.name != field.wire_name).then(|| {
            let wire = &field.wire_name;
            quote!(rename = #wire)
        });
        let skip = field
            .optional
            .then(|| quote!(skip_serializing_if = "Option::is_none"));
        let serde_attr = match (rename, skip) {
            (None, None) => None,
            (Some(one), None) | (None, Some(one)) => Some(quote!(#[serde(#one)])),
            (Some(rename), Some(skip)) => Some(quote!(#[serde(#rename, #skip)])),
        };
        quote! {
            #docs
            #serde_attr
            pub #field_name: #ty,
        }
    });
    let constructor = object.constructible.then(|| constructor(def, object));
    let deserialize = deserialize_impl(def, object);
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Serialize)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
            /// Fields the server sent that this version of the crate does not know about,
            /// kept as they arrived.
            #[serde(flatten)]
            pub #extra: serde_json::Map<String, serde_json::Value>,
        }

        #constructor
        #deserialize
    }
}

/// `new` taking the required fields, and a `with_*` setter per optional field: request
/// types are `#[non_exhaustive]`, so this is how callers build them.
fn constructor(def: &TypeDef, object: &Object) -> TokenStream {
    let name = ident(&def.name);
    let extra = ident(&object.extra_field);
    let required: Vec<&Field> = object.fields.iter().filter(|f| !f.optional).collect();
    let parameters = required.iter().map(|field| {
        let field_name = ident(&field.name);
        let ty = field_type(field);
        if field.ty == Type::String && !field.is_option() {
            quote!(#field_name: impl Into<String>)
        } else {
            quote!(#field_name: #ty)
        }
    });
    let initialisers = object.fields.iter().map(|field| {
        let field_name = ident(&field.name);
        if field.optional {
            quote!(#field_name: None)
        } else if field.ty == Type::String && !field.is_option() {
            quote!(#field_name: #field_name.into())
        } else {
            quote!(#field_name)
        }
    });
    let setters = object.fields.iter().filter(|f| f.optional).map(|field| {
        let field_name = ident(&field.name);
        let setter = format_ident!("with_{}", field.name.trim_end_matches('_'));
        let doc = format!(" Sets `{}`.", field.wire_name);
        if field.ty == Type::String {
            quote! {
                #[doc = #doc]
                pub fn #setter(mut self, #field_name: impl Into<String>) -> Self {
                    self.#field_name = Some(#field_name.into());
                    self
                }
            }
        } else {
            let ty = rust_type(&field.ty);
            quote! {
                #[doc = #doc]
                pub fn #setter(mut self, #field_name: #ty) -> Self {
                    self.#field_name = Some(#field_name);
                    self
                }
            }
        }
    });
    let allow = (required.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let doc = format!(
        " Creates a `{}` from its required fields; optional fields start unset.",
        def.name
    );
    quote! {
        impl #name {
            #[doc = #doc]
            #allow
            pub fn new(#(#parameters),*) -> Self {
                Self {
                    #(#initialisers,)*
                    #extra: serde_json::Map::new(),
                }
            }
            #(#setters)*
        }
    }
}

fn deserialize_impl(def: &TypeDef, object: &Object) -> TokenStream {
    let name = ident(&def.name);
    let extra = ident(&object.extra_field);
    // The visitor's own locals must not shadow a field's local of the same name.
    let taken = |candidate: &str| {
        candidate == object.extra_field || object.fields.iter().any(|f| f.name == candidate)
    };
    let access = ident(&names::first_free(&["map", "access"], taken));
    let key = ident(&names::first_free(&["key", "json_key"], taken));
    let expecting = format!("a {} object", def.name);
    let locals = object.fields.iter().map(|field| {
        let local = ident(&field.name);
        quote!(let mut #local = None;)
    });
    let arms = object.fields.iter().map(|field| {
        let local = ident(&field.name);
        let wire = &field.wire_name;
        if field.is_option() {
            quote!(#wire => #local = #access.next_value()?,)
        } else {
            quote!(#wire => #local = Some(#access.next_value()?),)
        }
    });
    let initialisers = object.fields.iter().map(|field| {
        let local = ident(&field.name);
        let wire = &field.wire_name;
        if field.is_option() {
            quote!(#local)
        } else {
            quote!(#local: #local.ok_or_else(|| de::Error::missing_field(#wire))?)
        }
    });
    quote! {
        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct FieldVisitor;

                impl<'de> Visitor<'de> for FieldVisitor {
                    type Value = #name;

                    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                        formatter.write_str(#expecting)
                    }

                    fn visit_map<A: MapAccess<'de>>(self, mut #access: A) -> Result<#name, A::Error> {
                        #(#locals)*
                        let mut #extra = serde_json::Map::new();
                        while let Some(#key) = #access.next_key::<String>()? {
                            match #key.as_str() {
                                #(#arms)*
                                _ => {
                                    #extra.insert(#key, #access.next_value()?);
                                }
                            }
                        }
                        Ok(#name {
                            #(#initialisers,)*
                            #extra,
                        })
                    }
                }

                deserializer.deserialize_map(FieldVisitor)
            }
        }
    }
}

fn enum_items(def: &TypeDef, en: &Enum) -> TokenStream {
    let name = ident(&def.name);
    let docs = doc_attrs(&def.doc);
    let unknown = ident(&en.unknown_variant);
    let variants = en.variants.iter().map(|variant| {
        let docs = doc_attrs(&variant.doc);
        let variant_name = ident(&variant.name);
        quote!(#docs #variant_name,)
    });
    let to_wire = en.variants.iter().map(|variant| {
        let variant_name = ident(&variant.name);
        let wire = &variant.wire_value;
        quote!(Self::#variant_name => #wire,)
    });
    let from_wire = en.variants.iter().map(|variant| {
        let variant_name = ident(&variant.name);
        let wire = &variant.wire_value;
        quote!(#wire => Self::#variant_name,)
    });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum #name {
            #(#variants)*
            /// A value this version of the crate does not know, kept as the server sent it.
            #unknown(String),
        }

        impl #name {
            /// The value as it appears in JSON.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#to_wire)*
                    Self::#unknown(value) => value,
                }
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#from_wire)*
                    other => Self::#unknown(other.to_owned()),
                }
            }
        }

        impl fmt::Display for #name {
            fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str(self.as_str())
            }
        }

        impl Serialize for #name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = String::deserialize(deserializer)?;
                Ok(Self::from(value.as_str()))
            }
        }
    }
}
