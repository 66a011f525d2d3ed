//! Operations into the format's operations: parameters, body, response and pagination.

use std::collections::BTreeSet;

use openapi::openapiv3::{
    ParameterSchemaOrContent, QueryStyle, ReferenceOr, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};
use openapi::{Content, Envelope, Location, Pointer, Properties, Resolver, SchemaRef};
use serde_json::Value;

use crate::lower::{Lowered, Lowerer, Place, UNDOCUMENTED};
use crate::model::{Body, Kind as TypeKind, Operation, Pagination, Param, Response, Ty};
use crate::names_file::OperationNames;
use crate::naming;
use crate::warning::Kind;

/// Lowers one operation (of a method the format has).
pub fn lower<'d>(
    lowerer: &mut Lowerer<'d, '_>,
    resolver: &Resolver<'d>,
    operation: &openapi::Operation<'d>,
    index: usize,
    names: Option<&OperationNames>,
) -> Operation {
    let method = operation.method;
    for problem in &operation.problems {
        lowerer.warnings.push(
            &problem.pointer,
            Kind::UnresolvedRef,
            problem.message.clone(),
            "left the parameter out",
        );
    }
    let upstream = operation.operation;
    let mut lowered = Operation {
        operation_id: upstream.operation_id.clone(),
        summary: String::new(),
        doc: String::new(),
        deprecated: operation_deprecation(upstream),
        method,
        path: operation.path.to_owned(),
        idempotent: names.and_then(|names| names.idempotent),
        path_params: Vec::new(),
        query_params: Vec::new(),
        header_params: Vec::new(),
        body: None,
        response: Response::Empty,
        result: None,
        result_nullable: false,
        result_info: false,
        pagination: None,
        comments: Vec::new(),
    };
    if upstream.operation_id.is_none() {
        lowered
            .comments
            .push("no operationId upstream: names-file entries use the route".to_owned());
    }
    (lowered.summary, lowered.doc) = summary_and_doc(operation, &mut lowered.comments);
    params(lowerer, resolver, operation, index, &mut lowered);
    if let Some(body) = &upstream.request_body {
        lowered.body = self::body(lowerer, resolver, operation, body, index);
        if method == "GET" && lowered.body.is_some() {
            lowerer.warnings.push(
                &operation.pointer.push("requestBody"),
                Kind::UnsupportedContent,
                "a GET operation with a request body",
                "left the body out: the format allows none on GET",
            );
            lowered.body = None;
        }
    }
    let result_info = response(lowerer, resolver, operation, index, &mut lowered);
    pagination(lowerer, resolver, result_info, names, &mut lowered);
    lowered
}

fn operation_deprecation(operation: &openapi::openapiv3::Operation) -> Option<String> {
    let message = operation
        .extensions
        .get("x-stainless-deprecation-message")
        .and_then(Value::as_str)
        .map(|text| text.trim().to_owned());
    message.or_else(|| operation.deprecated.then(String::new))
}

/// Both are required by the format: the summary falls back to the description's first
/// sentence, then to `METHOD path`; the doc to the summary.
fn summary_and_doc(
    operation: &openapi::Operation<'_>,
    comments: &mut Vec<String>,
) -> (String, String) {
    let trimmed = |text: &Option<String>| {
        text.as_deref()
            .map(str::trim)
            .filter(|text| !text.is_empty())
            .map(str::to_owned)
    };
    let summary = trimmed(&operation.operation.summary);
    let description = trimmed(&operation.operation.description);
    let summary = match (summary, &description) {
        (Some(summary), _) => summary,
        (None, Some(description)) => {
            comments.push("no summary upstream: the description's first sentence".to_owned());
            first_sentence(description)
        }
        (None, None) => {
            comments.push("no summary or description upstream".to_owned());
            operation.route()
        }
    };
    // One line: a summary written over several lines keeps its first here and the rest in
    // the doc.
    let (first_line, rest) = match summary.split_once('\n') {
        Some((first, rest)) => (first.trim().to_owned(), Some(rest.trim().to_owned())),
        None => (summary.clone(), None),
    };
    let doc = description.or(rest).unwrap_or_else(|| summary.clone());
    (first_line, doc)
}

fn first_sentence(text: &str) -> String {
    let line = text.lines().next().unwrap_or(text).trim();
    match line.find(". ") {
        Some(end) => line.get(..=end).unwrap_or(line).to_owned(),
        None => line.to_owned(),
    }
}

/// A path template the format accepts: placeholder names of letters, digits and `_`, each
/// used once. The server never sees placeholder names, so renaming them changes nothing on
/// the wire; `renamed` maps upstream's names to the new ones, in path order.
fn normalise_path(path: &str) -> (String, Vec<(String, String)>) {
    let mut written = String::with_capacity(path.len());
    let mut renamed = Vec::new();
    let mut used: BTreeSet<String> = BTreeSet::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        written.push_str(rest.get(..=open).unwrap_or_default());
        let after = rest.get(open + 1..).unwrap_or_default();
        let Some(close) = after.find('}') else {
            rest = after;
            break;
        };
        let name = after.get(..close).unwrap_or_default();
        let clean: String = name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let clean = naming::first_free(&clean, |candidate| used.contains(candidate), "_");
        used.insert(clean.clone());
        written.push_str(&clean);
        written.push('}');
        renamed.push((name.to_owned(), clean));
        rest = after.get(close + 1..).unwrap_or_default();
    }
    written.push_str(rest);
    (written, renamed)
}

fn params<'d>(
    lowerer: &mut Lowerer<'d, '_>,
    resolver: &Resolver<'d>,
    operation: &openapi::Operation<'d>,
    index: usize,
    lowered: &mut Operation,
) {
    let (path, renamed) = normalise_path(operation.path);
    if path != operation.path {
        lowered.comments.push(format!(
            "path placeholders renamed for the format (each once, letters, digits and `_`); upstream writes `{}`",
            operation.path
        ));
        lowered.path = path;
    }
    // Upstream's names, in path order, and the names written.
    let in_path: Vec<&str> = renamed
        .iter()
        .map(|(upstream, _)| upstream.as_str())
        .collect();
    let written_name = |upstream: &str| {
        renamed
            .iter()
            .filter(|(from, _)| from == upstream)
            .map(|(_, to)| to.clone())
            .collect::<Vec<String>>()
    };
    let mut declared = BTreeSet::new();
    for (source, param) in operation.params.iter().enumerate() {
        let data = param.data();
        let at = &param.pointer;
        let doc = data
            .description
            .as_deref()
            .map(str::trim)
            .filter(|text| !text.is_empty())
            .unwrap_or(UNDOCUMENTED)
            .to_owned();
        let schema = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => schema,
            ParameterSchemaOrContent::Content(_) => {
                lowerer.warnings.push(
                    at,
                    Kind::UnsupportedParameter,
                    format!("parameter `{}` is described by `content`", data.name),
                    "left it out",
                );
                continue;
            }
        };
        let deprecated = data.deprecated.unwrap_or(false).then(String::new);
        match param.location {
            Location::Path => {
                if !in_path.contains(&data.name.as_str()) {
                    lowerer.warnings.push(
                        at,
                        Kind::PathParameter,
                        format!("path parameter `{}` is not in the path", data.name),
                        "left it out",
                    );
                    continue;
                }
                declared.insert(data.name.clone());
                let (ty, comment) = path_param_type(resolver, schema.into());
                for wire in written_name(&data.name) {
                    lowered.path_params.push(Param {
                        wire,
                        source: Some(source),
                        ty: ty.clone(),
                        doc: doc.clone(),
                        optional: false,
                        name: None,
                        explode: None,
                        deprecated: deprecated.clone(),
                        comment: comment.clone(),
                    });
                }
            }
            Location::Query | Location::Header => {
                let query = param.location == Location::Query;
                let explode = match param.parameter {
                    openapi::openapiv3::Parameter::Query { style, .. } => match style {
                        QueryStyle::Form => None,
                        QueryStyle::DeepObject => {
                            lowerer.warnings.push(
                                at,
                                Kind::UnsupportedParameter,
                                format!("query parameter `{}` has `style: deepObject`", data.name),
                                "left it out",
                            );
                            continue;
                        }
                        other => {
                            lowerer.warnings.push(
                                at,
                                Kind::UnsupportedParameter,
                                format!("query parameter `{}` has `style: {other:?}`", data.name),
                                "wrote it as a comma-separated list",
                            );
                            Some(false)
                        }
                    },
                    _ => None,
                };
                let place = Place {
                    base: crate::model::Base::Operation(index),
                    parts: vec![naming::pascal(&data.name)],
                };
                let param_lowered = lowerer.schema(schema.into(), &at.push("schema"), &place);
                if !parameter_type_fits(lowerer, &param_lowered.ty, query) {
                    lowerer.warnings.push(
                        at,
                        Kind::UnsupportedParameter,
                        format!(
                            "{} parameter `{}` is {}, which the format cannot send",
                            param.location.as_str(),
                            data.name,
                            lowerer.describe(&param_lowered.ty)
                        ),
                        if data.required {
                            "left it out, though it is required"
                        } else {
                            "left it out"
                        },
                    );
                    continue;
                }
                let explode = match (&param_lowered.ty, explode.or(data.explode)) {
                    (Ty::List(_), Some(false)) => Some(false),
                    _ => None,
                };
                let param = Param {
                    wire: data.name.clone(),
                    source: Some(source),
                    ty: param_lowered.ty,
                    doc,
                    optional: !data.required,
                    name: None,
                    explode,
                    deprecated,
                    comment: param_lowered.comment,
                };
                if query {
                    lowered.query_params.push(param);
                } else if codegen::validate::CLIENT_HEADERS
                    .contains(&data.name.to_ascii_lowercase().as_str())
                {
                    lowerer.warnings.push(
                        at,
                        Kind::UnsupportedParameter,
                        format!(
                            "header parameter `{}` is a header the client sets itself",
                            data.name
                        ),
                        "left it out: the client sends its own",
                    );
                } else {
                    lowered.header_params.push(param);
                }
            }
            Location::Cookie => lowerer.warnings.push(
                at,
                Kind::UnsupportedParameter,
                format!("cookie parameter `{}`", data.name),
                "left it out: the format has no cookie parameters",
            ),
        }
    }
    for &name in &in_path {
        if !declared.contains(name) {
            lowerer.warnings.push(
                &operation.pointer.push("parameters"),
                Kind::PathParameter,
                format!("path parameter `{name}` is in the path but not declared"),
                "declared it as a string",
            );
            declared.insert(name.to_owned());
            for wire in written_name(name) {
                lowered.path_params.push(Param {
                    wire,
                    source: None,
                    ty: Ty::String,
                    doc: UNDOCUMENTED.to_owned(),
                    optional: false,
                    name: None,
                    explode: None,
                    deprecated: None,
                    comment: Some("not declared upstream".to_owned()),
                });
            }
        }
    }
    // Path parameters as the path has them, which is the order of the method's arguments.
    lowered.path_params.sort_by_key(|param| {
        renamed
            .iter()
            .position(|(_, written)| *written == param.wire)
    });
    // The arguments and setters of one method share a namespace.
    let mut taken = BTreeSet::new();
    let all = lowered
        .path_params
        .iter_mut()
        .chain(lowered.query_params.iter_mut())
        .chain(lowered.header_params.iter_mut());
    let all: Vec<&mut Param> = all.collect();
    let names = naming::overrides(all.iter().map(|param| param.wire.as_str()), &mut taken);
    for (param, name) in all.into_iter().zip(names) {
        param.name = name;
    }
}

/// Path parameters are `string` or `uuid`; anything else is sent as its text.
fn path_param_type(resolver: &Resolver<'_>, schema: SchemaRef<'_>) -> (Ty, Option<String>) {
    let Ok(resolved) = resolver.schema(schema) else {
        return (Ty::String, None);
    };
    match &resolved.item.schema_kind {
        SchemaKind::Type(Type::String(string)) => match &string.format {
            VariantOrUnknownOrEmpty::Unknown(format) if format == "uuid" => (Ty::Uuid, None),
            VariantOrUnknownOrEmpty::Item(StringFormat::Date | StringFormat::DateTime) => {
                (Ty::String, Some("upstream: a date".to_owned()))
            }
            _ => (Ty::String, None),
        },
        SchemaKind::Type(Type::Integer(_)) => (Ty::String, Some("upstream: an integer".to_owned())),
        SchemaKind::Type(Type::Number(_)) => (Ty::String, Some("upstream: a number".to_owned())),
        SchemaKind::Type(Type::Boolean(_)) => (Ty::String, Some("upstream: a boolean".to_owned())),
        _ => (Ty::String, None),
    }
}

/// Scalars and enums, and in the query lists of those.
fn parameter_type_fits(lowerer: &Lowerer<'_, '_>, ty: &Ty, query: bool) -> bool {
    let scalar_or_enum = |ty: &Ty| match ty {
        Ty::Named(id) => matches!(
            lowerer.types.def(*id).map(|def| &def.kind),
            Some(TypeKind::Enum(_))
        ),
        Ty::Uri | Ty::Binary => false,
        other => other.is_scalar(),
    };
    match ty {
        Ty::List(inner) => query && scalar_or_enum(inner),
        other => scalar_or_enum(other),
    }
}

fn body<'d>(
    lowerer: &mut Lowerer<'d, '_>,
    resolver: &Resolver<'d>,
    operation: &openapi::Operation<'d>,
    body: &'d ReferenceOr<openapi::openapiv3::RequestBody>,
    index: usize,
) -> Option<Body> {
    let at = operation.pointer.push("requestBody");
    let resolved = match resolver.resolve(body) {
        Ok(resolved) => resolved,
        Err(error) => {
            lowerer.warnings.push(
                &at,
                Kind::UnresolvedRef,
                error.to_string(),
                "left the body out",
            );
            return None;
        }
    };
    let body_at = match resolved.component {
        Some(name) => Pointer::component("requestBodies", name),
        None => at,
    };
    let content: Vec<Content<'d>> = resolved
        .item
        .content
        .iter()
        .map(|(media_type, content)| Content {
            media_type,
            content,
            pointer: body_at.push("content").push(media_type),
        })
        .collect();
    let chosen = preferred(&content)?;
    for other in content
        .iter()
        .filter(|other| other.media_type != chosen.media_type)
    {
        lowerer.warnings.push(
            &other.pointer,
            Kind::UnsupportedContent,
            format!("the body may also be `{}`", other.media_type),
            format!("wrote only `{}`", chosen.media_type),
        );
    }
    let essence = chosen.essence();
    let place = Place::operation(index, "Body");
    let schema_at = chosen.pointer.push("schema");
    let (ty, comment) = if chosen.is_json() {
        match chosen.schema() {
            Some(schema) => {
                let lowered = lowerer.schema(schema, &schema_at, &place);
                (lowered.ty, lowered.comment)
            }
            None => (Ty::Json, Some("upstream: no schema".to_owned())),
        }
    } else if essence == "multipart/form-data" {
        let lowered = chosen.schema().map(|schema| {
            let lowered = lowerer.schema(schema, &schema_at, &place);
            (schema, lowered)
        });
        match lowered {
            Some((schema, lowered)) if is_object(lowerer, &lowered.ty) => {
                if let Ty::Named(id) = lowered.ty {
                    let files = file_parts(resolver, schema, &schema_at);
                    lowerer.mark_files(id, &files);
                }
                (lowered.ty, lowered.comment)
            }
            Some((
                _,
                Lowered {
                    ty: Ty::Map(values),
                    ..
                },
            )) => (
                Ty::Named(lowerer.map_object(*values, &place, &schema_at)),
                None,
            ),
            _ => {
                lowerer.warnings.push(
                    &schema_at,
                    Kind::UnsupportedContent,
                    "a multipart body that is not an object of parts",
                    "left the body out",
                );
                return None;
            }
        }
    } else if essence.starts_with("text/") {
        (Ty::String, None)
    } else {
        if essence == "application/x-www-form-urlencoded" {
            lowerer.warnings.push(
                &chosen.pointer,
                Kind::UnsupportedContent,
                "a form-encoded body",
                "sent it as bytes, which the caller encodes",
            );
        }
        (Ty::Binary, None)
    };
    Some(Body {
        ty,
        content_type: chosen.media_type.to_owned(),
        optional: !resolved.item.required,
        doc: resolved
            .item
            .description
            .as_deref()
            .map(str::trim)
            .filter(|text| !text.is_empty())
            .map(str::to_owned),
        comment,
    })
}

/// The properties of a multipart body that upstream says are files (`format: binary`), and
/// whether each is a list of them.
fn file_parts<'d>(
    resolver: &Resolver<'d>,
    schema: SchemaRef<'d>,
    at: &Pointer,
) -> Vec<(String, bool)> {
    let is_binary = |schema: SchemaRef<'d>| {
        resolver.schema(schema).is_ok_and(|resolved| {
            matches!(&resolved.item.schema_kind, SchemaKind::Type(Type::String(string))
                if string.format == VariantOrUnknownOrEmpty::Item(StringFormat::Binary))
        })
    };
    Properties::of(resolver, schema, at)
        .fields
        .iter()
        .filter_map(|(name, (property, _))| {
            if is_binary(*property) {
                return Some(((*name).to_owned(), false));
            }
            let items = resolver.schema(*property).ok().and_then(|resolved| {
                match &resolved.item.schema_kind {
                    SchemaKind::Type(Type::Array(array)) => {
                        array.items.as_ref().map(SchemaRef::from)
                    }
                    _ => None,
                }
            });
            items
                .filter(|items| is_binary(*items))
                .map(|_| ((*name).to_owned(), true))
        })
        .collect()
}

fn is_object(lowerer: &Lowerer<'_, '_>, ty: &Ty) -> bool {
    matches!(ty, Ty::Named(id) if lowerer.types.object(*id).is_some())
}

/// JSON first, then multipart, text, and anything else, in document order within each.
pub fn preferred<'c, 'd>(content: &'c [Content<'d>]) -> Option<&'c Content<'d>> {
    let rank = |content: &Content<'_>| {
        let essence = content.essence();
        if content.is_json() {
            0
        } else if essence == "multipart/form-data" {
            1
        } else if essence.starts_with("text/") {
            2
        } else if essence == "application/x-www-form-urlencoded" {
            4
        } else {
            3
        }
    };
    content.iter().min_by_key(|content| rank(content))
}

/// Fills in how the answer arrives; returns the `result_info` schema, for pagination.
fn response<'d>(
    lowerer: &mut Lowerer<'d, '_>,
    resolver: &Resolver<'d>,
    operation: &openapi::Operation<'d>,
    index: usize,
    lowered: &mut Operation,
) -> Option<(SchemaRef<'d>, Pointer)> {
    let Some(success) = openapi::success(resolver, operation) else {
        lowerer.warnings.push(
            &operation.pointer.push("responses"),
            Kind::NoSuccessResponse,
            "the operation has no 2XX response",
            "wrote `response: empty`",
        );
        return None;
    };
    for other in &success.others {
        lowerer.warnings.push(
            &operation.pointer.push("responses").push(other),
            Kind::UnsupportedContent,
            format!("a second success response, {other}"),
            format!("wrote the {} response only", success.status),
        );
    }
    if let Err(error) = &success.response {
        lowerer.warnings.push(
            &success.pointer,
            Kind::UnresolvedRef,
            error.to_string(),
            "wrote `response: empty`",
        );
        return None;
    }
    let content = success.content();
    let Some(chosen) = preferred(&content) else {
        lowered.response = Response::Empty;
        return None;
    };
    for other in content
        .iter()
        .filter(|other| other.media_type != chosen.media_type)
    {
        lowerer.warnings.push(
            &other.pointer,
            Kind::UnsupportedContent,
            format!("the response may also be `{}`", other.media_type),
            format!("wrote only `{}`", chosen.media_type),
        );
    }
    if !chosen.is_json() {
        lowered.response = if chosen.essence().starts_with("text/") {
            Response::Text
        } else {
            Response::Bytes
        };
        lowered
            .comments
            .push(format!("upstream answers `{}`", chosen.media_type));
        return None;
    }
    let schema_at = chosen.pointer.push("schema");
    let Some(schema) = chosen.schema() else {
        lowered.response = Response::Json;
        lowered.result = Some(Ty::Json);
        return None;
    };
    let place = Place::operation(index, "Result");
    match Envelope::of(resolver, schema, &schema_at) {
        Some(envelope) => {
            for (name, pointer) in &envelope.repeated_required {
                lowerer.warnings.push(
                    pointer,
                    Kind::DuplicateRequired,
                    format!("`required` lists `{name}` twice"),
                    "read it once",
                );
            }
            lowered.response = if envelope.success_required {
                Response::Envelope
            } else {
                lowered
                    .comments
                    .push("upstream does not require `success` in the envelope".to_owned());
                Response::PartialEnvelope
            };
            if let Some((result, result_at)) = envelope.result {
                let result = lowerer.schema(result.schema, &result_at, &place);
                lowered.result_nullable = result.nullable;
                lowered.result = Some(result.ty);
            }
            lowered.result_info = envelope.result_info.is_some();
            envelope
                .result_info
                .map(|(field, pointer)| (field.schema, pointer))
        }
        None => {
            let result = lowerer.schema(schema, &schema_at, &place);
            lowered.response = Response::Json;
            lowered.result_nullable = result.nullable;
            lowered.result = Some(result.ty);
            lowered
                .comments
                .push("upstream answers plain JSON, not Cloudflare's envelope".to_owned());
            None
        }
    }
}

/// The pagination style, from the names file or inferred from the parameters and the
/// result, with a comment saying which and why.
fn pagination<'d>(
    lowerer: &mut Lowerer<'d, '_>,
    resolver: &Resolver<'d>,
    result_info: Option<(SchemaRef<'d>, Pointer)>,
    names: Option<&OperationNames>,
    lowered: &mut Operation,
) {
    if let Some(chosen) = names.and_then(|names| names.pagination.as_deref()) {
        lowered.pagination = Pagination::parse(chosen);
        lowered
            .comments
            .push(format!("pagination `{chosen}`: from the names file"));
        if lowered.pagination.is_none() && chosen != "none" {
            lowerer.warnings.push_at(
                &format!(
                    "names file: operations.{}",
                    lowered
                        .operation_id
                        .clone()
                        .unwrap_or_else(|| format!("{} {}", lowered.method, lowered.path))
                ),
                Kind::UnusedName,
                format!("`pagination: {chosen}` is not a pagination style"),
                "wrote no pagination",
            );
        }
        return;
    }
    if !matches!(
        lowered.response,
        Response::Envelope | Response::PartialEnvelope
    ) {
        return;
    }

    let optional_query = |name: &str| {
        lowered
            .query_params
            .iter()
            .any(|param| param.wire == name && param.optional)
    };
    let list_result = matches!(lowered.result, Some(Ty::List(_)));
    let items_result = match &lowered.result {
        Some(Ty::Named(id)) => lowerer
            .types
            .all_fields(*id)
            .iter()
            // Required and not null: the pages' items are read from it.
            .any(|(wire, field)| {
                wire == "items"
                    && matches!(field.ty, Ty::List(_))
                    && !field.optional
                    && !field.nullable
            }),
        _ => false,
    };
    let info = result_info.map(|(schema, pointer)| Properties::of(resolver, schema, &pointer));
    let info_has = |name: &str| {
        info.as_ref()
            .is_some_and(|info| info.fields.contains_key(name))
    };
    let cursors_after = info
        .as_ref()
        .and_then(|info| info.fields.get("cursors"))
        .is_some_and(|(schema, pointer)| {
            Properties::of(resolver, *schema, pointer)
                .fields
                .contains_key("after")
        });
    let (style, why) = if optional_query("page") && list_result {
        (
            Pagination::Page,
            "the optional `page` query parameter and a list result",
        )
    } else if optional_query("page") && items_result {
        (
            Pagination::PageItems,
            "the optional `page` query parameter and a result with an `items` list",
        )
    } else if optional_query("cursor") && list_result && cursors_after {
        (
            Pagination::CursorAfter,
            "the optional `cursor` query parameter and `result_info.cursors.after`",
        )
    } else if optional_query("cursor") && list_result && info_has("cursor") {
        if optional_query("limit") {
            (
                Pagination::CursorLimit,
                "the optional `cursor` and `limit` query parameters and `result_info.cursor`",
            )
        } else {
            (
                Pagination::Cursor,
                "the optional `cursor` query parameter and `result_info.cursor`",
            )
        }
    } else {
        if optional_query("page") || optional_query("cursor") {
            lowered.comments.push(
                "a paging parameter but no list result (or no cursor in `result_info`): no pagination inferred"
                    .to_owned(),
            );
        }
        return;
    };
    if lowered.result_nullable {
        // A page that may be `null`: the generated `items()` does not handle it yet, so the
        // list is left unpaged rather than the crate left uncompilable.
        lowered.comments.push(format!(
            "not paged, though {why} suggest `{}`: the result may be `null`",
            style.as_str()
        ));
        return;
    }
    // The parameter that selects the page must be what the style sets: a page number, or
    // a cursor string. Documents that call the page a `number` mean a whole one.
    let parameter = if matches!(style, Pagination::Page | Pagination::PageItems) {
        "page"
    } else {
        "cursor"
    };
    let Some(param) = lowered
        .query_params
        .iter_mut()
        .find(|param| param.wire == parameter)
    else {
        return;
    };
    match (&param.ty, parameter) {
        (Ty::Integer | Ty::Int32 | Ty::Int64 | Ty::Uint64, "page") | (Ty::String, "cursor") => {}
        (Ty::Number | Ty::Float | Ty::Double, "page") => {
            param.ty = Ty::Integer;
            param.comment.get_or_insert_with(|| {
                "an integer: it numbers pages (upstream says `number`)".to_owned()
            });
        }
        _ => {
            lowered.comments.push(format!(
                "not paged, though {why} suggest `{}`: `{parameter}` is not a {}",
                style.as_str(),
                if parameter == "page" {
                    "number"
                } else {
                    "string"
                }
            ));
            return;
        }
    }
    lowered.pagination = Some(style);
    lowered.comments.push(format!(
        "pagination `{}` inferred from {why}; the names file can say otherwise",
        style.as_str()
    ));
}
