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

/// A named type: an object with fields, or an enum of strings.
#[derive(Debug, Clone, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a type: a mapping with `doc` and either `fields` or `enum`"
)]
pub struct TypeDef {
    pub doc: String,
    #[serde(default)]
    pub fields: Option<IndexMap<String, Field>>,
    #[serde(default, rename = "enum")]
    pub variants: Option<Vec<EnumValue>>,
}

/// A field of an object, or a query parameter.
#[derive(Debug, Clone, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a field: a mapping with `type`, `doc` and optionally `optional` and `nullable`"
)]
pub struct Field {
    #[serde(rename = "type")]
    pub ty: TypeExpr,
    pub doc: String,
    #[serde(default)]
    pub optional: bool,
    #[serde(default)]
    pub nullable: bool,
}

/// One value of a string enum.
#[derive(Debug, Clone, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "an enum value: a mapping with `value` and `doc`"
)]
pub struct EnumValue {
    pub value: String,
    pub doc: String,
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
    expecting = "an operation: a mapping with `operation_id`, `summary`, `doc`, `method`, \
                 `path`, `result` and `example_response`"
)]
pub struct Operation {
    pub operation_id: String,
    pub summary: String,
    pub doc: String,
    pub method: HttpMethod,
    pub path: String,
    #[serde(default)]
    pub idempotent: Option<bool>,
    #[serde(default)]
    pub path_params: IndexMap<String, PathParam>,
    #[serde(default)]
    pub query_params: IndexMap<String, Field>,
    #[serde(default)]
    pub body: Option<String>,
    pub result: TypeExpr,
    #[serde(default)]
    pub result_nullable: bool,
    #[serde(default)]
    pub result_info: bool,
    pub example_response: serde_json::Value,
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
    Integer,
    Number,
    Uuid,
    DateTime,
    Uri,
    Json,
    Object,
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
            "number" => TypeExpr::Number,
            "uuid" => TypeExpr::Uuid,
            "date-time" => TypeExpr::DateTime,
            "uri" => TypeExpr::Uri,
            "json" => TypeExpr::Json,
            "object" => TypeExpr::Object,
            name if is_type_name(name) => TypeExpr::Named(name.to_owned()),
            _ => return Err(invalid_expression(text)),
        })
    }

    /// The named types this expression refers to, innermost last.
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
    "number",
    "uuid",
    "date-time",
    "uri",
    "json",
    "object",
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
            TypeExpr::Number => f.write_str("number"),
            TypeExpr::Uuid => f.write_str("uuid"),
            TypeExpr::DateTime => f.write_str("date-time"),
            TypeExpr::Uri => f.write_str("uri"),
            TypeExpr::Json => f.write_str("json"),
            TypeExpr::Object => f.write_str("object"),
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
