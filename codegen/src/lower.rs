//! Stage 3: turn a validated spec into the IR, deciding every Rust name.
//!
//! Lowering assumes [`crate::validate`] accepted the spec; where that assumption would be
//! needed to go on (a template that does not parse), it returns an error instead of
//! panicking, so a bug in validation surfaces as a message.

use std::collections::BTreeSet;

use crate::ir;
use crate::names;
use crate::path_template::{PathTemplate, Segment};
use crate::spec::{self, Spec, TypeExpr};

/// Lowers `spec`; `spec_name` is how generated headers name it.
pub fn lower(spec: &Spec, spec_name: &str) -> Result<ir::Api, String> {
    let request_types = request_types(spec);
    let types = spec
        .types
        .iter()
        .map(|(name, def)| lower_type(name, def, request_types.contains(name.as_str())))
        .collect::<Result<_, _>>()?;
    let resources = spec
        .resources
        .iter()
        .map(|(name, resource)| lower_resource(&[name.as_str()], resource))
        .collect::<Result<_, _>>()?;
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
    })
}

fn ident(convert: fn(&str) -> Option<String>, name: &str) -> Result<String, String> {
    convert(name).ok_or_else(|| format!("'{name}' does not convert to a Rust identifier"))
}

/// Names of the object types sent in request bodies, directly or inside another body type.
fn request_types(spec: &Spec) -> BTreeSet<&str> {
    let mut found = BTreeSet::new();
    let mut pending: Vec<&str> = Vec::new();
    visit_resources(&spec.resources, &mut |operation| {
        if let Some(body) = &operation.body {
            pending.push(body);
        }
    });
    while let Some(name) = pending.pop() {
        if !found.insert(name) {
            continue;
        }
        let fields = spec.types.get(name).and_then(|def| def.fields.as_ref());
        for field in fields.into_iter().flat_map(|fields| fields.values()) {
            if let Some(inner) = field.ty.named() {
                pending.push(inner);
            }
        }
    }
    found
}

fn visit_resources<'s>(
    resources: &'s indexmap::IndexMap<String, spec::Resource>,
    visit: &mut impl FnMut(&'s spec::Operation),
) {
    for resource in resources.values() {
        resource.operations.values().for_each(&mut *visit);
        visit_resources(&resource.resources, visit);
    }
}

fn lower_type(name: &str, def: &spec::TypeDef, constructible: bool) -> Result<ir::TypeDef, String> {
    let kind = match (&def.fields, &def.variants) {
        (Some(fields), _) => {
            let fields = fields
                .iter()
                .map(|(wire, field)| {
                    Ok(ir::Field {
                        wire_name: wire.clone(),
                        name: ident(names::snake, wire)?,
                        doc: field.doc.trim().to_owned(),
                        ty: lower_expr(&field.ty)?,
                        optional: field.optional,
                        nullable: field.nullable,
                    })
                })
                .collect::<Result<Vec<_>, String>>()?;
            let extra_field = names::first_free(&["extra", "extra_fields"], |candidate| {
                fields.iter().any(|field| field.name == candidate)
            });
            ir::TypeKind::Object(ir::Object {
                fields,
                extra_field,
                constructible,
            })
        }
        (None, Some(values)) => {
            let variants = values
                .iter()
                .map(|value| {
                    Ok(ir::Variant {
                        wire_value: value.value.clone(),
                        name: ident(names::pascal, &value.value)?,
                        doc: value.doc.trim().to_owned(),
                    })
                })
                .collect::<Result<Vec<_>, String>>()?;
            let unknown_variant = names::first_free(&["Unknown", "UnknownValue"], |candidate| {
                variants.iter().any(|variant| variant.name == candidate)
            });
            ir::TypeKind::Enum(ir::Enum {
                variants,
                unknown_variant,
            })
        }
        (None, None) => return Err(format!("type '{name}' has neither fields nor enum values")),
    };
    Ok(ir::TypeDef {
        name: ident(names::pascal, name)?,
        doc: def.doc.trim().to_owned(),
        kind,
    })
}

fn lower_expr(expr: &TypeExpr) -> Result<ir::Type, String> {
    Ok(match expr {
        TypeExpr::String | TypeExpr::Uri => ir::Type::String,
        TypeExpr::Boolean => ir::Type::Bool,
        TypeExpr::Integer => ir::Type::I64,
        TypeExpr::Number => ir::Type::F64,
        TypeExpr::Uuid => ir::Type::Uuid,
        TypeExpr::DateTime => ir::Type::DateTime,
        TypeExpr::Json => ir::Type::Json,
        TypeExpr::Object => ir::Type::JsonObject,
        TypeExpr::List(inner) => ir::Type::List(Box::new(lower_expr(inner)?)),
        TypeExpr::Map(inner) => ir::Type::Map(Box::new(lower_expr(inner)?)),
        TypeExpr::Named(name) => ir::Type::Named(ident(names::pascal, name)?),
    })
}

fn lower_resource(path: &[&str], resource: &spec::Resource) -> Result<ir::Resource, String> {
    let name = path.last().copied().unwrap_or_default();
    let operations = resource
        .operations
        .iter()
        .map(|(method_name, operation)| lower_operation(path, method_name, operation))
        .collect::<Result<_, _>>()?;
    let children = resource
        .resources
        .iter()
        .map(|(child, resource)| lower_resource(&[path, &[child.as_str()]].concat(), resource))
        .collect::<Result<_, _>>()?;
    Ok(ir::Resource {
        module: ident(names::snake, name)?,
        handle: ident(names::pascal, name)?,
        doc: resource.doc.trim().to_owned(),
        operations,
        children,
    })
}

fn lower_operation(
    resource_path: &[&str],
    method_name: &str,
    operation: &spec::Operation,
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
    let query_params: Vec<ir::QueryParam> = operation
        .query_params
        .iter()
        .map(|(wire, field)| {
            Ok(ir::QueryParam {
                wire_name: wire.clone(),
                name: ident(names::snake, wire)?,
                doc: field.doc.trim().to_owned(),
                ty: lower_expr(&field.ty)?,
                optional: field.optional,
            })
        })
        .collect::<Result<_, String>>()?;
    let body = match &operation.body {
        None => None,
        Some(type_name) => {
            let taken = |candidate: &str| {
                path_params.iter().any(|p| p.name == candidate)
                    || query_params.iter().any(|p| p.name == candidate)
            };
            let argument = names::first_free(&["body", "request_body"], taken);
            Some((argument, ident(names::pascal, type_name)?))
        }
    };
    Ok(ir::Operation {
        method_name: ident(names::snake, method_name)?,
        qualified_name: [resource_path, &[method_name]].concat().join("."),
        operation_id: operation.operation_id.clone(),
        summary: operation.summary.trim().to_owned(),
        doc: operation.doc.trim().to_owned(),
        http_method: operation.method.as_str(),
        path_template: operation.path.clone(),
        path,
        path_params,
        query_params,
        body,
        result: lower_expr(&operation.result)?,
        result_nullable: operation.result_nullable,
        result_info: operation.result_info,
        idempotent: operation.is_idempotent(),
    })
}
