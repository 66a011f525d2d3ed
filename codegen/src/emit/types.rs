//! `src/types.rs`: the models, one Rust type per spec type.
//!
//! Objects derive `Serialize`, and their `Deserialize` comes from the runtime's
//! `deserialize_object!`, one line per field: it keeps keys the spec does not know in the
//! extra-fields map (as Go's SDK keeps `ExtraFields`) while reporting decode errors at their
//! exact JSON path, which `#[serde(flatten)]` would lose. Enums are open: values the spec
//! does not list decode into a catch-all variant and serialise back unchanged; their values
//! are listed in `as_str` (or `value`) and `From`, and the runtime's `open_enum!` derives
//! the rest from those. Unions try their variants in order (or read their tag) and keep
//! what matches none as it arrived. Objects with `binary` fields are multipart bodies: they
//! have parts, not JSON.

use std::collections::BTreeSet;

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

use super::docs::{doc_attrs, paragraphs};
use super::ident;
use crate::ir::{Api, Enum, EnumRepr, Field, Object, Type, TypeDef, TypeKind, Union, WireValue};

/// The module docs and imports, then the pieces of each type: its items as tokens, and an
/// object's `Deserialize` as a call of the runtime's macro.
pub fn types_file(api: &Api) -> Vec<super::Piece<'_>> {
    let mut pieces = vec![super::tokens(move || {
        let uses = imports(api);
        quote! {
            //! Models sent to and received from the API.
            #uses
        }
    })];
    for def in &api.types {
        pieces.push(super::tokens(move || {
            let cfg = super::cfg_any(&def.features);
            match &def.kind {
                TypeKind::Object(object) if holds_files(object) => {
                    multipart_items(api, def, object, &cfg)
                }
                TypeKind::Object(object) if object.multipart => {
                    let items = object_items(def, object, &cfg);
                    let parts = parts_impl(api, def, object, &cfg);
                    quote!(#items #parts)
                }
                TypeKind::Object(object) => object_items(def, object, &cfg),
                TypeKind::Enum(variants) => enum_items(def, variants, &cfg),
                TypeKind::Union(union) => union_items(def, union, &cfg),
            }
        }));
        if let TypeKind::Object(object) = &def.kind {
            if !holds_files(object) {
                pieces.push(Box::new(move || {
                    super::Fragment::Source(deserialize_call(def, object))
                }));
            }
        }
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
        Type::I32 => quote!(i32),
        Type::I64 => quote!(i64),
        Type::U64 => quote!(u64),
        Type::F32 => quote!(f32),
        Type::F64 => quote!(f64),
        Type::Uuid => quote!(Uuid),
        Type::DateTime => quote!(DateTime<Utc>),
        Type::Json => quote!(serde_json::Value),
        Type::JsonObject => quote!(serde_json::Map<String, serde_json::Value>),
        Type::Binary => quote!(crate::Upload),
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

/// Whether an object has files: it is only ever sent as `multipart/form-data`, and has no
/// JSON form.
pub fn holds_files(object: &Object) -> bool {
    object.fields.iter().any(|field| {
        let mut binary = false;
        walk_type(&field.ty, &mut |ty| binary |= *ty == Type::Binary);
        binary
    })
}

/// Which types need an import: none yet, some (compiled with any of these features), or
/// one that is always compiled. An import is gated as the types that need it are, so that
/// every combination of product features compiles without unused imports.
#[derive(Clone, Default, PartialEq)]
enum Needed {
    #[default]
    No,
    By(BTreeSet<String>),
    Always,
}

impl Needed {
    fn by(&mut self, def: &TypeDef) {
        *self = match std::mem::take(self) {
            Needed::Always => Needed::Always,
            _ if def.features.is_empty() => Needed::Always,
            Needed::No => Needed::By(def.features.iter().cloned().collect()),
            Needed::By(mut features) => {
                features.extend(def.features.iter().cloned());
                Needed::By(features)
            }
        };
    }

    /// `import`, behind the `cfg` that compiles it exactly when it is used.
    fn gate(&self, import: TokenStream) -> TokenStream {
        match self {
            Needed::No => TokenStream::new(),
            Needed::Always => import,
            Needed::By(features) => {
                let features: Vec<String> = features.iter().cloned().collect();
                let cfg = super::cfg_any(&features);
                quote!(#cfg #import)
            }
        }
    }
}

/// What `types.rs` uses, so that it imports that and no more.
#[derive(Default)]
struct Uses {
    map: Needed,
    uuid: Needed,
    date_time: Needed,
    /// `Deserialize` and `Deserializer`, for the written-out `Deserialize` of unions
    /// (objects and enums call macros that name their own).
    deserialize: Needed,
    /// `Serialize`, for the objects and unions that derive it.
    serialize: Needed,
}

fn imports(api: &Api) -> TokenStream {
    let mut uses = Uses::default();
    for def in &api.types {
        let mut types: Vec<&Type> = Vec::new();
        match &def.kind {
            TypeKind::Object(object) => {
                types.extend(object.fields.iter().map(|field| &field.ty));
                if let Some(extra) = &object.extra_type {
                    types.push(extra);
                    uses.map.by(def);
                }
                if holds_files(object) {
                    uses.map.by(def);
                } else {
                    uses.serialize.by(def);
                }
            }
            TypeKind::Union(union) => {
                types.extend(union.variants.iter().map(|variant| &variant.ty));
                uses.deserialize.by(def);
                uses.serialize.by(def);
            }
            // The runtime's `open_enum!` names what it uses.
            TypeKind::Enum(_) => {}
        }
        for ty in types {
            walk_type(ty, &mut |ty| match ty {
                Type::Map(_) => uses.map.by(def),
                Type::Uuid => uses.uuid.by(def),
                Type::DateTime => uses.date_time.by(def),
                _ => {}
            });
        }
    }
    let mut tokens = vec![
        uses.map.gate(quote!(
            use std::collections::BTreeMap;
        )),
        uses.date_time.gate(quote!(
            use chrono::{DateTime, Utc};
        )),
    ];
    // One `use serde::…` per set of features that needs the same names.
    let serde = [
        ("Deserialize", &uses.deserialize),
        ("Deserializer", &uses.deserialize),
        ("Serialize", &uses.serialize),
    ];
    let mut groups: Vec<(&Needed, Vec<Ident>)> = Vec::new();
    for (name, needed) in serde {
        let name = ident(name);
        match groups.iter_mut().find(|(gate, _)| *gate == needed) {
            Some((_, names)) => names.push(name),
            None => groups.push((needed, vec![name])),
        }
    }
    for (needed, names) in groups {
        tokens.push(needed.gate(match names.as_slice() {
            [one] => quote!(use serde::#one;),
            many => quote!(use serde::{#(#many),*};),
        }));
    }
    tokens.push(uses.uuid.gate(quote!(
        use uuid::Uuid;
    )));
    quote!(#(#tokens)*)
}

/// The Rust type of a field: boxed where the type holds itself, `Option` where the value
/// may be missing.
fn field_type(field: &Field) -> TokenStream {
    let mut ty = rust_type(&field.ty);
    if field.boxed {
        ty = quote!(Box<#ty>);
    }
    if field.is_option() {
        quote!(Option<#ty>)
    } else {
        ty
    }
}

/// A field's docs, with its deprecation note.
fn field_docs(field: &Field) -> TokenStream {
    doc_attrs(&with_deprecation(&field.doc, field.deprecated.as_deref()))
}

/// `doc`, and a paragraph saying the item is deprecated when it is.
pub fn with_deprecation(doc: &str, deprecated: Option<&str>) -> String {
    match deprecated {
        None => doc.to_owned(),
        Some("") => paragraphs([doc, "Deprecated."]),
        Some(note) => paragraphs([doc, &format!("Deprecated: {note}")]),
    }
}

fn object_items(def: &TypeDef, object: &Object, cfg: &TokenStream) -> TokenStream {
    let name = ident(&def.name);
    let docs = doc_attrs(&with_deprecation(&def.doc, def.deprecated.as_deref()));
    let extra = ident(&object.extra_field);
    let extra_type = extra_type(object);
    let fields = object.fields.iter().map(|field| {
        let docs = field_docs(field);
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
    let constructor = object.constructible.then(|| constructor(def, object, cfg));
    let default = defaultable(object).then(|| quote!(, Default));
    quote! {
        #docs
        #cfg
        #[derive(Debug, Clone, PartialEq, Serialize #default)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
            /// Fields the server sent that this version of the crate does not know about,
            /// kept as they arrived.
            #[serde(flatten)]
            pub #extra: #extra_type,
        }

        #constructor
    }
}

/// Whether a request type can be made from nothing: every field optional or constant, so
/// its constructor takes no argument and `Default` says the same.
fn defaultable(object: &Object) -> bool {
    object.constructible
        && object
            .fields
            .iter()
            .all(|field| field.optional || field.constant)
}

/// The type of an object's extra-fields map.
fn extra_type(object: &Object) -> TokenStream {
    match &object.extra_type {
        None => quote!(serde_json::Map<String, serde_json::Value>),
        Some(ty) => {
            let ty = rust_type(ty);
            quote!(BTreeMap<String, #ty>)
        }
    }
}

/// A multipart body: a struct with a constructor, and the parts it is sent as.
fn multipart_items(api: &Api, def: &TypeDef, object: &Object, cfg: &TokenStream) -> TokenStream {
    let name = ident(&def.name);
    let docs = doc_attrs(&with_deprecation(&def.doc, def.deprecated.as_deref()));
    let extra = ident(&object.extra_field);
    let fields = object.fields.iter().map(|field| {
        let docs = field_docs(field);
        let field_name = ident(&field.name);
        let ty = field_type(field);
        quote! {
            #docs
            pub #field_name: #ty,
        }
    });
    let constructor = constructor(def, object, cfg);
    let parts = parts_impl(api, def, object, cfg);
    let default = defaultable(object).then(|| quote!(, Default));
    quote! {
        #docs
        #cfg
        #[derive(Debug, Clone, PartialEq #default)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
            /// More parts to send, as text, by name.
            pub #extra: BTreeMap<String, String>,
        }

        #constructor
        #parts
    }
}

/// How an object sent as `multipart/form-data` adds its parts: a part per set field, then
/// one per extra field (text for a model with files, JSON text for one without).
fn parts_impl(api: &Api, def: &TypeDef, object: &Object, cfg: &TokenStream) -> TokenStream {
    let name = ident(&def.name);
    let extra = ident(&object.extra_field);
    let parts = object.fields.iter().map(|field| {
        let wire = &field.wire_name;
        let field_name = ident(&field.name);
        // A place that holds the value: the field itself, or a reference to what an
        // optional field holds.
        let value = if field.is_option() {
            quote!(value)
        } else {
            quote!(self.#field_name)
        };
        let add = part(api, wire, &field.ty, value);
        if field.is_option() {
            quote! {
                if let Some(value) = &self.#field_name {
                    #add
                }
            }
        } else {
            add
        }
    });
    let add_extra = if holds_files(object) {
        quote!(form.text(name, value.clone());)
    } else {
        quote!(form.json(name, value);)
    };
    quote! {
        #cfg
        impl crate::multipart::Parts for #name {
            fn add_to(&self, form: &mut crate::multipart::Form) {
                #(#parts)*
                for (name, value) in &self.#extra {
                    #add_extra
                }
            }
        }
    }
}

/// Adds the part of one field: files as files, text as text, anything else as JSON.
fn part(api: &Api, wire: &str, ty: &Type, value: TokenStream) -> TokenStream {
    match ty {
        Type::Binary => quote!(form.file(#wire, &#value);),
        Type::List(item) if **item == Type::Binary => quote! {
            for file in #value.iter() {
                form.file(#wire, file);
            }
        },
        Type::String
        | Type::Bool
        | Type::I32
        | Type::I64
        | Type::U64
        | Type::F32
        | Type::F64
        | Type::Uuid => quote!(form.text(#wire, #value.to_string());),
        Type::Named(name) if is_enum(api, name) => quote!(form.text(#wire, #value.to_string());),
        _ => quote!(form.json(#wire, &#value);),
    }
}

fn is_enum(api: &Api, name: &str) -> bool {
    api.type_def(name)
        .is_some_and(|def| matches!(def.kind, TypeKind::Enum(_)))
}

/// `new` taking the required fields, and a `with_*` setter per optional field: request
/// types are `#[non_exhaustive]`, so this is how callers build them. Fields that are
/// constants (an enum of one value) are filled in.
fn constructor(def: &TypeDef, object: &Object, cfg: &TokenStream) -> TokenStream {
    let name = ident(&def.name);
    let extra = ident(&object.extra_field);
    let required: Vec<&Field> = object
        .fields
        .iter()
        .filter(|f| !f.optional && !f.constant)
        .collect();
    let parameters = required.iter().map(|field| {
        let field_name = ident(&field.name);
        match argument_type(field) {
            Some(argument) => quote!(#field_name: #argument),
            None => {
                let ty = field_type(field);
                quote!(#field_name: #ty)
            }
        }
    });
    let initialisers = object.fields.iter().map(|field| {
        let field_name = ident(&field.name);
        if field.optional {
            quote!(#field_name: None)
        } else if field.constant {
            quote!(#field_name: Default::default())
        } else if field.boxed && field.nullable {
            quote!(#field_name: #field_name.map(Box::new))
        } else if field.boxed {
            quote!(#field_name: Box::new(#field_name))
        } else if argument_type(field).is_some() {
            quote!(#field_name: #field_name.into())
        } else {
            quote!(#field_name)
        }
    });
    let setters = object.fields.iter().filter(|f| f.optional).map(|field| {
        let field_name = ident(&field.name);
        let setter = format_ident!("{}", crate::names::setter(&field.name));
        let doc = format!(" Sets `{}`.", field.wire_name);
        let (argument, value) = match &field.ty {
            Type::String => (quote!(impl Into<String>), quote!(#field_name.into())),
            ty if field.boxed => (rust_type(ty), quote!(Box::new(#field_name))),
            ty => (rust_type(ty), quote!(#field_name)),
        };
        quote! {
            #[doc = #doc]
            pub fn #setter(mut self, #field_name: #argument) -> Self {
                self.#field_name = Some(#value);
                self
            }
        }
    });
    let allow = (required.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let doc = format!(
        " Creates a `{}` from its required fields; optional fields start unset.",
        def.name
    );
    let extra_init = match (&object.extra_type, holds_files(object)) {
        (None, false) => quote!(#extra: serde_json::Map::new()),
        _ => quote!(#extra: BTreeMap::new()),
    };
    quote! {
        #cfg
        impl #name {
            #[doc = #doc]
            #allow
            pub fn new(#(#parameters),*) -> Self {
                Self {
                    #(#initialisers,)*
                    #extra_init,
                }
            }
            #(#setters)*
        }
    }
}

/// The constructor argument of a required field, when it is not the field's own type:
/// `impl Into<String>` for strings, the unboxed type for a boxed one (in an `Option` when
/// it is nullable).
fn argument_type(field: &Field) -> Option<TokenStream> {
    match (&field.ty, field.is_option(), field.boxed) {
        (Type::String, false, _) => Some(quote!(impl Into<String>)),
        (ty, false, true) => Some(rust_type(ty)),
        (ty, true, true) => {
            let ty = rust_type(ty);
            Some(quote!(Option<#ty>))
        }
        _ => None,
    }
}

/// The object's `Deserialize`: a call of `deserialize_object!` (in the runtime's `json.rs`),
/// one line per field. Laid out here rather than by prettyplease, which fills a macro's
/// contents like a paragraph; the layout is rustfmt's.
fn deserialize_call(def: &TypeDef, object: &Object) -> String {
    let mut call = String::from("crate::json::deserialize_object! {\n");
    match def.features.as_slice() {
        [] => {}
        [one] => call.push_str(&format!("    #[cfg(feature = {})]\n", Literal::string(one))),
        many => {
            let any: Vec<String> = many
                .iter()
                .map(|feature| format!("feature = {}", Literal::string(feature)))
                .collect();
            call.push_str(&format!("    #[cfg(any({}))]\n", any.join(", ")));
        }
    }
    call.push_str(&format!("    {} {{\n", def.name));
    for field in &object.fields {
        let optional = if field.is_option() { " optional" } else { "" };
        call.push_str(&format!(
            "        {}: {}{optional},\n",
            field.name,
            Literal::string(&field.wire_name)
        ));
    }
    let map = match object.extra_type {
        None => "serde_json::Map",
        Some(_) => "BTreeMap",
    };
    call.push_str(&format!(
        "        ..{}: {map}\n    }}\n}}\n",
        object.extra_field
    ));
    call
}

/// The wire value as a Rust literal.
fn wire_literal(value: &WireValue) -> TokenStream {
    match value {
        WireValue::String(text) => quote!(#text),
        WireValue::Integer(number) => {
            let literal = Literal::i64_unsuffixed(*number);
            quote!(#literal)
        }
        WireValue::Boolean(value) => quote!(#value),
    }
}

fn enum_items(def: &TypeDef, en: &Enum, cfg: &TokenStream) -> TokenStream {
    let name = ident(&def.name);
    let docs = doc_attrs(&with_deprecation(&def.doc, def.deprecated.as_deref()));
    let unknown = ident(&en.unknown_variant);
    // An enum of one value is a constant, whose default is that value.
    let default_attr = en.is_constant().then(|| quote!(#[default]));
    let variants = en.variants.iter().map(|variant| {
        let docs = doc_attrs(&variant.doc);
        let variant_name = ident(&variant.name);
        quote!(#docs #default_attr #variant_name,)
    });
    let to_wire = en.variants.iter().map(|variant| {
        let variant_name = ident(&variant.name);
        let wire = wire_literal(&variant.wire_value);
        quote!(Self::#variant_name => #wire,)
    });
    let from_wire = en.variants.iter().map(|variant| {
        let variant_name = ident(&variant.name);
        let wire = wire_literal(&variant.wire_value);
        quote!(#wire => Self::#variant_name,)
    });
    // Both booleans listed leave nothing for the catch-all arm to match.
    let every_value_listed = en.repr == EnumRepr::Boolean && en.variants.len() == 2;
    let (repr, held, accessor, accessor_doc, from) = match en.repr {
        EnumRepr::String => (
            quote!(String),
            quote!(value),
            quote!(as_str),
            " The value as it appears in JSON.",
            quote!(&str),
        ),
        EnumRepr::Integer => (
            quote!(i64),
            quote!(*value),
            quote!(value),
            " The number as it appears in JSON.",
            quote!(i64),
        ),
        EnumRepr::Boolean => (
            quote!(bool),
            quote!(*value),
            quote!(value),
            " The boolean as it appears in JSON.",
            quote!(bool),
        ),
    };
    let (accessor_type, unknown_from, macro_repr) = match en.repr {
        EnumRepr::String => (quote!(&str), quote!(other.to_owned()), quote!(str)),
        EnumRepr::Integer | EnumRepr::Boolean => (repr.clone(), quote!(other), repr.clone()),
    };
    let copy = (en.repr != EnumRepr::String).then(|| quote!(Copy,));
    let default = en.is_constant().then(|| quote!(, Default));
    let catch_all = (!every_value_listed).then(|| quote!(other => Self::#unknown(#unknown_from),));
    quote! {
        #docs
        #cfg
        #[derive(Debug, Clone, #copy PartialEq, Eq, Hash #default)]
        pub enum #name {
            #(#variants)*
            /// A value this version of the crate does not know, kept as the server sent it.
            #unknown(#repr),
        }

        #cfg
        impl #name {
            #[doc = #accessor_doc]
            pub fn #accessor(&self) -> #accessor_type {
                match self {
                    #(#to_wire)*
                    Self::#unknown(value) => #held,
                }
            }
        }

        #cfg
        impl From<#from> for #name {
            fn from(value: #from) -> Self {
                match value {
                    #(#from_wire)*
                    #catch_all
                }
            }
        }

        #cfg
        crate::json::open_enum!(#name, #macro_repr);
    }
}

/// A union: an enum with a variant per type it may be and one for what it is not. It
/// serialises as the variant it holds; it deserialises by its tag, or by trying each
/// variant in order, through the runtime's `union` helpers.
fn union_items(def: &TypeDef, union: &Union, cfg: &TokenStream) -> TokenStream {
    let name = ident(&def.name);
    let docs = doc_attrs(&with_deprecation(&def.doc, def.deprecated.as_deref()));
    let other = ident(&union.other_variant);
    let variants = union.variants.iter().map(|variant| {
        let docs = doc_attrs(&variant.doc);
        let variant_name = ident(&variant.name);
        let mut ty = rust_type(&variant.ty);
        if variant.boxed {
            ty = quote!(Box<#ty>);
        }
        quote!(#docs #variant_name(#ty),)
    });
    let other_doc = match &union.discriminator {
        Some(property) => format!(
            " An object whose `{property}` names no variant above (or none at all), kept as it \
             arrived."
        ),
        None => " A value that fits none of the variants above, kept as it arrived with why \
                 each did not fit."
            .to_owned(),
    };
    let decode = match &union.discriminator {
        Some(property) => {
            let arms = union.variants.iter().filter_map(|variant| {
                let tag = variant.tag.as_ref()?;
                let variant_name = ident(&variant.name);
                let label = &variant.name;
                Some(quote! {
                    Some(#tag) => crate::union::variant(#label, &value).map(Self::#variant_name),
                })
            });
            quote! {
                let value = serde_json::Value::deserialize(deserializer)?;
                let variant = match crate::union::tag(&value, #property) {
                    #(#arms)*
                    _ => Ok(Self::#other(crate::Unmatched::untagged(value, #property))),
                };
                variant.map_err(serde::de::Error::custom)
            }
        }
        None => {
            let tries = union.variants.iter().map(|variant| {
                let variant_name = ident(&variant.name);
                let label = &variant.name;
                quote! {
                    if let Some(value) = candidates.fit(#label) {
                        return Ok(Self::#variant_name(value));
                    }
                }
            });
            quote! {
                let mut candidates = crate::union::Candidates::new(serde_json::Value::deserialize(deserializer)?);
                #(#tries)*
                Ok(Self::#other(candidates.unmatched()))
            }
        }
    };
    // A union holds the variant it decoded inline, as a hand-written one would: boxing the
    // large ones would cost an allocation for every value and a deref in every match.
    let large_variants = quote!(#[allow(clippy::large_enum_variant)]);
    quote! {
        #docs
        #cfg
        #[derive(Debug, Clone, PartialEq, Serialize)]
        #[serde(untagged)]
        #large_variants
        pub enum #name {
            #(#variants)*
            #[doc = #other_doc]
            #other(crate::Unmatched),
        }

        #cfg
        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                #decode
            }
        }
    }
}
