//! The spec as written in YAML: the shape `load` deserialises into.
//!
//! Every struct rejects unknown keys, so a misspelt key is an error with a location rather
//! than a silently ignored line. Maps are `IndexMap`s: the order written in the spec is the
//! order of the generated code, and it never depends on hashing.

use std::fmt;

use indexmap::IndexMap;
use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;

/// A whole spec file. See `spec/README.md` for what every key means.
#[derive(Debug, Clone, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a mapping with `crate`, `base_url`, `resources` and optionally `types`"
)]
pub struct Spec {
    #[serde(rename = "crate")]
    pub krate: CrateMeta,
    pub base_url: String,
    #[serde(default)]
    pub types: IndexMap<String, TypeDef>,
    pub resources: IndexMap<String, Resource>,
}

/// Metadata of the generated crate.
#[derive(Debug, Clone, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a mapping with `name`, `version`, `description`, `license`, `repository`, \
                 `rust_version` and `doc`"
)]
pub struct CrateMeta {
    pub name: String,
    pub version: String,
    pub description: String,
    pub license: String,
    pub repository: String,
    pub rust_version: String,
    pub doc: String,
}

/// A named type: an object, an enum or a union. Which one is decided by its keys: `fields`,
/// `all_of` and `additional` make an object (any of them, together), `enum` an enum and
/// `union` a union; validation checks that a type is exactly one kind.
#[derive(Debug, Clone, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a type: a mapping with `doc` and one of `fields`, `all_of`, `additional`, \
                 `enum` or `union`"
)]
pub struct TypeDef {
    pub doc: String,
    #[serde(default)]
    pub deprecated: Option<Deprecated>,
    #[serde(default)]
    pub fields: Option<IndexMap<String, Field>>,
    /// Object types whose fields this one has too, in this order, before its own.
    #[serde(default)]
    pub all_of: Option<Vec<TypeExpr>>,
    /// The type of the values of keys other than the fields (OpenAPI's
    /// `additionalProperties`); without it, unknown keys are kept as arbitrary JSON.
    #[serde(default)]
    pub additional: Option<TypeExpr>,
    #[serde(default, rename = "enum")]
    pub variants: Option<Vec<EnumValue>>,
    #[serde(default)]
    pub union: Option<Union>,
}

impl TypeDef {
    /// Whether the keys make this type an object.
    pub fn is_object(&self) -> bool {
        self.fields.is_some() || self.all_of.is_some() || self.additional.is_some()
    }
}

/// A field of an object.
#[derive(Debug, Clone, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a field: a mapping with `type`, `doc` and optionally `optional`, `nullable`, \
                 `name` and `deprecated`"
)]
pub struct Field {
    #[serde(rename = "type")]
    pub ty: TypeExpr,
    pub doc: String,
    #[serde(default)]
    pub optional: bool,
    #[serde(default)]
    pub nullable: bool,
    /// The Rust name, when the one made from the wire name will not do.
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub deprecated: Option<Deprecated>,
}

impl Field {
    /// Whether the field may be absent or null: `Option<T>` in Rust.
    pub fn is_option(&self) -> bool {
        self.optional || self.nullable
    }
}

/// One value of an enum: a string, an integer or a boolean, as written in YAML.
#[derive(Debug, Clone, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "an enum value: a mapping with `value`, `doc` and optionally `name`"
)]
pub struct EnumValue {
    pub value: Literal,
    pub doc: String,
    /// The Rust variant name, when the one made from the value will not do.
    #[serde(default)]
    pub name: Option<String>,
}

/// A scalar written in the spec: the value of an enum variant.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Literal {
    String(String),
    Integer(i64),
    Boolean(bool),
}

impl Literal {
    /// What kind of scalar this is, as the spec's docs name it.
    pub fn kind(&self) -> &'static str {
        match self {
            Literal::String(_) => "string",
            Literal::Integer(_) => "integer",
            Literal::Boolean(_) => "boolean",
        }
    }
}

impl fmt::Display for Literal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Literal::String(text) => f.write_str(text),
            Literal::Integer(number) => write!(f, "{number}"),
            Literal::Boolean(value) => write!(f, "{value}"),
        }
    }
}

impl<'de> Deserialize<'de> for Literal {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct LiteralVisitor;

        impl Visitor<'_> for LiteralVisitor {
            type Value = Literal;

            fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str("a string, an integer or a boolean")
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<Literal, E> {
                Ok(Literal::String(text.to_owned()))
            }

            fn visit_i64<E: de::Error>(self, number: i64) -> Result<Literal, E> {
                Ok(Literal::Integer(number))
            }

            fn visit_u64<E: de::Error>(self, number: u64) -> Result<Literal, E> {
                i64::try_from(number)
                    .map(Literal::Integer)
                    .map_err(|_| E::custom(format!("{number} is too large for an enum value")))
            }

            fn visit_bool<E: de::Error>(self, value: bool) -> Result<Literal, E> {
                Ok(Literal::Boolean(value))
            }
        }

        deserializer.deserialize_any(LiteralVisitor)
    }
}

/// A type that is one of several others.
#[derive(Debug, Clone, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a union: a mapping with `variants` and optionally `discriminator`"
)]
pub struct Union {
    /// The property whose value says which variant an object is; without it, variants are
    /// tried in order.
    #[serde(default)]
    pub discriminator: Option<String>,
    pub variants: Vec<UnionVariant>,
}

/// One variant of a union.
#[derive(Debug, Clone, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a union variant: a mapping with `type` and optionally `name`, `tag` and `doc`"
)]
pub struct UnionVariant {
    #[serde(rename = "type")]
    pub ty: TypeExpr,
    /// The Rust variant name; by default, made from the type.
    #[serde(default)]
    pub name: Option<String>,
    /// The discriminator's value for this variant (discriminated unions only).
    #[serde(default)]
    pub tag: Option<String>,
    #[serde(default)]
    pub doc: Option<String>,
}

/// `deprecated: true`, or the note that says what to use instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deprecated {
    /// Empty when the spec only says `true`.
    pub note: String,
}

impl<'de> Deserialize<'de> for Deprecated {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DeprecatedVisitor;

        impl Visitor<'_> for DeprecatedVisitor {
            type Value = Deprecated;

            fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str("`true` or a note saying what to use instead")
            }

            fn visit_bool<E: de::Error>(self, value: bool) -> Result<Deprecated, E> {
                if value {
                    Ok(Deprecated {
                        note: String::new(),
                    })
                } else {
                    Err(E::custom(
                        "`deprecated: false` says nothing; leave the key out",
                    ))
                }
            }

            fn visit_str<E: de::Error>(self, note: &str) -> Result<Deprecated, E> {
                Ok(Deprecated {
                    note: note.trim().to_owned(),
                })
            }
        }

        deserializer.deserialize_any(DeprecatedVisitor)
    }
}

/// A node of the resource tree.
#[derive(Debug, Clone, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a resource: a mapping with `doc` and optionally `operations` and `resources`"
)]
pub struct Resource {
    pub doc: String,
    #[serde(default)]
    pub operations: IndexMap<String, Operation>,
    #[serde(default)]
    pub resources: IndexMap<String, Resource>,
}

/// One HTTP operation.
#[derive(Debug, Clone, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "an operation: a mapping with `summary`, `doc`, `method`, `path` and what it \
                 returns"
)]
pub struct Operation {
    /// The upstream `operationId`, when the document gives one.
    #[serde(default)]
    pub operation_id: Option<String>,
    pub summary: String,
    pub doc: String,
    pub method: HttpMethod,
    pub path: String,
    #[serde(default)]
    pub idempotent: Option<bool>,
    #[serde(default)]
    pub deprecated: Option<Deprecated>,
    #[serde(default)]
    pub path_params: IndexMap<String, PathParam>,
    #[serde(default)]
    pub query_params: IndexMap<String, Param>,
    #[serde(default)]
    pub header_params: IndexMap<String, Param>,
    #[serde(default)]
    pub body: Option<Body>,
    /// How the answer arrives; Cloudflare's envelope unless said otherwise.
    #[serde(default)]
    pub response: ResponseKind,
    /// What the call returns: the envelope's `result`, or the whole body of a `json`
    /// response. An envelope without `result` returns nothing.
    #[serde(default)]
    pub result: Option<TypeExpr>,
    #[serde(default)]
    pub result_nullable: bool,
    #[serde(default)]
    pub result_info: bool,
    #[serde(default)]
    pub pagination: Option<Pagination>,
    #[serde(default)]
    pub example_response: Option<serde_json::Value>,
}

impl Operation {
    /// Whether repeating the request is safe: as written, or the method's usual meaning.
    pub fn is_idempotent(&self) -> bool {
        self.idempotent.unwrap_or(match self.method {
            HttpMethod::Get | HttpMethod::Put | HttpMethod::Delete => true,
            HttpMethod::Post | HttpMethod::Patch => false,
        })
    }
}

/// A path parameter: always sent as a string, its type only documents the format.
#[derive(Debug, Clone, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a path parameter: a mapping with `type` and `doc`"
)]
pub struct PathParam {
    #[serde(rename = "type")]
    pub ty: TypeExpr,
    pub doc: String,
}

/// A query or header parameter.
#[derive(Debug, Clone, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a parameter: a mapping with `type`, `doc` and optionally `optional`, `name`, \
                 `explode` and `deprecated`"
)]
pub struct Param {
    #[serde(rename = "type")]
    pub ty: TypeExpr,
    pub doc: String,
    #[serde(default)]
    pub optional: bool,
    /// The Rust name, when the one made from the wire name will not do.
    #[serde(default)]
    pub name: Option<String>,
    /// For a list in the query: `true` (the default) repeats the name for every item
    /// (`k=a&k=b`), `false` joins the items with commas (`k=a,b`).
    #[serde(default)]
    pub explode: Option<bool>,
    #[serde(default)]
    pub deprecated: Option<Deprecated>,
}

/// A request body: a type expression alone is a required JSON body of that type.
#[derive(Debug, Clone)]
pub struct Body {
    pub ty: TypeExpr,
    /// The media type sent as `Content-Type`.
    pub content_type: String,
    pub optional: bool,
    pub doc: Option<String>,
}

/// The media type of a body given as a type expression alone.
pub const JSON: &str = "application/json";

impl Body {
    /// How a body of this media type is encoded.
    pub fn format(&self) -> BodyFormat {
        BodyFormat::of(&self.content_type)
    }
}

/// How a request body is encoded, by its media type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyFormat {
    /// `application/json` and `…+json`: the body's type serialised.
    Json,
    /// `multipart/form-data`: an object type's fields as parts, `binary` ones as files.
    Multipart,
    /// `text/…`: a string sent as it is.
    Text,
    /// Anything else (`application/octet-stream`, `application/zip`, …): bytes as they are.
    Bytes,
}

impl BodyFormat {
    pub fn of(content_type: &str) -> BodyFormat {
        let essence = content_type
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        if essence == "application/json" || essence.ends_with("+json") {
            BodyFormat::Json
        } else if essence == "multipart/form-data" {
            BodyFormat::Multipart
        } else if essence.starts_with("text/") {
            BodyFormat::Text
        } else {
            BodyFormat::Bytes
        }
    }
}

impl<'de> Deserialize<'de> for Body {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        /// The long form.
        #[derive(Deserialize)]
        #[serde(
            deny_unknown_fields,
            expecting = "a body: a type expression, or a mapping with `type` and optionally \
                         `content_type`, `optional` and `doc`"
        )]
        struct Written {
            #[serde(rename = "type")]
            ty: TypeExpr,
            #[serde(default)]
            content_type: Option<String>,
            #[serde(default)]
            optional: bool,
            #[serde(default)]
            doc: Option<String>,
        }

        struct BodyVisitor;

        impl<'de> Visitor<'de> for BodyVisitor {
            type Value = Body;

            fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str(
                    "a body: a type expression, or a mapping with `type` and optionally \
                     `content_type`, `optional` and `doc`",
                )
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<Body, E> {
                Ok(Body {
                    ty: TypeExpr::parse(text).map_err(E::custom)?,
                    content_type: JSON.to_owned(),
                    optional: false,
                    doc: None,
                })
            }

            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Body, A::Error> {
                let written = Written::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(Body {
                    ty: written.ty,
                    content_type: written.content_type.unwrap_or_else(|| JSON.to_owned()),
                    optional: written.optional,
                    doc: written.doc,
                })
            }
        }

        deserializer.deserialize_any(BodyVisitor)
    }
}

/// How an operation's answer arrives.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResponseKind {
    /// Cloudflare's envelope: `{success, errors, messages, result, result_info}`.
    #[default]
    Envelope,
    /// An envelope whose `success` the document does not promise: its absence is success.
    PartialEnvelope,
    /// JSON that is the result itself, not wrapped in an envelope.
    Json,
    /// No body worth reading.
    Empty,
    /// A body of any media type, returned as bytes with its content type.
    Bytes,
    /// A text body, returned as a string with its content type.
    Text,
}

impl ResponseKind {
    pub fn is_envelope(self) -> bool {
        matches!(self, ResponseKind::Envelope | ResponseKind::PartialEnvelope)
    }
}

/// How a list operation pages, in the styles Cloudflare's official SDKs name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Pagination {
    /// `page` and `per_page`; the items are `result`; the next page is `page + 1` until a
    /// page comes back empty (the SDKs' `V4PagePaginationArray`).
    Page,
    /// As `page`, with the items in `result.items` (`V4PagePagination`).
    PageItems,
    /// `cursor` and `per_page`; the items are `result`; the next cursor is
    /// `result_info.cursor` (`CursorPagination`).
    Cursor,
    /// `cursor`; the next cursor is `result_info.cursors.after` (`CursorPaginationAfter`).
    CursorAfter,
    /// `cursor` and `limit`; the next cursor is `result_info.cursor`
    /// (`CursorLimitPagination`).
    CursorLimit,
}

impl Pagination {
    /// The query parameter that selects the page.
    pub fn page_param(self) -> &'static str {
        match self {
            Pagination::Page | Pagination::PageItems => "page",
            Pagination::Cursor | Pagination::CursorAfter | Pagination::CursorLimit => "cursor",
        }
    }
}

/// The HTTP methods the API uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum HttpMethod {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl HttpMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
            HttpMethod::Put => "PUT",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Delete => "DELETE",
        }
    }
}

/// A parsed type expression (`string`, `list<RiskEvent>`, `map<Behavior>`, …).
///
/// Parsing happens during deserialisation, so a malformed expression is reported by
/// serde_yaml with the line and column of the value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeExpr {
    String,
    Boolean,
    /// `integer`: 64 bits, as JSON numbers usually are.
    Integer,
    Int32,
    Int64,
    Uint64,
    /// `number`: a 64-bit float.
    Number,
    Float,
    Double,
    Uuid,
    DateTime,
    Uri,
    Json,
    Object,
    /// Raw bytes: a file part of a multipart body, or a whole body.
    Binary,
    List(Box<TypeExpr>),
    Map(Box<TypeExpr>),
    Named(String),
}

/// How deep `list<…>` and `map<…>` may nest. The API needs two levels; the limit exists so
/// that a pathological expression is an error rather than a recursion as deep as the input
/// is long (parsing, printing and dropping a `TypeExpr` all recurse).
pub const MAX_TYPE_NESTING: usize = 16;

impl TypeExpr {
    /// Parses an expression; the error says what was expected.
    pub fn parse(text: &str) -> Result<TypeExpr, String> {
        TypeExpr::parse_nested(text, MAX_TYPE_NESTING)
    }

    fn parse_nested(text: &str, levels_left: usize) -> Result<TypeExpr, String> {
        let text = text.trim();
        let generic = |prefix: &str, wrap: fn(Box<TypeExpr>) -> TypeExpr| {
            text.strip_prefix(prefix)
                .and_then(|rest| rest.strip_prefix('<'))
                .and_then(|rest| rest.strip_suffix('>'))
                .map(|inner| (inner, wrap))
        };
        if let Some((inner, wrap)) =
            generic("list", TypeExpr::List).or_else(|| generic("map", TypeExpr::Map))
        {
            let levels_left = levels_left.checked_sub(1).ok_or_else(|| {
                format!(
                    "type expression nests `list<…>` and `map<…>` more than {MAX_TYPE_NESTING} \
                     levels deep"
                )
            })?;
            return Ok(wrap(Box::new(TypeExpr::parse_nested(inner, levels_left)?)));
        }
        Ok(match text {
            "string" => TypeExpr::String,
            "boolean" => TypeExpr::Boolean,
            "integer" => TypeExpr::Integer,
            "int32" => TypeExpr::Int32,
            "int64" => TypeExpr::Int64,
            "uint64" => TypeExpr::Uint64,
            "number" => TypeExpr::Number,
            "float" => TypeExpr::Float,
            "double" => TypeExpr::Double,
            "uuid" => TypeExpr::Uuid,
            "date-time" => TypeExpr::DateTime,
            "uri" => TypeExpr::Uri,
            "json" => TypeExpr::Json,
            "object" => TypeExpr::Object,
            "binary" => TypeExpr::Binary,
            name if is_type_name(name) => TypeExpr::Named(name.to_owned()),
            _ => return Err(invalid_expression(text)),
        })
    }

    /// Whether `part` is this expression or inside it (`list<binary>` contains `binary`).
    pub fn contains(&self, part: &TypeExpr) -> bool {
        self == part
            || matches!(self, TypeExpr::List(inner) | TypeExpr::Map(inner) if inner.contains(part))
    }

    /// The named type this expression refers to, if any.
    pub fn named(&self) -> Option<&str> {
        match self {
            TypeExpr::Named(name) => Some(name),
            TypeExpr::List(inner) | TypeExpr::Map(inner) => inner.named(),
            _ => None,
        }
    }
}

/// The expressions that name a built-in type, as written in a spec.
pub const BUILTIN_NAMES: &[&str] = &[
    "string",
    "boolean",
    "integer",
    "int32",
    "int64",
    "uint64",
    "number",
    "float",
    "double",
    "uuid",
    "date-time",
    "uri",
    "json",
    "object",
    "binary",
];

/// Why `text` is not a type expression, with the likely fix of a misspelt built-in.
fn invalid_expression(text: &str) -> String {
    match crate::names::suggest(text, BUILTIN_NAMES.iter().copied()) {
        Some(close) => format!("invalid type expression `{text}` (did you mean `{close}`?)"),
        None => format!(
            "invalid type expression `{text}`: expected {}, list<T>, map<T> or a PascalCase \
             type name",
            BUILTIN_NAMES.join(", ")
        ),
    }
}

fn is_type_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_uppercase())
        && name.chars().all(|c| c.is_ascii_alphanumeric())
}

// Written out rather than `#[serde(try_from = "String")]`: an error raised inside the
// visitor is located by serde_yaml at the offending value, one raised after it (as
// `try_from` does) only at the enclosing mapping.
impl<'de> Deserialize<'de> for TypeExpr {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ExprVisitor;

        impl Visitor<'_> for ExprVisitor {
            type Value = TypeExpr;

            fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str("a type expression such as `string`, `list<T>` or a type name")
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<TypeExpr, E> {
                TypeExpr::parse(text).map_err(E::custom)
            }
        }

        deserializer.deserialize_str(ExprVisitor)
    }
}

impl fmt::Display for TypeExpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TypeExpr::String => f.write_str("string"),
            TypeExpr::Boolean => f.write_str("boolean"),
            TypeExpr::Integer => f.write_str("integer"),
            TypeExpr::Int32 => f.write_str("int32"),
            TypeExpr::Int64 => f.write_str("int64"),
            TypeExpr::Uint64 => f.write_str("uint64"),
            TypeExpr::Number => f.write_str("number"),
            TypeExpr::Float => f.write_str("float"),
            TypeExpr::Double => f.write_str("double"),
            TypeExpr::Uuid => f.write_str("uuid"),
            TypeExpr::DateTime => f.write_str("date-time"),
            TypeExpr::Uri => f.write_str("uri"),
            TypeExpr::Json => f.write_str("json"),
            TypeExpr::Object => f.write_str("object"),
            TypeExpr::Binary => f.write_str("binary"),
            TypeExpr::List(inner) => write!(f, "list<{inner}>"),
            TypeExpr::Map(inner) => write!(f, "map<{inner}>"),
            TypeExpr::Named(name) => f.write_str(name),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_nested_generics() {
        assert_eq!(
            TypeExpr::parse("list<map<RiskLevel>>"),
            Ok(TypeExpr::List(Box::new(TypeExpr::Map(Box::new(
                TypeExpr::Named("RiskLevel".into())
            )))))
        );
    }

    #[test]
    fn rejects_lowercase_unknown_names_and_unclosed_generics() {
        assert!(TypeExpr::parse("strng").is_err());
        assert!(TypeExpr::parse("list<string").is_err());
        assert!(TypeExpr::parse("").is_err());
    }

    #[test]
    fn limits_nesting_instead_of_recursing_without_bound() {
        let nested =
            |levels: usize| format!("{}string{}", "list<".repeat(levels), ">".repeat(levels));
        assert!(TypeExpr::parse(&nested(MAX_TYPE_NESTING)).is_ok());
        let error = TypeExpr::parse(&nested(MAX_TYPE_NESTING + 1)).unwrap_err();
        assert!(error.contains("more than 16 levels"), "{error}");
        assert!(TypeExpr::parse(&nested(100_000)).is_err());
    }

    #[test]
    fn display_round_trips() {
        for text in [
            "string",
            "date-time",
            "list<Integration>",
            "map<list<uuid>>",
        ] {
            assert_eq!(TypeExpr::parse(text).unwrap().to_string(), text);
        }
    }
}
