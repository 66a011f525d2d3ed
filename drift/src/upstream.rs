//! The OpenAPI document's side: its operations, with `$ref`s resolved, `allOf`s merged and
//! Cloudflare's response envelope taken apart, lowered into [`Node`]s.
//!
//! Whatever cannot be interpreted becomes a [`Shape::Unknown`] node or a [`Problem`] with the
//! reason, so the comparison reports it instead of skipping it. Nothing here panics, whatever
//! the document holds: references are looked up, never indexed, recursion through `$ref`
//! stops at the first repeat, and a budget bounds how much a document can make us expand.

use std::cell::Cell;

use indexmap::IndexMap;
use openapi::openapiv3::{
    AdditionalProperties, AnySchema, MediaType, OpenAPI, ParameterSchemaOrContent, ReferenceOr,
    RequestBody, Schema, SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty,
};
use openapi::Location;

use crate::node::{Node, Object, Shape};

/// Schema nodes one document may expand into. Real documents stay far below; a document
/// whose references fan out exponentially would otherwise take forever.
const NODE_BUDGET: usize = 100_000;

/// The document's operations, and the path items that could not be read.
pub(crate) struct Upstream {
    pub operations: Vec<UpstreamOperation>,
    /// Path items given as `$ref` (to another file, usually): `(path, reason)`.
    pub unreadable_paths: Vec<(String, String)>,
}

pub(crate) struct UpstreamOperation {
    /// Upper case, as the spec writes it.
    pub method: String,
    pub path: String,
    pub operation_id: Option<String>,
    /// Path-item and operation parameters merged, the operation's winning, in document order.
    pub params: Vec<Param>,
    pub body: Option<Body>,
    /// The envelope's `result`, or why it could not be found.
    pub result: Node,
    /// Whether the envelope has `result_info`; `None` when there is no envelope to look in.
    pub result_info: Option<bool>,
    /// What could not be interpreted outside of any schema.
    pub problems: Vec<Problem>,
}

pub(crate) struct Param {
    /// `path`, `query`, `header` or `cookie`.
    pub location: &'static str,
    pub name: String,
    pub required: bool,
    pub node: Node,
}

pub(crate) struct Body {
    pub required: bool,
    pub node: Node,
}

/// Something the check could not interpret, and where (`parameters`, `response`, …).
pub(crate) struct Problem {
    pub at: String,
    pub reason: String,
}

/// Reads every operation of `doc`, as the `openapi` crate finds them (document order,
/// parameters merged), so the drift check and the importer read a document alike.
pub(crate) fn read(doc: &OpenAPI) -> Upstream {
    let resolver = Resolver {
        document: openapi::Resolver::new(doc),
        budget: Cell::new(NODE_BUDGET),
    };
    let found = openapi::operations(doc);
    Upstream {
        operations: found
            .operations
            .iter()
            .map(|operation| resolver.operation(operation))
            .collect(),
        unreadable_paths: found
            .unreadable_paths
            .into_iter()
            .map(|unreadable| (unreadable.path.to_owned(), unreadable.reason))
            .collect(),
    }
}

/// Looks things up in one document (`'d`).
struct Resolver<'d> {
    document: openapi::Resolver<'d>,
    budget: Cell<usize>,
}

impl<'d> Resolver<'d> {
    fn operation(&self, operation: &openapi::Operation<'d>) -> UpstreamOperation {
        let mut problems = Vec::new();
        let params = self.params(operation, &mut problems);
        let body = operation
            .operation
            .request_body
            .as_ref()
            .map(|body| self.body(body));
        let (result, result_info) = self.envelope(operation, &mut problems);
        UpstreamOperation {
            method: operation.method.to_owned(),
            path: operation.path.to_owned(),
            operation_id: operation.operation.operation_id.clone(),
            params,
            body,
            result,
            result_info,
            problems,
        }
    }

    fn params(
        &self,
        operation: &openapi::Operation<'d>,
        problems: &mut Vec<Problem>,
    ) -> Vec<Param> {
        problems.extend(operation.problems.iter().map(|problem| Problem {
            at: "parameters".to_owned(),
            reason: problem.message.clone(),
        }));
        operation
            .params
            .iter()
            .map(|param| {
                let data = param.data();
                let node = match &data.format {
                    ParameterSchemaOrContent::Schema(schema) => self.schema(schema),
                    ParameterSchemaOrContent::Content(_) => {
                        Node::unknown("the parameter is described by `content`, not by `schema`")
                    }
                };
                Param {
                    location: match param.location {
                        Location::Path => "path",
                        Location::Query => "query",
                        Location::Header => "header",
                        Location::Cookie => "cookie",
                    },
                    name: data.name.clone(),
                    required: data.required,
                    node,
                }
            })
            .collect()
    }

    fn body(&self, body: &'d ReferenceOr<RequestBody>) -> Body {
        match self.document.resolve(body) {
            Ok(resolved) => Body {
                required: resolved.item.required,
                node: self.json_content(&resolved.item.content),
            },
            // A body that cannot be read is still a body: its presence is compared.
            Err(reason) => Body {
                required: true,
                node: Node::unknown(reason.to_string()),
            },
        }
    }

    /// The success response's envelope: its `result` and whether it has `result_info`.
    fn envelope(
        &self,
        operation: &openapi::Operation<'d>,
        problems: &mut Vec<Problem>,
    ) -> (Node, Option<bool>) {
        let Some(success) = openapi::success(&self.document, operation) else {
            return (Node::unknown("the operation has no 2XX response"), None);
        };
        let status = &success.status;
        for other in &success.others {
            problems.push(Problem {
                at: "response".to_owned(),
                reason: format!(
                    "only the {status} response is compared; the {other} response is not"
                ),
            });
        }
        let response = match success.response {
            Ok(response) => response,
            Err(reason) => {
                return (
                    Node::unknown(format!("the {status} response: {reason}")),
                    None,
                )
            }
        };
        let envelope = self.json_content(&response.content);
        let object = match envelope.shape {
            Shape::Object(object) => object,
            Shape::Unknown(reason) => {
                return (
                    Node::unknown(format!("the {status} response: {reason}")),
                    None,
                )
            }
            _ => {
                let reason = format!(
                    "the {status} response is {}, not Cloudflare's envelope",
                    envelope.describe()
                );
                return (Node::unknown(reason), None);
            }
        };
        let missing: Vec<&str> = ["success", "errors", "messages"]
            .into_iter()
            .filter(|field| !object.fields.contains_key(*field))
            .collect();
        if !missing.is_empty() {
            problems.push(Problem {
                at: "envelope".to_owned(),
                reason: format!(
                    "the {status} response lacks Cloudflare's envelope fields `{}`",
                    missing.join("`, `")
                ),
            });
        }
        let result = match object.fields.get("result") {
            Some(result) => result.clone(),
            None => Node::unknown(format!("the {status} response has no `result` field")),
        };
        (result, Some(object.fields.contains_key("result_info")))
    }

    /// The schema of the JSON media type of a body or response.
    fn json_content(&self, content: &IndexMap<String, MediaType>) -> Node {
        let json = content
            .iter()
            .find(|(media_type, _)| openapi::essence(media_type) == "application/json");
        match json {
            Some((
                _,
                MediaType {
                    schema: Some(schema),
                    ..
                },
            )) => self.schema(schema),
            Some(_) => Node::unknown("the `application/json` content has no schema"),
            None if content.is_empty() => Node::unknown("there is no content"),
            None => {
                let types: Vec<&str> = content.keys().map(String::as_str).collect();
                Node::unknown(format!(
                    "there is no `application/json` content, only `{}`",
                    types.join("`, `")
                ))
            }
        }
    }

    fn schema(&self, schema: &ReferenceOr<Schema>) -> Node {
        self.schema_in(schema, &mut Vec::new())
    }

    fn schema_in(&self, schema: &ReferenceOr<Schema>, expanding: &mut Vec<String>) -> Node {
        match schema {
            ReferenceOr::Item(schema) => self.inline(schema, expanding),
            ReferenceOr::Reference { reference } => self.reference(reference, expanding),
        }
    }

    fn boxed_in(&self, schema: &ReferenceOr<Box<Schema>>, expanding: &mut Vec<String>) -> Node {
        match schema {
            ReferenceOr::Item(schema) => self.inline(schema, expanding),
            ReferenceOr::Reference { reference } => self.reference(reference, expanding),
        }
    }

    fn reference(&self, reference: &str, expanding: &mut Vec<String>) -> Node {
        if let Some(name) = openapi::component_name(reference, "schemas") {
            if expanding.contains(&name) {
                return Node::new(Shape::Recursive(name));
            }
        }
        let (name, target) = match self.document.lookup::<Schema>(reference) {
            Ok((name, target)) => (name.to_owned(), target),
            Err(error) => return Node::unknown(error.to_string()),
        };
        expanding.push(name.clone());
        let mut node = self.schema_in(target, expanding);
        expanding.pop();
        // Recursion through an object or a list is a tree type; recursion with nothing in
        // between (`A: {$ref: B}`, `B: {allOf: [{$ref: A}]}`) describes no value at all.
        if node.shape == Shape::Recursive(name.clone()) {
            return Node::unknown(format!(
                "schema `{name}` is defined only in terms of itself"
            ));
        }
        node.origin = Some(name);
        node
    }

    fn inline(&self, schema: &Schema, expanding: &mut Vec<String>) -> Node {
        let left = self.budget.get();
        if left == 0 {
            return Node::unknown(format!(
                "the document expands into more than {NODE_BUDGET} schemas"
            ));
        }
        self.budget.set(left - 1);
        let mut node = match &schema.schema_kind {
            SchemaKind::Type(Type::String(string)) => {
                let mut node = Node::string(string_format(&string.format).as_deref());
                node.values = values(
                    string
                        .enumeration
                        .iter()
                        .map(|value| value.clone().map(Value::String)),
                );
                node
            }
            SchemaKind::Type(Type::Number(number)) => {
                let mut node = Node::new(Shape::Number);
                node.values = values(
                    number
                        .enumeration
                        .iter()
                        .map(|value| value.map(Value::Number)),
                );
                node
            }
            SchemaKind::Type(Type::Integer(integer)) => {
                let mut node = Node::new(Shape::Integer);
                node.values = values(
                    integer
                        .enumeration
                        .iter()
                        .map(|value| value.map(Value::Integer)),
                );
                node
            }
            SchemaKind::Type(Type::Boolean(boolean)) => {
                let mut node = Node::new(Shape::Boolean);
                node.values = values(
                    boolean
                        .enumeration
                        .iter()
                        .map(|value| value.map(Value::Boolean)),
                );
                node
            }
            SchemaKind::Type(Type::Object(object)) => self.object(
                &object.properties,
                &object.required,
                object.additional_properties.as_ref(),
                expanding,
            ),
            SchemaKind::Type(Type::Array(array)) => self.array(array.items.as_ref(), expanding),
            SchemaKind::AllOf { all_of } => {
                let parts = all_of
                    .iter()
                    .map(|part| self.schema_in(part, expanding))
                    .collect();
                merge_all_of(parts)
            }
            SchemaKind::OneOf { .. } => {
                Node::unknown("`oneOf` is not compared: the spec has no union types")
            }
            SchemaKind::AnyOf { .. } => {
                Node::unknown("`anyOf` is not compared: the spec has no union types")
            }
            SchemaKind::Not { .. } => {
                Node::unknown("`not` is not compared: the spec cannot express it")
            }
            SchemaKind::Any(any) => self.any(any, expanding),
        };
        node.nullable |= schema.schema_data.nullable;
        node
    }

    fn object(
        &self,
        properties: &IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        additional: Option<&AdditionalProperties>,
        expanding: &mut Vec<String>,
    ) -> Node {
        let has_fields = !properties.is_empty() || !required.is_empty();
        let values = match additional {
            // Whether an object is closed is not compared: the generated types keep unknown
            // fields either way. An object closed to every field is another matter.
            Some(AdditionalProperties::Any(false)) if !has_fields => {
                return Node::unknown("an object that allows no fields at all");
            }
            None | Some(AdditionalProperties::Any(_)) => None,
            Some(AdditionalProperties::Schema(schema)) => Some(self.schema_in(schema, expanding)),
        };
        match (has_fields, values) {
            (false, None) => Node::new(Shape::FreeObject),
            (false, Some(values)) => Node::new(Shape::Map(Box::new(values))),
            (true, None) => {
                let fields =
                    properties.iter().map(|(name, schema)| (name.clone(), self.boxed_in(schema, expanding))).collect();
                Node::new(Shape::Object(Object { fields, required: required.to_vec() }))
            }
            (true, Some(_)) => Node::unknown(
                "an object with both `properties` and an `additionalProperties` schema; the spec has one or the other",
            ),
        }
    }

    fn array(&self, items: Option<&ReferenceOr<Box<Schema>>>, expanding: &mut Vec<String>) -> Node {
        match items {
            Some(items) => Node::new(Shape::Array(Box::new(self.boxed_in(items, expanding)))),
            None => Node::unknown("an array without `items`"),
        }
    }

    /// A schema whose keywords fit none of openapiv3's typed variants: a type together with
    /// another type's constraints, fields without `type: object`, `allOf` beside other keys,
    /// the empty schema `{}`.
    fn any(&self, any: &AnySchema, expanding: &mut Vec<String>) -> Node {
        for (keyword, present) in [
            ("oneOf", !any.one_of.is_empty()),
            ("anyOf", !any.any_of.is_empty()),
        ] {
            if present {
                return Node::unknown(format!(
                    "`{keyword}` is not compared: the spec has no union types"
                ));
            }
        }
        if any.not.is_some() {
            return Node::unknown("`not` is not compared: the spec cannot express it");
        }
        let own = self.any_own(any, expanding);
        if any.all_of.is_empty() {
            return own.unwrap_or_else(|| Node::new(Shape::Any));
        }
        let mut parts: Vec<Node> = own.into_iter().collect();
        parts.extend(
            any.all_of
                .iter()
                .map(|part| self.schema_in(part, expanding)),
        );
        merge_all_of(parts)
    }

    /// What an [`AnySchema`]'s own keywords (all but the compositions) say, if anything.
    fn any_own(&self, any: &AnySchema, expanding: &mut Vec<String>) -> Option<Node> {
        let has_fields = !any.properties.is_empty()
            || !any.required.is_empty()
            || any.additional_properties.is_some();
        let enumeration = || values(any.enumeration.iter().map(Value::from_json));
        let node = match any.typ.as_deref() {
            Some("string") => {
                if any
                    .enumeration
                    .iter()
                    .any(|value| !value.is_string() && !value.is_null())
                {
                    return Some(Node::unknown(
                        "a string `enum` with values that are not strings",
                    ));
                }
                let mut node = Node::string(any.format.as_deref());
                node.values = enumeration();
                node
            }
            Some(scalar @ ("integer" | "number" | "boolean")) => {
                let mut node = Node::new(match scalar {
                    "integer" => Shape::Integer,
                    "number" => Shape::Number,
                    _ => Shape::Boolean,
                });
                node.values = enumeration();
                node
            }
            Some("array") => self.array(any.items.as_ref(), expanding),
            Some("object") if !any.enumeration.is_empty() => {
                Node::unknown("an object restricted by `enum`")
            }
            Some("object") => self.object(
                &any.properties,
                &any.required,
                any.additional_properties.as_ref(),
                expanding,
            ),
            Some(other) => Node::unknown(format!("unknown type `{other}`")),
            None if has_fields => self.object(
                &any.properties,
                &any.required,
                any.additional_properties.as_ref(),
                expanding,
            ),
            None if any.items.is_some() => self.array(any.items.as_ref(), expanding),
            None if !any.enumeration.is_empty() => Node::unknown("an `enum` without a `type`"),
            None if any.format.is_some() => Node::unknown("a `format` without a `type`"),
            None => return None,
        };
        Some(node)
    }
}

/// Merges the parts of an `allOf`: objects into one object with every part's fields and
/// `required` names; a single part, or parts that agree, into that part. Anything else (a
/// string and an object, two different definitions of one field) cannot be expressed by the
/// spec and is reported as such.
fn merge_all_of(parts: Vec<Node>) -> Node {
    if let Some(unknown) = parts
        .iter()
        .find(|part| matches!(part.shape, Shape::Unknown(_)))
    {
        return unknown.clone();
    }
    let mut parts = parts.into_iter();
    let Some(first) = parts.next() else {
        return Node::unknown("an empty `allOf`");
    };
    let rest: Vec<Node> = parts.collect();
    if rest.is_empty() {
        return first;
    }
    let nullable = first.nullable && rest.iter().all(|part| part.nullable);
    let all = std::iter::once(&first).chain(&rest);
    if all
        .clone()
        .all(|part| matches!(part.shape, Shape::Object(_) | Shape::FreeObject))
    {
        let mut merged = Object::default();
        let mut any_fields = false;
        for part in all {
            let Shape::Object(object) = &part.shape else {
                continue;
            };
            any_fields = true;
            for (name, node) in &object.fields {
                match merged.fields.get(name) {
                    Some(existing) if !same_type(existing, node) => {
                        let reason =
                            format!("field `{name}` is defined differently by two `allOf` parts");
                        merged.fields.insert(name.clone(), Node::unknown(reason));
                    }
                    Some(_) => {}
                    None => {
                        merged.fields.insert(name.clone(), node.clone());
                    }
                }
            }
            for name in &object.required {
                if !merged.is_required(name) {
                    merged.required.push(name.clone());
                }
            }
        }
        let shape = if any_fields {
            Shape::Object(merged)
        } else {
            Shape::FreeObject
        };
        return Node::new(shape).nullable(nullable);
    }
    if rest.iter().all(|part| same_type(part, &first)) {
        return first.nullable(nullable);
    }
    let kinds: Vec<&str> = std::iter::once(&first)
        .chain(&rest)
        .map(Node::kind)
        .collect();
    Node::unknown(format!(
        "an `allOf` of {} cannot be merged",
        kinds.join(", ")
    ))
}

/// Equal but for where they came from.
fn same_type(a: &Node, b: &Node) -> bool {
    a.shape == b.shape && a.nullable == b.nullable && a.values == b.values
}

/// An `enum` value of any type, to render it once.
enum Value {
    String(String),
    Number(f64),
    Integer(i64),
    Boolean(bool),
    Json(serde_json::Value),
}

impl Value {
    fn from_json(value: &serde_json::Value) -> Option<Value> {
        match value {
            serde_json::Value::Null => None,
            serde_json::Value::String(text) => Some(Value::String(text.clone())),
            other => Some(Value::Json(other.clone())),
        }
    }

    fn render(self) -> String {
        match self {
            Value::String(text) => text,
            Value::Number(number) => number.to_string(),
            Value::Integer(integer) => integer.to_string(),
            Value::Boolean(boolean) => boolean.to_string(),
            Value::Json(json) => json.to_string(),
        }
    }
}

/// The non-null values of an `enum`, or `None` when there is no `enum`. A `null` among them
/// is what `nullable` says, so it is left to that.
fn values(enumeration: impl Iterator<Item = Option<Value>>) -> Option<Vec<String>> {
    let all: Vec<Option<Value>> = enumeration.collect();
    (!all.is_empty()).then(|| all.into_iter().flatten().map(Value::render).collect())
}

fn string_format(format: &VariantOrUnknownOrEmpty<StringFormat>) -> Option<String> {
    let known = |format: &StringFormat| match format {
        StringFormat::Date => "date",
        StringFormat::DateTime => "date-time",
        StringFormat::Password => "password",
        StringFormat::Byte => "byte",
        StringFormat::Binary => "binary",
    };
    match format {
        VariantOrUnknownOrEmpty::Item(format) => Some(known(format).to_owned()),
        VariantOrUnknownOrEmpty::Unknown(format) => Some(format.clone()),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}
