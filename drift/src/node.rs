//! The common ground of both sides: a type reduced to what the drift check compares.
//!
//! The spec and the OpenAPI document describe types in different vocabularies (`uuid` versus
//! `type: string, format: uuid`; `map<T>` versus `additionalProperties`; named types versus
//! `$ref` and `allOf`). Each side is lowered into a [`Node`] tree first, so the comparison
//! itself is one small recursive function that knows neither vocabulary.

use indexmap::IndexMap;

/// One type, with the facts about it that the drift check compares.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node {
    pub shape: Shape,
    /// `null` is allowed.
    pub nullable: bool,
    /// The allowed values (`enum`), as written (strings bare, other values as JSON), in the
    /// order given. Compared as sets.
    pub values: Option<Vec<String>>,
    /// The named type or component it came from, only to make messages easier to follow.
    pub origin: Option<String>,
}

/// The kinds of type both sides can express, plus the two ways a type can escape comparison.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Shape {
    /// Any JSON value (the spec's `json`, the schema `{}`).
    Any,
    Boolean,
    Integer,
    Number,
    /// A string; `format` is the OpenAPI format (`uuid`, `date-time`, `uri`, …).
    String {
        format: Option<String>,
    },
    Array(Box<Node>),
    /// An object whose keys are free and whose values all have one type.
    Map(Box<Node>),
    /// An object with declared fields.
    Object(Object),
    /// An object that may hold anything (the spec's `object`).
    FreeObject,
    /// A named type met again while it was being expanded. Recursion is cut there on both
    /// sides, so two equally recursive types compare equal without looping.
    Recursive(String),
    /// Something the check cannot interpret, and why. Reported, never compared.
    Unknown(String),
}

/// The fields of an object. `required` may name fields that another `allOf` part defines,
/// so it is kept as a list rather than as a flag on each field.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Object {
    pub fields: IndexMap<String, Node>,
    pub required: Vec<String>,
}

impl Object {
    pub fn is_required(&self, name: &str) -> bool {
        self.required.iter().any(|required| required == name)
    }
}

impl Node {
    pub fn new(shape: Shape) -> Node {
        Node {
            shape,
            nullable: false,
            values: None,
            origin: None,
        }
    }

    pub fn unknown(reason: impl Into<String>) -> Node {
        Node::new(Shape::Unknown(reason.into()))
    }

    pub fn string(format: Option<&str>) -> Node {
        Node::new(Shape::String {
            format: format.map(str::to_owned),
        })
    }

    pub fn nullable(mut self, nullable: bool) -> Node {
        self.nullable = nullable;
        self
    }

    /// The kind of JSON value, the first thing compared: when it differs, nothing below it is.
    pub fn kind(&self) -> &'static str {
        match &self.shape {
            Shape::Any => "any JSON value",
            Shape::Boolean => "boolean",
            Shape::Integer => "integer",
            Shape::Number => "number",
            Shape::String { .. } => "string",
            Shape::Array(_) => "array",
            Shape::Map(_) => "map",
            Shape::Object(_) => "object with fields",
            Shape::FreeObject => "free-form object",
            Shape::Recursive(_) => "recursive type",
            Shape::Unknown(_) => "uninterpretable type",
        }
    }

    /// The type in the spec's own vocabulary (`uuid`, `list<RiskEvent>`), so a report line
    /// can be turned into a spec edit directly. Nullability is left to the caller: the spec
    /// writes it beside the type, not in it.
    pub fn describe(&self) -> String {
        let mut text = match &self.shape {
            Shape::Any => "json".to_owned(),
            Shape::Boolean => "boolean".to_owned(),
            Shape::Integer => "integer".to_owned(),
            Shape::Number => "number".to_owned(),
            Shape::String { format: None } => "string".to_owned(),
            Shape::String {
                format: Some(format),
            } => match format.as_str() {
                "uuid" | "date-time" | "uri" => format.clone(),
                other => format!("string (format {other})"),
            },
            Shape::Array(items) => format!("list<{}>", items.describe()),
            Shape::Map(values) => format!("map<{}>", values.describe()),
            Shape::Object(object) => match &self.origin {
                Some(name) => name.clone(),
                None => {
                    let names: Vec<&str> = object.fields.keys().map(String::as_str).collect();
                    format!("object with fields {{{}}}", names.join(", "))
                }
            },
            Shape::FreeObject => "object".to_owned(),
            Shape::Recursive(name) => name.clone(),
            Shape::Unknown(reason) => format!("(cannot interpret: {reason})"),
        };
        if let Some(values) = &self.values {
            text = format!("{text} enum [{}]", values.join(", "));
        }
        text
    }
}
