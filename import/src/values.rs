//! The values file of the generated conformance test (`codegen/conformance/support.rs`):
//! for every imported operation, by its dotted name (`access.applications.list`), a value
//! for each path, query and header parameter by the spec's wire names, and its body with
//! the required properties only (`body`) and with every property (`full_body`).
//!
//! Each value is made from the document's schema by `openapi::example`, so that a mock
//! server validating requests against the document accepts it, and is then checked against
//! the spec's type, which the test decodes it into. [`SpecHints`] tells the maker how the
//! spec reads the document where the two differ: the order in which a union tries its
//! variants, and the tags the spec requires. What cannot be made valid is a `no_example`
//! warning, and the best value found is written all the same.

use std::collections::HashMap;

use openapi::example::{format_holds, Example, Examples, Hints, Variant};
use openapi::openapiv3::{ParameterSchemaOrContent, ReferenceOr};
use openapi::{Content, Location, Pointer, Resolver};
use serde_json::{json, Map, Value};

use crate::model::{Kind as TypeKind, Literal, Operation, Param, Ty, TypeId, Types};
use crate::operations::preferred;
use crate::resources::Placement;
use crate::warning::{Kind, Warnings};

/// The id the values give a path parameter naming an account or a zone, when the document
/// gives no example: 32 hexadecimal digits, as Cloudflare's ids are.
pub const SCOPE_ID: &str = "023e105f4ecef8ad9ca31a8372d0c353";

/// Path parameters that name the account or zone an operation is scoped to.
const SCOPE_PARAMS: &[&str] = &[
    "account_id",
    "zone_id",
    "account_identifier",
    "zone_identifier",
    "account_or_zone_id",
];

/// The path parameter that says whether the scope is an account or a zone, and the value
/// it is given when the document gives none.
const SCOPE_KIND: (&str, &str) = ("accounts_or_zones", "accounts");

/// Text for a text or raw body whose schema gives none.
const TEXT_BODY: &str = "conformance";

/// How the spec reads the document's schemas: by where each schema is written, the type it
/// became.
pub struct SpecHints<'a> {
    pub types: &'a Types,
    pub type_at: &'a HashMap<Pointer, TypeId>,
    pub union_variants_at: &'a HashMap<Pointer, Vec<(Ty, usize)>>,
}

impl Hints for SpecHints<'_> {
    fn requires(&self, at: &Pointer, property: &str) -> bool {
        self.type_at.get(at).is_some_and(|id| {
            self.types
                .all_fields(*id)
                .iter()
                .any(|(wire, field)| wire == property && !field.optional)
        })
    }

    fn variant_order(&self, at: &Pointer) -> Option<Vec<usize>> {
        let lowered = self.union_variants_at.get(at)?;
        let id = self.type_at.get(at)?;
        let TypeKind::Union(union) = &self.types.def(*id)?.kind else {
            return None;
        };
        Some(
            union
                .variants
                .iter()
                .filter_map(|variant| {
                    lowered
                        .iter()
                        .find(|(ty, _)| *ty == variant.ty)
                        .map(|(_, index)| *index)
                })
                .collect(),
        )
    }
}

/// The values of every operation, by dotted name, in name order.
pub fn values<'d>(
    resolver: Resolver<'d>,
    hints: &SpecHints<'_>,
    selected: &[&openapi::Operation<'d>],
    lowered: &[Operation],
    placements: &[Placement],
    warnings: &mut Warnings,
) -> Value {
    let examples = Examples::new(resolver, hints);
    let mut all = std::collections::BTreeMap::new();
    for ((upstream, operation), placement) in selected.iter().zip(lowered).zip(placements) {
        let mut name = placement.resource.join(".");
        if !name.is_empty() {
            name.push('.');
        }
        name.push_str(&placement.method);
        let values = Maker {
            examples: &examples,
            resolver,
            types: hints.types,
            warnings: &mut *warnings,
        }
        .operation(upstream, operation);
        all.insert(name, values);
    }
    Value::Object(all.into_iter().collect())
}

struct Maker<'e, 'd, 'h> {
    examples: &'e Examples<'d, 'h>,
    resolver: Resolver<'d>,
    types: &'e Types,
    warnings: &'e mut Warnings,
}

impl<'d> Maker<'_, 'd, '_> {
    fn operation(&mut self, upstream: &openapi::Operation<'d>, operation: &Operation) -> Value {
        let mut values = Map::new();
        for (section, params) in [
            ("path", &operation.path_params),
            ("query", &operation.query_params),
            ("header", &operation.header_params),
        ] {
            let mut by_name = Map::new();
            for param in params {
                let value = self.param(upstream, param);
                by_name.insert(param.wire.clone(), value);
            }
            values.insert(section.to_owned(), Value::Object(by_name));
        }
        if let Some(body) = &operation.body {
            let (required, full) = self.body(upstream, &body.ty);
            values.insert("body".to_owned(), required);
            values.insert("full_body".to_owned(), full);
        }
        Value::Object(values)
    }

    /// A parameter's value: the parameter's own examples first, then its schema's; a path
    /// parameter as text (the spec takes every path parameter as `&str`).
    fn param(&mut self, operation: &openapi::Operation<'d>, param: &Param) -> Value {
        let Some(upstream) = param.source.and_then(|index| operation.params.get(index)) else {
            return Value::String("example".to_owned());
        };
        let data = upstream.data();
        let ParameterSchemaOrContent::Schema(schema) = &data.format else {
            return Value::String("example".to_owned());
        };
        let base = match upstream.component {
            Some(name) => Pointer::component("parameters", name),
            None => upstream.pointer.clone(),
        };
        let at = base.push("schema");
        let mut preferred: Vec<Value> = data.example.iter().cloned().collect();
        preferred.extend(data.examples.values().filter_map(|example| match example {
            ReferenceOr::Item(example) => example.value.clone(),
            ReferenceOr::Reference { .. } => None,
        }));
        let path = upstream.location == Location::Path;
        if path && SCOPE_PARAMS.contains(&data.name.as_str()) {
            // The document's example if it is an id shaped like Cloudflare's (32 hexadecimal
            // digits), else one.
            let documented = self
                .resolver
                .schema(schema.into())
                .ok()
                .and_then(|resolved| resolved.item.schema_data.example.clone());
            preferred.extend(documented);
            let shaped = |value: &Value| {
                value
                    .as_str()
                    .is_some_and(|id| id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()))
            };
            preferred.retain(shaped);
            preferred.push(Value::String(SCOPE_ID.to_owned()));
        }
        if path && data.name == SCOPE_KIND.0 {
            preferred.push(Value::String(SCOPE_KIND.1.to_owned()));
        }
        let made = self
            .examples
            .example_preferring(&preferred, schema.into(), &at, Variant::Full);
        let what = format!(
            "the {} parameter `{}`",
            upstream.location.as_str(),
            data.name
        );
        let value = self.report(&made, &what);
        let value = if path {
            Value::String(text(&value))
        } else {
            conform(&param.ty, value)
        };
        self.fits(&param.ty, &value, &at, &what);
        value
    }

    /// The body with its required properties, and with every property: JSON as it is sent,
    /// a multipart body's fields that are not files, the text of a text or raw body.
    fn body(&mut self, operation: &openapi::Operation<'d>, ty: &Ty) -> (Value, Value) {
        let Some(body) = &operation.operation.request_body else {
            return (json!({}), json!({}));
        };
        let Ok(resolved) = self.resolver.resolve(body) else {
            return (json!({}), json!({}));
        };
        let at = match resolved.component {
            Some(name) => Pointer::component("requestBodies", name),
            None => operation.pointer.push("requestBody"),
        };
        let content: Vec<Content<'d>> = resolved
            .item
            .content
            .iter()
            .map(|(media_type, content)| Content {
                media_type,
                content,
                pointer: at.push("content").push(media_type),
            })
            .collect();
        let Some(chosen) = preferred(&content) else {
            return (json!({}), json!({}));
        };
        let schema_at = chosen.pointer.push("schema");
        let essence = chosen.essence();
        let what = format!("the body of {}", operation.route());
        if !chosen.is_json() && essence != "multipart/form-data" {
            // Text or bytes: the text of the schema's example, if it is a string.
            let text = chosen
                .schema()
                .map(|schema| {
                    self.examples
                        .example(schema, &schema_at, Variant::Full)
                        .value
                })
                .and_then(|value| value.as_str().map(str::to_owned))
                .filter(|text| !text.is_empty())
                .unwrap_or_else(|| TEXT_BODY.to_owned());
            return (Value::String(text.clone()), Value::String(text));
        }
        let Some(schema) = chosen.schema() else {
            return (json!({}), json!({}));
        };
        let required = self.examples.example(schema, &schema_at, Variant::Required);
        let full = self.examples.example(schema, &schema_at, Variant::Full);
        let mut required = self.report(&required, &what);
        let mut full = self.report(&full, &what);
        if essence == "multipart/form-data" {
            // Files are made up by the test; the other fields are read by wire name.
            for value in [&mut required, &mut full] {
                self.drop_files(ty, value);
            }
        }
        self.fits(ty, &required, &schema_at, &what);
        self.fits(ty, &full, &schema_at, &what);
        (required, full)
    }

    fn drop_files(&self, ty: &Ty, value: &mut Value) {
        let (Ty::Named(id), Value::Object(object)) = (ty, value) else {
            return;
        };
        for (wire, field) in self.types.all_fields(*id) {
            let file = match &field.ty {
                Ty::Binary => true,
                Ty::List(item) => **item == Ty::Binary,
                _ => false,
            };
            if file {
                object.remove(wire);
            }
        }
    }

    /// Warns about what could not be made valid; the value, whatever it is.
    fn report(&mut self, made: &Example, what: &str) -> Value {
        for problem in &made.problems {
            self.warnings.push(
                &problem.pointer,
                Kind::NoExample,
                format!("no valid value for {what}: {}", problem.message),
                "wrote the best value found",
            );
        }
        made.value.clone()
    }

    /// Warns when the spec's type could not decode `value`.
    fn fits(&mut self, ty: &Ty, value: &Value, at: &Pointer, what: &str) {
        if let Err(why) = fits(self.types, ty, value, "", 0) {
            self.warnings.push(
                at,
                Kind::NoExample,
                format!("the value for {what} does not fit the spec's type: {why}"),
                "wrote it anyway",
            );
        }
    }
}

/// A value as text, for a path parameter.
fn text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// A parameter's value in the shape its spec type reads: a list for a list, an integer for
/// an integer, text for a string.
fn conform(ty: &Ty, value: Value) -> Value {
    match (ty, value) {
        (Ty::List(item), Value::Array(items)) => Value::Array(
            items
                .into_iter()
                .map(|value| conform(item, value))
                .collect(),
        ),
        (Ty::List(item), value) => Value::Array(vec![conform(item, value)]),
        (Ty::String | Ty::Uri, value @ (Value::Number(_) | Value::Bool(_))) => {
            Value::String(value.to_string())
        }
        (Ty::Integer | Ty::Int32 | Ty::Int64 | Ty::Uint64, Value::Number(number)) => {
            match number.as_f64() {
                Some(float) if !number.is_i64() && !number.is_u64() && float.fract() == 0.0 => {
                    Value::from(float as i64)
                }
                _ => Value::Number(number),
            }
        }
        (_, value) => value,
    }
}

/// How deep [`fits`] follows a value.
const MAX_FIT_DEPTH: usize = 128;

/// Whether the spec's type decodes `value` (as the generated code does: required fields
/// present and not null, numbers in range, formats parsed, open enums of the right kind,
/// unions always, into their catch-all if need be), and why not.
pub fn fits(types: &Types, ty: &Ty, value: &Value, path: &str, depth: usize) -> Result<(), String> {
    if depth > MAX_FIT_DEPTH {
        return Ok(());
    }
    let wrong = |expected: &str| Err(format!("at `{path}`: {value} is not {expected}"));
    match ty {
        Ty::String | Ty::Uri => match value {
            Value::String(_) => Ok(()),
            _ => wrong("a string"),
        },
        Ty::Uuid => match value.as_str() {
            Some(text) if format_holds("uuid", text) => Ok(()),
            _ => wrong("a UUID"),
        },
        Ty::DateTime => match value.as_str() {
            Some(text) if format_holds("date-time", text) => Ok(()),
            _ => wrong("an RFC 3339 date-time"),
        },
        Ty::Boolean => match value {
            Value::Bool(_) => Ok(()),
            _ => wrong("a boolean"),
        },
        Ty::Integer | Ty::Int64 => match value.as_i64() {
            Some(_) => Ok(()),
            None => wrong("an i64"),
        },
        Ty::Int32 => match value
            .as_i64()
            .filter(|number| i32::try_from(*number).is_ok())
        {
            Some(_) => Ok(()),
            None => wrong("an i32"),
        },
        Ty::Uint64 => match value.as_u64() {
            Some(_) => Ok(()),
            None => wrong("a u64"),
        },
        Ty::Number | Ty::Float | Ty::Double => match value {
            Value::Number(_) => Ok(()),
            _ => wrong("a number"),
        },
        Ty::Json | Ty::Binary => Ok(()),
        Ty::Object => match value {
            Value::Object(_) => Ok(()),
            _ => wrong("an object"),
        },
        Ty::List(item) => match value {
            Value::Array(items) => items.iter().enumerate().try_for_each(|(index, value)| {
                fits(types, item, value, &format!("{path}/{index}"), depth + 1)
            }),
            _ => wrong("a list"),
        },
        Ty::Map(item) => match value {
            Value::Object(entries) => entries.iter().try_for_each(|(key, value)| {
                fits(types, item, value, &format!("{path}/{key}"), depth + 1)
            }),
            _ => wrong("a map"),
        },
        Ty::Named(id) => {
            let Some(def) = types.def(*id) else {
                return Ok(());
            };
            match &def.kind {
                TypeKind::Enum(values) => {
                    let kind_fits = match values.first().map(|value| &value.value) {
                        Some(Literal::String(_)) => value.is_string(),
                        Some(Literal::Integer(_)) => value.is_i64(),
                        Some(Literal::Boolean(_)) => value.is_boolean(),
                        None => true,
                    };
                    if kind_fits {
                        Ok(())
                    } else {
                        wrong("of the enum's kind")
                    }
                }
                // A union decodes what fits no variant into its catch-all, keeping the JSON.
                TypeKind::Union(_) => Ok(()),
                TypeKind::Object(object) => {
                    let Value::Object(entries) = value else {
                        return wrong("an object");
                    };
                    let fields = types.all_fields(*id);
                    for (wire, field) in &fields {
                        // Files of a multipart body are not in the values: the test makes them.
                        let file = matches!(&field.ty, Ty::Binary)
                            || matches!(&field.ty, Ty::List(item) if **item == Ty::Binary);
                        if file {
                            continue;
                        }
                        let here = format!("{path}/{wire}");
                        match entries.get(wire.as_str()) {
                            None | Some(Value::Null) if field.optional || field.nullable => {}
                            None => {
                                return Err(format!("at `{path}`: the field `{wire}` is missing"))
                            }
                            Some(Value::Null) => {
                                return Err(format!(
                                    "at `{here}`: null, but the field is not nullable"
                                ))
                            }
                            Some(value) => fits(types, &field.ty, value, &here, depth + 1)?,
                        }
                    }
                    if let Some(additional) = &object.additional {
                        for (key, value) in entries {
                            if !fields.iter().any(|(wire, _)| wire == key) {
                                fits(
                                    types,
                                    additional,
                                    value,
                                    &format!("{path}/{key}"),
                                    depth + 1,
                                )?;
                            }
                        }
                    }
                    Ok(())
                }
            }
        }
    }
}
