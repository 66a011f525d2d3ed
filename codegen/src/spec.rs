//! The spec as written in YAML: the shape `load` deserialises into.
//!
//! Every struct rejects unknown keys, so a misspelt key is an error with a location rather
//! than a silently ignored line. Maps are `IndexMap`s: the order written in the spec is the
//! order of the generated code, and it never depends on hashing.

use std::fmt;

use indexmap::IndexMap;
use serde::Deserialize;

/// A whole spec file. See `spec/README.md` for what every key means.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
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
#[serde(deny_unknown_fields)]
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
#[serde(deny_unknown_fields)]
pub struct TypeDef {
    pub doc: String,
    #[serde(default)]
    pub fields: Option<IndexMap<String, Field>>,
    #[serde(default, rename = "enum")]
    pub variants: Option<Vec<EnumValue>>,
}

/// A field of an object, or a query parameter.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
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
#[serde(deny_unknown_fields)]
pub struct EnumValue {
    pub value: String,
    pub doc: String,
}

/// A node of the resource tree.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resource {
    pub doc: String,
    #[serde(default)]
    pub operations: IndexMap<String, Operation>,
    #[serde(default)]
    pub resources: IndexMap<String, Resource>,
}

/// One HTTP operation.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
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
#[serde(deny_unknown_fields)]
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
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
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

impl TypeExpr {
    /// Parses an expression; the error says what was expected.
    pub fn parse(text: &str) -> Result<TypeExpr, String> {
        let text = text.trim();
        let generic = |prefix: &str| {
            text.strip_prefix(prefix)
                .and_then(|rest| rest.strip_prefix('<'))
                .and_then(|rest| rest.strip_suffix('>'))
        };
        if let Some(inner) = generic("list") {
            return Ok(TypeExpr::List(Box::new(TypeExpr::parse(inner)?)));
        }
        if let Some(inner) = generic("map") {
            return Ok(TypeExpr::Map(Box::new(TypeExpr::parse(inner)?)));
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
            _ => {
                return Err(format!(
                    "invalid type expression `{text}`: expected string, boolean, integer, number, \
                     uuid, date-time, uri, json, object, list<T>, map<T> or a PascalCase type name"
                ))
            }
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

fn is_type_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_uppercase())
        && name.chars().all(|c| c.is_ascii_alphanumeric())
}

impl TryFrom<String> for TypeExpr {
    type Error = String;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        TypeExpr::parse(&text)
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
