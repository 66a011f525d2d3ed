//! Pairs the spec's operations with the document's and lists where they disagree.

use std::collections::BTreeSet;

use codegen::spec::{Operation, Spec};

use crate::node::{Node, Object, Shape};
use crate::report::{Aspect, Difference, Finding, OperationReport, Report};
use crate::spec_side::{self, SpecTypes};
use crate::upstream::{Param, Upstream, UpstreamOperation};

/// Compares every operation of `spec` with its upstream counterpart, and lists the upstream
/// operations under the spec's common path prefix that the spec lacks.
pub(crate) fn compare(spec: &Spec, upstream: &Upstream) -> Report {
    let types = SpecTypes::new(spec);
    let spec_operations = spec_side::operations(spec);
    let prefix = common_prefix(spec_operations.iter().map(|op| op.operation.path.as_str()));
    let mut matched = vec![false; upstream.operations.len()];
    let mut operations = Vec::new();

    for spec_op in &spec_operations {
        let op = spec_op.operation;
        let found = counterpart(op, &upstream.operations, &matched);
        let (findings, operation_id) = match found {
            Some(index) => {
                matched[index] = true;
                let up = &upstream.operations[index];
                (compare_operation(&types, op, up), up.operation_id.clone())
            }
            None => {
                let missing = Difference::MissingUpstream {
                    at: "operation".to_owned(),
                    spec: op
                        .operation_id
                        .clone()
                        .unwrap_or_else(|| format!("{} {}", op.method.as_str(), op.path)),
                };
                (vec![missing], None)
            }
        };
        operations.push(OperationReport {
            operation: format!("{} {}", op.method.as_str(), op.path),
            spec_name: Some(spec_op.name.clone()),
            operation_id,
            findings: findings.into_iter().map(unexplained).collect(),
        });
    }

    for (up, _) in upstream
        .operations
        .iter()
        .zip(&matched)
        .filter(|(up, matched)| !**matched && under(&prefix, &up.path))
    {
        let description = match &up.operation_id {
            Some(id) => format!("operationId {id}"),
            None => "no operationId".to_owned(),
        };
        operations.push(OperationReport {
            operation: format!("{} {}", up.method, up.path),
            spec_name: None,
            operation_id: up.operation_id.clone(),
            findings: vec![unexplained(Difference::MissingInSpec {
                at: "operation".to_owned(),
                upstream: description,
            })],
        });
    }
    for (path, reason) in upstream
        .unreadable_paths
        .iter()
        .filter(|(path, _)| under(&prefix, path))
    {
        operations.push(OperationReport {
            operation: path.clone(),
            spec_name: None,
            operation_id: None,
            findings: vec![unexplained(Difference::Uninterpretable {
                at: "path item".to_owned(),
                reason: reason.clone(),
            })],
        });
    }

    Report {
        prefix,
        operations,
        unused_allowances: Vec::new(),
    }
}

/// The index of the not yet paired upstream operation that `op` describes: the one on the
/// same route or, when the route changed (a renamed segment), the one with the same
/// `operationId`, so that a moved operation reads as a path difference rather than as one
/// operation missing and another one new.
fn counterpart(op: &Operation, upstream: &[UpstreamOperation], matched: &[bool]) -> Option<usize> {
    let key = route(op.method.as_str(), &op.path);
    let free = || (0..upstream.len()).filter(|index| !matched[*index]);
    free()
        .find(|&index| route(&upstream[index].method, &upstream[index].path) == key)
        .or_else(|| {
            let id = op.operation_id.as_deref()?;
            free().find(|&index| upstream[index].operation_id.as_deref() == Some(id))
        })
}

fn unexplained(difference: Difference) -> Finding {
    Finding {
        difference,
        allowed: None,
    }
}

fn compare_operation(
    types: &SpecTypes<'_>,
    spec: &Operation,
    up: &UpstreamOperation,
) -> Vec<Difference> {
    let mut out = Vec::new();
    let mut differs = |at: &str, spec: String, upstream: String| {
        out.push(Difference::Differs {
            at: at.to_owned(),
            aspect: Aspect::Value,
            spec,
            upstream,
        });
    };
    if spec.method.as_str() != up.method {
        differs("method", spec.method.as_str().to_owned(), up.method.clone());
    }
    if spec.path != up.path {
        differs("path", spec.path.clone(), up.path.clone());
    }
    if up.operation_id != spec.operation_id {
        let none = || "none".to_owned();
        differs(
            "operation_id",
            spec.operation_id.clone().unwrap_or_else(none),
            up.operation_id.clone().unwrap_or_else(none),
        );
    }

    let path_params = spec
        .path_params
        .iter()
        .map(|(name, param)| (name.as_str(), types.node(&param.ty), true));
    compare_params("path", path_params, &up.params, false, &mut out);
    let query_params = spec
        .query_params
        .iter()
        .map(|(name, param)| (name.as_str(), types.node(&param.ty), !param.optional));
    compare_params("query", query_params, &up.params, true, &mut out);
    for param in up
        .params
        .iter()
        .filter(|param| matches!(param.location, "header" | "cookie"))
    {
        out.push(Difference::MissingInSpec {
            at: format!("{}.{}", param.location, param.name),
            upstream: describe_member(&param.node, param.required),
        });
    }

    match (&spec.body, &up.body) {
        (Some(spec_body), Some(body)) => {
            if body.required == spec_body.optional {
                let say = |required: bool| if required { "required" } else { "optional" };
                out.push(Difference::Differs {
                    at: "body".to_owned(),
                    aspect: Aspect::Required,
                    spec: say(!spec_body.optional).to_owned(),
                    upstream: say(body.required).to_owned(),
                });
            }
            compare_node("body", &types.node(&spec_body.ty), &body.node, &mut out);
        }
        (Some(spec_body), None) => out.push(Difference::MissingUpstream {
            at: "body".to_owned(),
            spec: spec_body.ty.to_string(),
        }),
        (None, Some(body)) => out.push(Difference::MissingInSpec {
            at: "body".to_owned(),
            upstream: describe_member(&body.node, body.required),
        }),
        (None, None) => {}
    }

    match &spec.result {
        Some(result) => {
            let spec_result = types.node(result).nullable(spec.result_nullable);
            compare_node("result", &spec_result, &up.result, &mut out);
        }
        None => out.push(Difference::MissingInSpec {
            at: "result".to_owned(),
            upstream: up.result.describe(),
        }),
    }
    if let Some(result_info) = up.result_info {
        if result_info != spec.result_info {
            out.push(Difference::Differs {
                at: "result_info".to_owned(),
                aspect: Aspect::Presence,
                spec: presence(spec.result_info),
                upstream: presence(result_info),
            });
        }
    }

    for problem in &up.problems {
        out.push(Difference::Uninterpretable {
            at: problem.at.clone(),
            reason: problem.reason.clone(),
        });
    }
    out
}

/// Compares the spec's parameters in `location` (name, node, required) with the document's.
/// Path parameters are always required, so `required` is compared only where it can vary.
fn compare_params<'a>(
    location: &str,
    spec: impl Iterator<Item = (&'a str, Node, bool)>,
    upstream: &[Param],
    compare_required: bool,
    out: &mut Vec<Difference>,
) {
    let upstream: Vec<&Param> = upstream
        .iter()
        .filter(|param| param.location == location)
        .collect();
    let mut seen = BTreeSet::new();
    for (name, node, required) in spec {
        let at = format!("{location}.{name}");
        seen.insert(name.to_owned());
        match upstream.iter().find(|param| param.name == name) {
            Some(param) => {
                if compare_required && required != param.required {
                    out.push(differs_required(&at, required, param.required));
                }
                compare_node(&at, &node, &param.node, out);
            }
            None => out.push(Difference::MissingUpstream {
                at,
                spec: describe_member(&node, required),
            }),
        }
    }
    for param in upstream
        .into_iter()
        .filter(|param| !seen.contains(&param.name))
    {
        out.push(Difference::MissingInSpec {
            at: format!("{location}.{}", param.name),
            upstream: describe_member(&param.node, param.required),
        });
    }
}

/// Compares two types at `at`: nullability, then the kind of value; when the kinds agree,
/// what is below it (format, fields, items, values); enum values last.
fn compare_node(at: &str, spec: &Node, up: &Node, out: &mut Vec<Difference>) {
    if let Shape::Unknown(reason) = &up.shape {
        out.push(Difference::Uninterpretable {
            at: at.to_owned(),
            reason: reason.clone(),
        });
        return;
    }
    if let Shape::Unknown(reason) = &spec.shape {
        out.push(Difference::Uninterpretable {
            at: at.to_owned(),
            reason: format!("in the spec: {reason}"),
        });
        return;
    }
    if spec.nullable != up.nullable {
        out.push(Difference::Differs {
            at: at.to_owned(),
            aspect: Aspect::Nullable,
            spec: yes_no(spec.nullable),
            upstream: yes_no(up.nullable),
        });
    }
    if spec.kind() != up.kind() {
        out.push(Difference::Differs {
            at: at.to_owned(),
            aspect: Aspect::Type,
            spec: spec.describe(),
            upstream: up.describe(),
        });
        return;
    }
    match (&spec.shape, &up.shape) {
        (Shape::String { format: a }, Shape::String { format: b }) if a != b => {
            let name =
                |format: &Option<String>| format.clone().unwrap_or_else(|| "none".to_owned());
            out.push(Difference::Differs {
                at: at.to_owned(),
                aspect: Aspect::Format,
                spec: name(a),
                upstream: name(b),
            });
        }
        (Shape::Array(a), Shape::Array(b)) => compare_node(&format!("{at}[]"), a, b, out),
        (Shape::Map(a), Shape::Map(b)) => compare_node(&format!("{at}.*"), a, b, out),
        (Shape::Object(a), Shape::Object(b)) => compare_fields(at, a, b, out),
        _ => {}
    }
    // Order is not compared: it means nothing on the wire.
    if as_set(&spec.values) != as_set(&up.values) {
        let list = |values: &Option<Vec<String>>| match values {
            Some(values) => format!("[{}]", values.join(", ")),
            None => "any value".to_owned(),
        };
        out.push(Difference::Differs {
            at: at.to_owned(),
            aspect: Aspect::Enum,
            spec: list(&spec.values),
            upstream: list(&up.values),
        });
    }
}

/// Fields in spec order, then the ones only the document has, in its order.
fn compare_fields(at: &str, spec: &Object, up: &Object, out: &mut Vec<Difference>) {
    // A name in `required` without a schema is a field that may hold any value.
    let untyped = Node::new(Shape::Any);
    let up_field = |name: &str| {
        up.fields
            .get(name)
            .or_else(|| up.is_required(name).then_some(&untyped))
    };
    for (name, spec_node) in &spec.fields {
        let field_at = format!("{at}.{name}");
        match up_field(name) {
            Some(up_node) => {
                if spec.is_required(name) != up.is_required(name) {
                    out.push(differs_required(
                        &field_at,
                        spec.is_required(name),
                        up.is_required(name),
                    ));
                }
                compare_node(&field_at, spec_node, up_node, out);
            }
            None => out.push(Difference::MissingUpstream {
                at: field_at,
                spec: describe_member(spec_node, spec.is_required(name)),
            }),
        }
    }
    let only_upstream = up
        .fields
        .keys()
        .chain(&up.required)
        .filter(|name| !spec.fields.contains_key(*name));
    let mut reported = BTreeSet::new();
    for name in only_upstream {
        if reported.insert(name) {
            let node = up_field(name).unwrap_or(&untyped);
            out.push(Difference::MissingInSpec {
                at: format!("{at}.{name}"),
                upstream: describe_member(node, up.is_required(name)),
            });
        }
    }
}

fn as_set(values: &Option<Vec<String>>) -> Option<BTreeSet<&str>> {
    values
        .as_ref()
        .map(|values| values.iter().map(String::as_str).collect())
}

fn differs_required(at: &str, spec: bool, upstream: bool) -> Difference {
    let word = |required: bool| if required { "required" } else { "optional" }.to_owned();
    Difference::Differs {
        at: at.to_owned(),
        aspect: Aspect::Required,
        spec: word(spec),
        upstream: word(upstream),
    }
}

/// `uuid, required` / `string, optional, nullable`: enough to write the spec entry from.
fn describe_member(node: &Node, required: bool) -> String {
    let required = if required { "required" } else { "optional" };
    let nullable = if node.nullable { ", nullable" } else { "" };
    format!("{}, {required}{nullable}", node.describe())
}

fn yes_no(flag: bool) -> String {
    if flag { "yes" } else { "no" }.to_owned()
}

fn presence(present: bool) -> String {
    if present { "present" } else { "absent" }.to_owned()
}

/// A route: the method and the path with parameter names blanked, since
/// `/a/{id}` and `/a/{user_id}` are the same route.
fn route(method: &str, path: &str) -> String {
    format!("{} {}", method.to_ascii_uppercase(), blank_params(path))
}

fn blank_params(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_param = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_param = true;
                out.push_str("{}");
            }
            '}' => in_param = false,
            _ if !in_param => out.push(c),
            _ => {}
        }
    }
    out
}

/// The longest run of leading path segments every path shares, as written in the first.
fn common_prefix<'a>(mut paths: impl Iterator<Item = &'a str>) -> String {
    let Some(first) = paths.next() else {
        return String::new();
    };
    let segments: Vec<&str> = first.split('/').collect();
    let mut shared = segments.len();
    for path in paths {
        let other: Vec<&str> = path.split('/').collect();
        shared = shared.min(
            segments
                .iter()
                .zip(&other)
                .take_while(|(a, b)| blank_params(a) == blank_params(b))
                .count(),
        );
    }
    segments[..shared].join("/")
}

/// Whether `path` lies under `prefix`, segment by segment.
fn under(prefix: &str, path: &str) -> bool {
    let prefix: Vec<String> = prefix.split('/').map(blank_params).collect();
    let path: Vec<String> = path.split('/').map(blank_params).collect();
    path.len() >= prefix.len() && prefix.iter().zip(&path).all(|(a, b)| a == b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_ignore_parameter_names() {
        assert_eq!(route("get", "/a/{id}/b"), route("GET", "/a/{user_id}/b"));
        assert_ne!(route("GET", "/a/{id}"), route("GET", "/a/b"));
    }

    #[test]
    fn common_prefix_is_segment_wise() {
        let paths = [
            "/accounts/{account_id}/zt/{user_id}",
            "/accounts/{id}/zt/summary",
            "/accounts/{a}/zt",
        ];
        assert_eq!(
            common_prefix(paths.into_iter()),
            "/accounts/{account_id}/zt"
        );
        assert_eq!(common_prefix(["/ab/c", "/ab/cd"].into_iter()), "/ab");
        assert_eq!(common_prefix(std::iter::empty()), "");
    }

    #[test]
    fn under_compares_whole_segments() {
        assert!(under("/accounts/{a}/zt", "/accounts/{b}/zt/x"));
        assert!(under("/accounts/{a}/zt", "/accounts/{b}/zt"));
        assert!(!under("/accounts/{a}/zt", "/accounts/{b}/ztx"));
        assert!(!under("/accounts/{a}/zt", "/accounts"));
        assert!(under("", "/anything"));
    }
}
