//! The spec as YAML text, in the order of `spec/README.md`: crate, base URL, types,
//! resources. Comments carry what the importer decided.

use crate::lower::scalar_name;
use crate::model::{
    CrateMeta, Field, Kind, Literal, Operation, Param, Resource, Response, State, Ty, Types,
};
use crate::yaml::Writer;

/// What the written spec is made of.
pub struct Spec<'a> {
    pub header: Vec<String>,
    pub krate: &'a CrateMeta,
    pub base_url: &'a str,
    pub types: &'a Types,
    /// The name of each written type, by entry.
    pub names: &'a [Option<String>],
    /// The entries to write, in order, with the comments naming adds.
    pub order: &'a [(usize, Vec<String>)],
    pub operations: &'a [Operation],
    /// Extra comments of each operation (its placement).
    pub placement_comments: &'a [Vec<String>],
    pub resources: &'a Resource,
}

pub fn render(spec: &Spec<'_>) -> String {
    let mut out = Writer::default();
    for line in &spec.header {
        out.comment(0, line);
    }
    out.blank();
    let krate = spec.krate;
    out.open(0, "crate");
    out.string(1, "name", &krate.name);
    out.string(1, "version", &krate.version);
    out.string(1, "description", &krate.description);
    out.string(1, "license", &krate.license);
    out.string(1, "repository", &krate.repository);
    out.string(1, "rust_version", &krate.rust_version);
    out.string(1, "doc", &krate.doc);
    out.blank();
    out.string(0, "base_url", spec.base_url);
    out.blank();
    if !spec.order.is_empty() {
        out.open(0, "types");
        for (number, (id, comments)) in spec.order.iter().enumerate() {
            if number > 0 {
                out.blank();
            }
            type_def(&mut out, spec, *id, comments);
        }
        out.blank();
    }
    out.open(0, "resources");
    resources(&mut out, spec, spec.resources, 1);
    out.finish()
}

fn expr(spec: &Spec<'_>, ty: &Ty) -> String {
    expression(spec.types, spec.names, ty)
}

/// A type expression as the spec writes it (`list<Integration>`), given the types' names.
pub fn expression(types: &Types, names: &[Option<String>], ty: &Ty) -> String {
    expr_bounded(types, names, ty, 16)
}

fn expr_bounded(types: &Types, names: &[Option<String>], ty: &Ty, depth: usize) -> String {
    let Some(depth) = depth.checked_sub(1) else {
        return "json".to_owned();
    };
    match ty {
        Ty::List(inner) => format!("list<{}>", expr_bounded(types, names, inner, depth)),
        Ty::Map(inner) => format!("map<{}>", expr_bounded(types, names, inner, depth)),
        Ty::Named(id) => match types.entries.get(*id).map(|entry| &entry.state) {
            Some(State::Def(_)) => names
                .get(*id)
                .cloned()
                .flatten()
                .unwrap_or_else(|| "json".to_owned()),
            // A component met again while it was lowered, that turned out to be a
            // type expression (a list of itself, say).
            Some(State::Alias(alias)) => expr_bounded(types, names, alias, depth),
            _ => "json".to_owned(),
        },
        scalar => scalar_name(scalar).to_owned(),
    }
}

fn type_def(out: &mut Writer, spec: &Spec<'_>, id: usize, extra: &[String]) {
    let (Some(def), Some(Some(name))) = (spec.types.def(id), spec.names.get(id)) else {
        return;
    };
    out.open(1, name);
    for comment in def.comments.iter().chain(extra) {
        out.comment(2, comment);
    }
    out.string(2, "doc", &def.doc);
    deprecated(out, 2, def.deprecated.as_deref());
    match &def.kind {
        Kind::Object(object) => {
            if !object.all_of.is_empty() {
                out.open(2, "all_of");
                for member in &object.all_of {
                    out.item(3, &expr(spec, &Ty::Named(*member)));
                }
            }
            if !object.fields.is_empty()
                || (object.all_of.is_empty() && object.additional.is_none())
            {
                if object.fields.is_empty() {
                    out.raw(2, "fields", "{}");
                } else {
                    out.open(2, "fields");
                    for (wire, field) in &object.fields {
                        self::field(out, spec, wire, field);
                    }
                }
            }
            if let Some(additional) = &object.additional {
                out.string(2, "additional", &expr(spec, additional));
            }
        }
        Kind::Enum(values) => {
            out.open(2, "enum");
            for value in values {
                match &value.value {
                    Literal::String(text) => out.item_string(3, "value", text),
                    Literal::Integer(number) => out.item_raw(3, "value", &number.to_string()),
                    Literal::Boolean(value) => out.item_raw(3, "value", &value.to_string()),
                }
                out.string(4, "doc", &value.doc);
                if let Some(name) = &value.name {
                    out.string(4, "name", name);
                }
            }
        }
        Kind::Union(union) => {
            out.open(2, "union");
            if let Some(discriminator) = &union.discriminator {
                out.string(3, "discriminator", discriminator);
            }
            out.open(3, "variants");
            for variant in &union.variants {
                out.item_string(4, "type", &expr(spec, &variant.ty));
                if let Some(tag) = &variant.tag {
                    out.string(5, "tag", tag);
                }
            }
        }
    }
}

fn field(out: &mut Writer, spec: &Spec<'_>, wire: &str, field: &Field) {
    out.open(3, wire);
    match &field.comment {
        Some(comment) => out.string_commented(4, "type", &expr(spec, &field.ty), comment),
        None => out.string(4, "type", &expr(spec, &field.ty)),
    }
    if let Some(name) = &field.name {
        out.string(4, "name", name);
    }
    if field.optional {
        out.raw(4, "optional", "true");
    }
    if field.nullable {
        out.raw(4, "nullable", "true");
    }
    deprecated(out, 4, field.deprecated.as_deref());
    out.string(4, "doc", &field.doc);
}

fn deprecated(out: &mut Writer, level: usize, note: Option<&str>) {
    match note {
        Some("") => out.raw(level, "deprecated", "true"),
        Some(note) => out.string(level, "deprecated", note),
        None => {}
    }
}

fn resources(out: &mut Writer, spec: &Spec<'_>, node: &Resource, level: usize) {
    for (name, child) in &node.resources {
        out.open(level, name);
        out.string(level + 1, "doc", &child.doc);
        if !child.operations.is_empty() {
            out.open(level + 1, "operations");
            for (method, number) in &child.operations {
                if let Some(operation) = spec.operations.get(*number) {
                    let placement = spec
                        .placement_comments
                        .get(*number)
                        .map(Vec::as_slice)
                        .unwrap_or_default();
                    self::operation(out, spec, method, operation, placement, level + 2);
                }
            }
        }
        if !child.resources.is_empty() {
            out.open(level + 1, "resources");
            resources(out, spec, child, level + 2);
        }
    }
}

fn operation(
    out: &mut Writer,
    spec: &Spec<'_>,
    method: &str,
    operation: &Operation,
    placement: &[String],
    level: usize,
) {
    out.open(level, method);
    let inner = level + 1;
    for comment in placement.iter().chain(&operation.comments) {
        out.comment(inner, comment);
    }
    if let Some(id) = &operation.operation_id {
        out.string(inner, "operation_id", id);
    }
    out.string(inner, "summary", &operation.summary);
    out.string(inner, "doc", &operation.doc);
    deprecated(out, inner, operation.deprecated.as_deref());
    out.raw(inner, "method", operation.method);
    out.string(inner, "path", &operation.path);
    if let Some(idempotent) = operation.idempotent {
        out.raw(inner, "idempotent", &idempotent.to_string());
    }
    params(
        out,
        spec,
        "path_params",
        &operation.path_params,
        inner,
        true,
    );
    params(
        out,
        spec,
        "query_params",
        &operation.query_params,
        inner,
        false,
    );
    params(
        out,
        spec,
        "header_params",
        &operation.header_params,
        inner,
        false,
    );
    if let Some(body) = &operation.body {
        let short = body.content_type == "application/json" && !body.optional && body.doc.is_none();
        if short {
            match &body.comment {
                Some(comment) => {
                    out.string_commented(inner, "body", &expr(spec, &body.ty), comment)
                }
                None => out.string(inner, "body", &expr(spec, &body.ty)),
            }
        } else {
            out.open(inner, "body");
            match &body.comment {
                Some(comment) => {
                    out.string_commented(inner + 1, "type", &expr(spec, &body.ty), comment)
                }
                None => out.string(inner + 1, "type", &expr(spec, &body.ty)),
            }
            if body.content_type != "application/json" {
                out.string(inner + 1, "content_type", &body.content_type);
            }
            if body.optional {
                out.raw(inner + 1, "optional", "true");
            }
            if let Some(doc) = &body.doc {
                out.string(inner + 1, "doc", doc);
            }
        }
    }
    if operation.response != Response::Envelope {
        out.raw(inner, "response", operation.response.as_str());
    }
    if let Some(result) = &operation.result {
        out.string(inner, "result", &expr(spec, result));
    }
    if operation.result_nullable && operation.result.is_some() {
        out.raw(inner, "result_nullable", "true");
    }
    if operation.result_info {
        out.raw(inner, "result_info", "true");
    }
    if let Some(pagination) = operation.pagination {
        out.raw(inner, "pagination", pagination.as_str());
    }
}

fn params(
    out: &mut Writer,
    spec: &Spec<'_>,
    key: &str,
    params: &[Param],
    level: usize,
    path: bool,
) {
    if params.is_empty() {
        return;
    }
    out.open(level, key);
    for param in params {
        out.open(level + 1, &param.wire);
        let inner = level + 2;
        match &param.comment {
            Some(comment) => out.string_commented(inner, "type", &expr(spec, &param.ty), comment),
            None => out.string(inner, "type", &expr(spec, &param.ty)),
        }
        if !path {
            if let Some(name) = &param.name {
                out.string(inner, "name", name);
            }
            if param.optional {
                out.raw(inner, "optional", "true");
            }
            if let Some(explode) = param.explode {
                out.raw(inner, "explode", &explode.to_string());
            }
            deprecated(out, inner, param.deprecated.as_deref());
        }
        out.string(inner, "doc", &param.doc);
    }
}
