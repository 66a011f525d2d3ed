//! The document's operations, in document order, with their parameters merged.

use indexmap::IndexMap;
use openapiv3::{OpenAPI, Parameter, ParameterData, PathItem, ReferenceOr};

use crate::pointer::Pointer;
use crate::resolve::Resolver;

/// Where a parameter is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Location {
    Path,
    Query,
    Header,
    Cookie,
}

impl Location {
    /// As OpenAPI's `in` spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Location::Path => "path",
            Location::Query => "query",
            Location::Header => "header",
            Location::Cookie => "cookie",
        }
    }
}

/// One parameter of an operation, after `$ref`s.
#[derive(Debug, Clone)]
pub struct Param<'d> {
    pub location: Location,
    pub parameter: &'d Parameter,
    /// Where the parameter is written in the operation or its path item (the `$ref`, when it
    /// is one).
    pub pointer: Pointer,
    /// The `#/components/parameters` entry it came from, if any.
    pub component: Option<&'d str>,
}

impl<'d> Param<'d> {
    pub fn data(&self) -> &'d ParameterData {
        self.parameter.parameter_data_ref()
    }

    pub fn name(&self) -> &'d str {
        &self.data().name
    }
}

/// Something about an operation that could not be read, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub pointer: Pointer,
    pub message: String,
}

/// One operation of the document.
#[derive(Debug, Clone)]
pub struct Operation<'d> {
    /// Upper case: `GET`, `POST`, …
    pub method: &'static str,
    pub path: &'d str,
    /// `#/paths/~1accounts~1{account_id}~1…/get`.
    pub pointer: Pointer,
    pub item: &'d PathItem,
    pub operation: &'d openapiv3::Operation,
    /// Path-item and operation parameters merged, the operation's winning, in document
    /// order (a parameter the operation overrides keeps the path item's place).
    pub params: Vec<Param<'d>>,
    /// Parameters that could not be read.
    pub problems: Vec<Problem>,
}

impl Operation<'_> {
    /// `GET /accounts/{account_id}/…`: how people name an operation.
    pub fn route(&self) -> String {
        format!("{} {}", self.method, self.path)
    }

    pub fn operation_id(&self) -> Option<&str> {
        self.operation.operation_id.as_deref()
    }
}

/// A path item that is not an operation list (`$ref` to another file, usually).
#[derive(Debug, Clone)]
pub struct UnreadablePath<'d> {
    pub path: &'d str,
    pub pointer: Pointer,
    pub reason: String,
}

/// Every operation of a document.
#[derive(Debug, Clone, Default)]
pub struct Operations<'d> {
    pub operations: Vec<Operation<'d>>,
    pub unreadable_paths: Vec<UnreadablePath<'d>>,
}

/// Reads the operations of `doc`: paths in document order, and within a path the methods in
/// openapiv3's fixed order (get, put, post, delete, options, head, patch, trace), since its
/// model does not keep the order the keys were written in.
pub fn operations(doc: &OpenAPI) -> Operations<'_> {
    let resolver = Resolver::new(doc);
    let mut found = Operations::default();
    let paths = Pointer::root().push("paths");
    for (path, item) in &doc.paths.paths {
        let at = paths.push(path);
        let item = match item {
            ReferenceOr::Item(item) => item,
            ReferenceOr::Reference { reference } => {
                found.unreadable_paths.push(UnreadablePath {
                    path,
                    pointer: at,
                    reason: format!("the path item is `$ref: {reference}`, which is not followed"),
                });
                continue;
            }
        };
        for (method, operation) in item.iter() {
            let pointer = at.push(method);
            let mut problems = Vec::new();
            let params = merged_params(&resolver, &at, item, &pointer, operation, &mut problems);
            found.operations.push(Operation {
                method: upper(method),
                path,
                pointer,
                item,
                operation,
                params,
                problems,
            });
        }
    }
    found
}

fn merged_params<'d>(
    resolver: &Resolver<'d>,
    item_at: &Pointer,
    item: &'d PathItem,
    operation_at: &Pointer,
    operation: &'d openapiv3::Operation,
    problems: &mut Vec<Problem>,
) -> Vec<Param<'d>> {
    // A parameter is identified by its name and location.
    let mut params: IndexMap<(Location, &'d str), Param<'d>> = IndexMap::new();
    let written = item
        .parameters
        .iter()
        .enumerate()
        .map(|(index, param)| (item_at.push("parameters").index(index), param))
        .chain(
            operation
                .parameters
                .iter()
                .enumerate()
                .map(|(index, param)| (operation_at.push("parameters").index(index), param)),
        );
    for (pointer, param) in written {
        let resolved = match resolver.resolve(param) {
            Ok(resolved) => resolved,
            Err(error) => {
                problems.push(Problem {
                    pointer,
                    message: error.to_string(),
                });
                continue;
            }
        };
        let location = match resolved.item {
            Parameter::Path { .. } => Location::Path,
            Parameter::Query { .. } => Location::Query,
            Parameter::Header { .. } => Location::Header,
            Parameter::Cookie { .. } => Location::Cookie,
        };
        let param = Param {
            location,
            parameter: resolved.item,
            pointer,
            component: resolved.component,
        };
        params.insert((location, param.name()), param);
    }
    params.into_values().collect()
}

fn upper(method: &str) -> &'static str {
    match method {
        "get" => "GET",
        "put" => "PUT",
        "post" => "POST",
        "delete" => "DELETE",
        "options" => "OPTIONS",
        "head" => "HEAD",
        "patch" => "PATCH",
        _ => "TRACE",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merges_path_item_and_operation_parameters_the_operations_winning() {
        let doc = crate::parse(
            "openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /a/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: string}}
      - {name: q, in: query, description: item, schema: {type: string}}
    get:
      parameters:
        - {name: q, in: query, description: operation, schema: {type: integer}}
        - {$ref: '#/components/parameters/Missing'}
        - {$ref: '#/components/parameters/Limit'}
      responses: {'204': {description: none}}
components:
  parameters:
    Limit: {name: limit, in: query, schema: {type: integer}}
",
        )
        .unwrap();
        let found = operations(&doc);
        let [operation] = found.operations.as_slice() else {
            panic!("one operation")
        };
        assert_eq!(operation.route(), "GET /a/{id}");
        assert_eq!(operation.pointer.as_str(), "#/paths/~1a~1{id}/get");
        let params: Vec<(&str, &str, Option<&str>, &str)> = operation
            .params
            .iter()
            .map(|param| {
                (
                    param.location.as_str(),
                    param.name(),
                    param.data().description.as_deref(),
                    param.pointer.as_str(),
                )
            })
            .collect();
        assert_eq!(
            params,
            [
                ("path", "id", None, "#/paths/~1a~1{id}/parameters/0"),
                (
                    "query",
                    "q",
                    Some("operation"),
                    "#/paths/~1a~1{id}/get/parameters/0"
                ),
                ("query", "limit", None, "#/paths/~1a~1{id}/get/parameters/2"),
            ]
        );
        assert_eq!(operation.params[2].component, Some("Limit"));
        assert_eq!(
            operation.problems,
            [Problem {
                pointer: Pointer::root()
                    .push("paths")
                    .push("/a/{id}")
                    .push("get")
                    .push("parameters")
                    .index(1),
                message: "`$ref: #/components/parameters/Missing` does not resolve".to_owned()
            }]
        );
    }
}
