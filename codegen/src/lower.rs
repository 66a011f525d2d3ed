//! Stage 3: turn a validated spec into the IR, deciding every Rust name, merging every
//! `all_of` and boxing every recursion.
//!
//! Lowering assumes [`crate::validate`] accepted the spec; where that assumption would be
//! needed to go on (a template that does not parse), it returns an error instead of
//! panicking, so a bug in validation surfaces as a message.

use std::collections::{BTreeMap, BTreeSet};

use crate::compose;
use crate::ir;
use crate::names;
use crate::path_template::{PathTemplate, Segment};
use crate::spec::{self, Spec, TypeExpr};

/// Lowers `spec`; `spec_name` is how generated headers name it.
pub fn lower(spec: &Spec, spec_name: &str) -> Result<ir::Api, String> {
    let request_types = request_types(spec);
    let multipart_types = multipart_types(spec);
    let recursive = RecursiveEdges::of(spec);
    let features = product_features(spec)?;
    let mut type_features = type_features(spec, &features);
    let types: Vec<ir::TypeDef> = spec
        .types
        .iter()
        .map(|(name, def)| {
            let mut def = lower_type(
                spec,
                name,
                def,
                request_types.contains(name.as_str()),
                &recursive,
            )?;
            if let ir::TypeKind::Object(object) = &mut def.kind {
                object.multipart = multipart_types.contains(name.as_str());
            }
            def.features = type_features.remove(name.as_str()).unwrap_or_default();
            Ok(def)
        })
        .collect::<Result<_, String>>()?;
    let type_index = types
        .iter()
        .enumerate()
        .map(|(index, def): (usize, &ir::TypeDef)| (def.name.clone(), index))
        .collect();
    let resources = spec
        .resources
        .iter()
        .map(|(name, resource)| {
            let mut lowered = lower_resource(spec, &[name.as_str()], resource)?;
            if !features.is_empty() {
                lowered.feature = Some(lowered.module.clone());
            }
            Ok(lowered)
        })
        .collect::<Result<_, String>>()?;
    let meta = &spec.krate;
    Ok(ir::Api {
        spec_name: spec_name.to_owned(),
        krate: ir::Crate {
            name: meta.name.clone(),
            version: meta.version.clone(),
            description: meta.description.clone(),
            license: meta.license.clone(),
            repository: meta.repository.clone(),
            rust_version: meta.rust_version.clone(),
            doc: meta.doc.trim().to_owned(),
        },
        base_url: spec.base_url.trim_end_matches('/').to_owned(),
        types,
        resources,
        features: features.into_iter().map(|(_, feature)| feature).collect(),
        type_index,
    })
}

/// The product features of a crate of several top-level resources: one per resource,
/// named as its module, so that a user compiles only the products they use. A crate of
/// one product has none.
fn product_features(spec: &Spec) -> Result<Vec<(&str, String)>, String> {
    if spec.resources.len() < 2 {
        return Ok(Vec::new());
    }
    spec.resources
        .keys()
        .map(|name| {
            let feature = ident(names::snake, name)?;
            if crate::validate::RESERVED_FEATURES.contains(&feature.as_str()) {
                return Err(format!("product '{name}' takes a reserved feature name"));
            }
            Ok((name.as_str(), feature))
        })
        .collect()
}

/// For each type, the product features that need it: those whose operations use it,
/// directly or through the types they use. A type no operation uses is compiled with
/// `full` only: it may refer to types of any product, and a crate built with some products
/// compiles none of what it does not need.
fn type_features<'s>(
    spec: &'s Spec,
    features: &[(&str, String)],
) -> BTreeMap<&'s str, Vec<String>> {
    let mut needed: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    if features.is_empty() {
        return needed;
    }
    for (resource, feature) in features {
        let Some(resource) = spec.resources.get(*resource) else {
            continue;
        };
        let mut pending: Vec<String> = Vec::new();
        visit_resource(resource, &mut |operation| {
            let mut uses = |ty: &TypeExpr| pending.extend(ty.named().map(str::to_owned));
            operation.result.iter().for_each(&mut uses);
            operation.body.iter().for_each(|body| uses(&body.ty));
            let params = operation
                .query_params
                .values()
                .chain(operation.header_params.values());
            params.for_each(|param| uses(&param.ty));
        });
        let mut reached = BTreeSet::new();
        while let Some(name) = pending.pop() {
            let Some((name, def)) = spec.types.get_key_value(&name) else {
                continue;
            };
            if reached.insert(name.as_str()) {
                pending.extend(referenced_types(spec, name, def));
            }
        }
        for name in reached {
            needed.entry(name).or_default().push(feature.clone());
        }
    }
    for features in needed.values_mut() {
        features.sort();
    }
    // `full` turns on every product, so whatever such a type refers to is there with it.
    for name in spec.types.keys() {
        needed
            .entry(name)
            .or_insert_with(|| vec![ir::FULL_FEATURE.to_owned()]);
    }
    needed
}

fn ident(convert: fn(&str) -> Option<String>, name: &str) -> Result<String, String> {
    convert(name).ok_or_else(|| format!("'{name}' does not convert to a Rust identifier"))
}

/// The Rust name of a field or parameter: as given, or made from the wire name.
fn member_name(wire: &str, given: Option<&str>) -> Result<String, String> {
    match given {
        Some(given) => Ok(given.to_owned()),
        None => ident(names::snake, wire),
    }
}

fn deprecation(deprecated: &Option<spec::Deprecated>) -> Option<String> {
    deprecated
        .as_ref()
        .map(|deprecated| deprecated.note.clone())
}

/// The named types a type refers to directly: its composed fields, `additional`, and its
/// union's variants, looking inside `list<…>` and `map<…>`.
fn referenced_types<'s>(spec: &'s Spec, name: &str, def: &'s spec::TypeDef) -> Vec<String> {
    let mut found = Vec::new();
    if def.is_object() {
        if let Ok(composed) = compose::compose(spec, name) {
            found.extend(
                composed
                    .fields
                    .values()
                    .filter_map(|f| f.ty.named())
                    .map(str::to_owned),
            );
            found.extend(
                composed
                    .additional
                    .as_ref()
                    .and_then(TypeExpr::named)
                    .map(str::to_owned),
            );
        }
    }
    for variant in def.union.iter().flat_map(|union| &union.variants) {
        found.extend(variant.ty.named().map(str::to_owned));
    }
    found
}

/// Names of the types sent in request bodies, directly or inside another body type: they
/// need constructors.
fn request_types(spec: &Spec) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut pending: Vec<String> = Vec::new();
    visit_resources(&spec.resources, &mut |operation| {
        if let Some(body) = &operation.body {
            pending.extend(body.ty.named().map(str::to_owned));
        }
    });
    while let Some(name) = pending.pop() {
        if found.contains(&name) {
            continue;
        }
        if let Some(def) = spec.types.get(&name) {
            pending.extend(referenced_types(spec, &name, def));
        }
        found.insert(name);
    }
    found
}

/// Names of the types sent as `multipart/form-data` bodies.
fn multipart_types(spec: &Spec) -> BTreeSet<&str> {
    let mut found = BTreeSet::new();
    visit_resources(&spec.resources, &mut |operation| {
        if let Some(body) = &operation.body {
            if body.format() == spec::BodyFormat::Multipart {
                found.extend(body.ty.named());
            }
        }
    });
    found
}

fn visit_resources<'s>(
    resources: &'s indexmap::IndexMap<String, spec::Resource>,
    visit: &mut impl FnMut(&'s spec::Operation),
) {
    for resource in resources.values() {
        visit_resource(resource, visit);
    }
}

/// Calls `visit` on every operation of `resource` and of the resources below it.
fn visit_resource<'s>(resource: &'s spec::Resource, visit: &mut impl FnMut(&'s spec::Operation)) {
    resource.operations.values().for_each(&mut *visit);
    visit_resources(&resource.resources, visit);
}

/// Which direct references (a field or variant that is a named type itself, not inside a
/// list or map) close a cycle: a type cannot hold itself by value, so those are boxed.
///
/// Two types are in a cycle when each reaches the other; the strongly connected components
/// of the graph of direct references say exactly that.
struct RecursiveEdges {
    component: BTreeMap<String, usize>,
}

impl RecursiveEdges {
    fn of(spec: &Spec) -> RecursiveEdges {
        let names: Vec<&str> = spec.types.keys().map(String::as_str).collect();
        let index: BTreeMap<&str, usize> = names.iter().enumerate().map(|(i, n)| (*n, i)).collect();
        let edges: Vec<Vec<usize>> = spec
            .types
            .iter()
            .map(|(name, def)| {
                direct_references(spec, name, def)
                    .iter()
                    .filter_map(|target| index.get(target.as_str()).copied())
                    .collect()
            })
            .collect();
        let component = strongly_connected(&edges);
        RecursiveEdges {
            component: names
                .iter()
                .zip(component)
                .map(|(name, component)| ((*name).to_owned(), component))
                .collect(),
        }
    }

    /// Whether a direct reference from `from` to `to` must be boxed.
    fn boxed(&self, from: &str, to: &TypeExpr) -> bool {
        let TypeExpr::Named(to) = to else {
            return false;
        };
        match (self.component.get(from), self.component.get(to.as_str())) {
            (Some(a), Some(b)) => a == b,
            _ => false,
        }
    }
}

/// The named types that `def` holds by value.
fn direct_references(spec: &Spec, name: &str, def: &spec::TypeDef) -> Vec<String> {
    let mut found = Vec::new();
    if def.is_object() {
        if let Ok(composed) = compose::compose(spec, name) {
            for field in composed.fields.values() {
                if let TypeExpr::Named(target) = &field.ty {
                    found.push(target.clone());
                }
            }
        }
    }
    for variant in def.union.iter().flat_map(|union| &union.variants) {
        if let TypeExpr::Named(target) = &variant.ty {
            found.push(target.clone());
        }
    }
    found
}

/// The strongly connected component of every node (Tarjan's algorithm, without recursion
/// so that a long chain of types cannot overflow the stack). A node with an edge to itself
/// is alone in its component, and is told apart from a node without one by the caller
/// comparing components of both ends of the edge.
fn strongly_connected(edges: &[Vec<usize>]) -> Vec<usize> {
    const UNVISITED: usize = usize::MAX;
    let count = edges.len();
    let mut order = vec![UNVISITED; count];
    let mut low = vec![0; count];
    let mut on_stack = vec![false; count];
    let mut component = vec![UNVISITED; count];
    let mut stack = Vec::new();
    let mut next_order = 0;
    let mut next_component = 0;
    for root in 0..count {
        if order[root] != UNVISITED {
            continue;
        }
        // (node, index of the next edge to follow)
        let mut work = vec![(root, 0)];
        while let Some(&mut (node, ref mut edge)) = work.last_mut() {
            if *edge == 0 && order[node] == UNVISITED {
                order[node] = next_order;
                low[node] = next_order;
                next_order += 1;
                stack.push(node);
                on_stack[node] = true;
            }
            if let Some(&target) = edges[node].get(*edge) {
                *edge += 1;
                if order[target] == UNVISITED {
                    work.push((target, 0));
                } else if on_stack[target] {
                    low[node] = low[node].min(order[target]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == order[node] {
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component[member] = next_component;
                    if member == node {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}

fn lower_type(
    spec: &Spec,
    name: &str,
    def: &spec::TypeDef,
    constructible: bool,
    recursive: &RecursiveEdges,
) -> Result<ir::TypeDef, String> {
    let kind = if let Some(values) = &def.variants {
        ir::TypeKind::Enum(lower_enum(values)?)
    } else if let Some(union) = &def.union {
        ir::TypeKind::Union(lower_union(name, union, recursive)?)
    } else {
        ir::TypeKind::Object(lower_object(spec, name, constructible, recursive)?)
    };
    Ok(ir::TypeDef {
        name: ident(names::pascal, name)?,
        doc: def.doc.trim().to_owned(),
        deprecated: deprecation(&def.deprecated),
        kind,
        features: Vec::new(),
    })
}

fn lower_object(
    spec: &Spec,
    name: &str,
    constructible: bool,
    recursive: &RecursiveEdges,
) -> Result<ir::Object, String> {
    let composed = compose::compose(spec, name).map_err(|conflict| conflict.to_string())?;
    let fields = composed
        .fields
        .iter()
        .map(|(wire, field)| {
            let single_valued = |named: &String| {
                spec.types
                    .get(named)
                    .and_then(|def| def.variants.as_ref())
                    .is_some_and(|values| values.len() == 1)
            };
            let constant = !field.is_option()
                && matches!(&field.ty, TypeExpr::Named(named) if single_valued(named));
            Ok(ir::Field {
                wire_name: wire.clone(),
                name: member_name(wire, field.name.as_deref())?,
                doc: field.doc.trim().to_owned(),
                ty: lower_expr(&field.ty)?,
                optional: field.optional,
                nullable: field.nullable,
                boxed: recursive.boxed(name, &field.ty),
                constant,
                deprecated: deprecation(&field.deprecated),
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    let extra_field = names::first_free(&["extra", "extra_fields"], |candidate| {
        fields.iter().any(|field| field.name == candidate)
    });
    Ok(ir::Object {
        fields,
        extra_field,
        extra_type: composed.additional.as_ref().map(lower_expr).transpose()?,
        constructible,
        multipart: false,
    })
}

fn lower_enum(values: &[spec::EnumValue]) -> Result<ir::Enum, String> {
    let repr = match values.first().map(|value| &value.value) {
        Some(spec::Literal::Integer(_)) => ir::EnumRepr::Integer,
        Some(spec::Literal::Boolean(_)) => ir::EnumRepr::Boolean,
        _ => ir::EnumRepr::String,
    };
    let variants = values
        .iter()
        .map(|value| {
            let name = match &value.name {
                Some(given) => given.clone(),
                None => names::enum_variant(&value.value)
                    .ok_or_else(|| format!("enum value '{}' names no variant", value.value))?,
            };
            Ok(ir::Variant {
                wire_value: match &value.value {
                    spec::Literal::String(text) => ir::WireValue::String(text.clone()),
                    spec::Literal::Integer(number) => ir::WireValue::Integer(*number),
                    spec::Literal::Boolean(value) => ir::WireValue::Boolean(*value),
                },
                name,
                doc: value.doc.trim().to_owned(),
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    let unknown_variant = names::first_free(&["Unknown", "UnknownValue"], |candidate| {
        variants.iter().any(|variant| variant.name == candidate)
    });
    Ok(ir::Enum {
        repr,
        variants,
        unknown_variant,
    })
}

fn lower_union(
    name: &str,
    union: &spec::Union,
    recursive: &RecursiveEdges,
) -> Result<ir::Union, String> {
    let variants = union
        .variants
        .iter()
        .map(|variant| {
            let variant_name = variant
                .name
                .clone()
                .unwrap_or_else(|| names::union_variant(&variant.ty));
            Ok(ir::UnionVariant {
                doc: match &variant.doc {
                    Some(doc) => doc.trim().to_owned(),
                    None => format!("A `{}`.", variant.ty),
                },
                name: variant_name,
                ty: lower_expr(&variant.ty)?,
                tag: variant.tag.clone(),
                boxed: recursive.boxed(name, &variant.ty),
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    let other_variant = names::first_free(&["Other", "OtherValue"], |candidate| {
        variants.iter().any(|variant| variant.name == candidate)
    });
    Ok(ir::Union {
        discriminator: union.discriminator.clone(),
        variants,
        other_variant,
    })
}

fn lower_expr(expr: &TypeExpr) -> Result<ir::Type, String> {
    Ok(match expr {
        TypeExpr::String | TypeExpr::Uri => ir::Type::String,
        TypeExpr::Boolean => ir::Type::Bool,
        TypeExpr::Integer | TypeExpr::Int64 => ir::Type::I64,
        TypeExpr::Int32 => ir::Type::I32,
        TypeExpr::Uint64 => ir::Type::U64,
        TypeExpr::Number | TypeExpr::Double => ir::Type::F64,
        TypeExpr::Float => ir::Type::F32,
        TypeExpr::Uuid => ir::Type::Uuid,
        TypeExpr::DateTime => ir::Type::DateTime,
        TypeExpr::Json => ir::Type::Json,
        TypeExpr::Object => ir::Type::JsonObject,
        TypeExpr::Binary => ir::Type::Binary,
        TypeExpr::List(inner) => ir::Type::List(Box::new(lower_expr(inner)?)),
        TypeExpr::Map(inner) => ir::Type::Map(Box::new(lower_expr(inner)?)),
        TypeExpr::Named(name) => ir::Type::Named(ident(names::pascal, name)?),
    })
}

fn lower_resource(
    spec: &Spec,
    path: &[&str],
    resource: &spec::Resource,
) -> Result<ir::Resource, String> {
    let name = path.last().copied().unwrap_or_default();
    let mut handle = ident(names::pascal, name)?;
    // Resource modules import the runtime's types by these names; a handle of the same
    // name would clash with the import, so it says what it is.
    if HANDLE_RESERVED.contains(&handle.as_str()) {
        handle.push_str("Resource");
    }
    let mut markers = Markers::new(&handle);
    let operations = resource
        .operations
        .iter()
        .map(|(method_name, operation)| {
            lower_operation(spec, path, method_name, operation, &mut markers)
        })
        .collect::<Result<_, _>>()?;
    let children = resource
        .resources
        .iter()
        .map(|(child, resource)| {
            lower_resource(spec, &[path, &[child.as_str()]].concat(), resource)
        })
        .collect::<Result<_, _>>()?;
    Ok(ir::Resource {
        feature: None,
        module: ident(names::snake, name)?,
        handle,
        doc: resource.doc.trim().to_owned(),
        operations,
        children,
    })
}

/// The runtime's names that every resource module may import.
pub const HANDLE_RESERVED: &[&str] = &[
    "Client",
    "Operation",
    "PageStyle",
    "Paginated",
    "PathSegment",
    "Request",
    "ResponseKind",
];

/// The marker types of one resource module: one per operation with optional parameters,
/// named after its method, never like the handle or what the module imports.
struct Markers {
    taken: BTreeSet<String>,
}

impl Markers {
    fn new(handle: &str) -> Markers {
        let taken = std::iter::once(handle)
            .chain(HANDLE_RESERVED.iter().copied())
            .map(str::to_owned)
            .collect();
        Markers { taken }
    }

    fn name(&mut self, method_name: &str) -> Result<String, String> {
        let base = ident(names::pascal, method_name)?;
        let request = format!("{base}Request");
        let name = names::first_free(&[&base, &request], |candidate| {
            self.taken.contains(candidate)
        });
        self.taken.insert(name.clone());
        Ok(name)
    }
}

fn lower_operation(
    spec: &Spec,
    resource_path: &[&str],
    method_name: &str,
    operation: &spec::Operation,
    markers: &mut Markers,
) -> Result<ir::Operation, String> {
    let template = PathTemplate::parse(&operation.path)?;
    let path_params: Vec<ir::Param> = operation
        .path_params
        .iter()
        .map(|(wire, param)| {
            Ok(ir::Param {
                wire_name: wire.clone(),
                name: ident(names::snake, wire)?,
                doc: param.doc.trim().to_owned(),
                is_uuid: param.ty == TypeExpr::Uuid,
            })
        })
        .collect::<Result<_, String>>()?;
    let path = template
        .segments
        .iter()
        .map(|segment| match segment {
            Segment::Literal(text) => Ok(ir::PathPart::Literal(text.clone())),
            Segment::Param(name) => path_params
                .iter()
                .position(|param| &param.wire_name == name)
                .map(ir::PathPart::Param)
                .ok_or_else(|| format!("path parameter '{name}' is not declared")),
        })
        .collect::<Result<_, String>>()?;
    let value_params = |location, params: &indexmap::IndexMap<String, spec::Param>| {
        params
            .iter()
            .map(|(wire, param)| {
                Ok(ir::ValueParam {
                    location,
                    wire_name: wire.clone(),
                    name: member_name(wire, param.name.as_deref())?,
                    doc: param.doc.trim().to_owned(),
                    ty: lower_expr(&param.ty)?,
                    optional: param.optional,
                    explode: param.explode.unwrap_or(true),
                    deprecated: deprecation(&param.deprecated),
                })
            })
            .collect::<Result<Vec<_>, String>>()
    };
    let mut query_params = value_params(ir::ParamLocation::Query, &operation.query_params)?;
    let mut header_params = value_params(ir::ParamLocation::Header, &operation.header_params)?;
    // A setter must not take the name of a method every request has (`header` is
    // `header_param`), nor, so renamed, that of another parameter or method
    // (`header_param` is a method too).
    let request_methods = crate::runtime::request_methods();
    let mut taken: BTreeSet<String> = path_params
        .iter()
        .map(|param| param.name.clone())
        .chain(
            query_params
                .iter()
                .chain(&header_params)
                .map(|param| param.name.clone()),
        )
        .collect();
    for param in query_params.iter_mut().chain(header_params.iter_mut()) {
        if param.optional && request_methods.contains(&param.name) {
            let renamed = format!("{}_param", param.name);
            param.name = names::first_free(&[&renamed], |candidate| {
                request_methods.contains(candidate) || taken.contains(candidate)
            });
            taken.insert(param.name.clone());
        }
    }
    let body = match &operation.body {
        None => None,
        Some(body) => {
            let taken = |candidate: &str| {
                path_params.iter().any(|p| p.name == candidate)
                    || query_params.iter().any(|p| p.name == candidate)
                    || header_params.iter().any(|p| p.name == candidate)
            };
            Some(ir::Body {
                argument: names::first_free(&["body", "request_body"], taken),
                ty: lower_expr(&body.ty)?,
                format: body.format(),
                content_type: body.content_type.clone(),
                optional: body.optional,
                doc: body.doc.as_ref().map(|doc| doc.trim().to_owned()),
            })
        }
    };
    let result = operation.result.as_ref().map(lower_expr).transpose()?;
    let pagination = match operation.pagination {
        None => None,
        Some(style) => Some(lower_pagination(spec, style, operation)?),
    };
    let has_setters = query_params
        .iter()
        .chain(&header_params)
        .any(|param| param.optional);
    let marker = (has_setters || pagination.is_some())
        .then(|| markers.name(method_name))
        .transpose()?;
    Ok(ir::Operation {
        method_name: ident(names::snake, method_name)?,
        qualified_name: [resource_path, &[method_name]].concat().join("."),
        operation_id: operation.operation_id.clone(),
        summary: operation.summary.trim().to_owned(),
        doc: operation.doc.trim().to_owned(),
        deprecated: deprecation(&operation.deprecated),
        http_method: operation.method.as_str(),
        path_template: operation.path.clone(),
        path,
        path_params,
        query_params,
        header_params,
        body,
        response: operation.response,
        result,
        result_nullable: operation.result_nullable,
        result_info: operation.result_info,
        pagination,
        idempotent: operation.is_idempotent(),
        marker,
    })
}

fn lower_pagination(
    spec: &Spec,
    style: spec::Pagination,
    operation: &spec::Operation,
) -> Result<ir::Pagination, String> {
    let unpaged = || {
        format!(
            "operation '{}' pages a result that is not a list",
            operation.path
        )
    };
    match (&operation.result, style) {
        (Some(TypeExpr::Named(name)), spec::Pagination::PageItems) => {
            let composed = compose::compose(spec, name).map_err(|conflict| conflict.to_string())?;
            let items = composed.fields.get("items").ok_or_else(unpaged)?;
            let TypeExpr::List(item) = &items.ty else {
                return Err(unpaged());
            };
            Ok(ir::Pagination {
                style,
                item: lower_expr(item)?,
                items_field: Some(member_name("items", items.name.as_deref())?),
            })
        }
        (Some(TypeExpr::List(item)), _) => Ok(ir::Pagination {
            style,
            item: lower_expr(item)?,
            items_field: None,
        }),
        _ => Err(unpaged()),
    }
}

#[cfg(test)]
mod tests {
    use super::strongly_connected;

    #[test]
    fn setters_take_neither_a_request_method_nor_each_others_names() {
        let text = "crate: {name: x, version: 0.1.0, description: x, license: MIT, \
                    repository: x, rust_version: '1.80', doc: x}\nbase_url: https://x\n\
                    resources:\n  r:\n    doc: d\n    operations:\n      get:\n        \
                    summary: s\n        doc: d\n        method: GET\n        path: /x\n        \
                    query_params:\n          header: {type: string, doc: d, optional: true}\n          \
                    timeout: {type: integer, doc: d, optional: true}\n          \
                    timeout_param: {type: integer, doc: d, optional: true}\n";
        let spec: crate::spec::Spec = serde_yaml::from_str(text).expect("a spec");
        let api = super::lower(&spec, "s.yaml").expect("lowers");
        let names: Vec<&str> = api.resources[0].operations[0]
            .query_params
            .iter()
            .map(|param| param.name.as_str())
            .collect();
        assert_eq!(names, ["header_param2", "timeout_param2", "timeout_param"]);
    }

    #[test]
    fn components_group_exactly_the_nodes_on_a_cycle() {
        // 0 → 1 → 2 → 0 is a cycle; 3 → 3 loops on itself; 4 → 0 reaches the cycle only.
        let edges = vec![vec![1], vec![2], vec![0], vec![3], vec![0]];
        let component = strongly_connected(&edges);
        assert_eq!(component[0], component[1]);
        assert_eq!(component[1], component[2]);
        assert_ne!(component[3], component[0]);
        assert_ne!(component[4], component[0]);
        // A long chain takes no stack.
        let chain: Vec<Vec<usize>> = (0..100_000).map(|i| vec![i + 1]).chain([vec![]]).collect();
        let component = strongly_connected(&chain);
        assert_eq!(
            component
                .iter()
                .collect::<std::collections::BTreeSet<_>>()
                .len(),
            100_001
        );
    }
}
