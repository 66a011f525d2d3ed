//! The spec's side: its operations, and its type expressions lowered into [`Node`]s.

use indexmap::IndexMap;

use codegen::spec::{Literal, Operation, Resource, Spec, TypeDef, TypeExpr};

use crate::node::{Node, Object, Shape};

/// An operation of the spec with the qualified name of its method
/// (`zero_trust.risk_scoring.integrations.list`).
pub(crate) struct SpecOperation<'a> {
    pub name: String,
    pub operation: &'a Operation,
}

/// Every operation of `spec`, in spec order.
pub(crate) fn operations(spec: &Spec) -> Vec<SpecOperation<'_>> {
    fn walk<'a>(
        prefix: &str,
        resources: &'a IndexMap<String, Resource>,
        out: &mut Vec<SpecOperation<'a>>,
    ) {
        for (name, resource) in resources {
            let path = if prefix.is_empty() {
                name.clone()
            } else {
                format!("{prefix}.{name}")
            };
            for (method, operation) in &resource.operations {
                out.push(SpecOperation {
                    name: format!("{path}.{method}"),
                    operation,
                });
            }
            walk(&path, &resource.resources, out);
        }
    }
    let mut out = Vec::new();
    walk("", &spec.resources, &mut out);
    out
}

/// Lowers type expressions, resolving names against the spec's `types`.
pub(crate) struct SpecTypes<'a> {
    spec: &'a Spec,
    types: &'a IndexMap<String, TypeDef>,
}

impl<'a> SpecTypes<'a> {
    pub fn new(spec: &'a Spec) -> SpecTypes<'a> {
        SpecTypes {
            spec,
            types: &spec.types,
        }
    }

    pub fn node(&self, ty: &TypeExpr) -> Node {
        self.lower(ty, &mut Vec::new())
    }

    fn lower(&self, ty: &TypeExpr, expanding: &mut Vec<String>) -> Node {
        match ty {
            TypeExpr::String => Node::string(None),
            TypeExpr::Uuid => Node::string(Some("uuid")),
            TypeExpr::DateTime => Node::string(Some("date-time")),
            TypeExpr::Uri => Node::string(Some("uri")),
            TypeExpr::Boolean => Node::new(Shape::Boolean),
            TypeExpr::Integer | TypeExpr::Int32 | TypeExpr::Int64 | TypeExpr::Uint64 => {
                Node::new(Shape::Integer)
            }
            TypeExpr::Number | TypeExpr::Float | TypeExpr::Double => Node::new(Shape::Number),
            TypeExpr::Binary => Node::string(Some("binary")),
            TypeExpr::Json => Node::new(Shape::Any),
            TypeExpr::Object => Node::new(Shape::FreeObject),
            TypeExpr::List(items) => {
                Node::new(Shape::Array(Box::new(self.lower(items, expanding))))
            }
            TypeExpr::Map(values) => Node::new(Shape::Map(Box::new(self.lower(values, expanding)))),
            TypeExpr::Named(name) => self.named(name, expanding),
        }
    }

    fn named(&self, name: &str, expanding: &mut Vec<String>) -> Node {
        if expanding.iter().any(|open| open == name) {
            return Node::new(Shape::Recursive(name.to_owned()));
        }
        // A validated spec has no dangling names; an unvalidated one gets a finding, not a
        // panic.
        let Some(def) = self.types.get(name) else {
            return Node::unknown(format!("the spec's type `{name}` is not defined"));
        };
        let mut node = match (def.is_object(), &def.variants) {
            (true, None) => {
                expanding.push(name.to_owned());
                let mut object = Object::default();
                let composed = codegen::compose::compose(self.spec, name).unwrap_or_default();
                for (field_name, field) in &composed.fields {
                    let node = self.lower(&field.ty, expanding).nullable(field.nullable);
                    object.fields.insert(field_name.clone(), node);
                    if !field.optional {
                        object.required.push(field_name.clone());
                    }
                }
                expanding.pop();
                Node::new(Shape::Object(object))
            }
            (false, Some(variants)) => {
                let mut node = match variants.first().map(|variant| &variant.value) {
                    Some(Literal::Integer(_)) => Node::new(Shape::Integer),
                    Some(Literal::Boolean(_)) => Node::new(Shape::Boolean),
                    _ => Node::string(None),
                };
                node.values = Some(
                    variants
                        .iter()
                        .map(|variant| variant.value.to_string())
                        .collect(),
                );
                node
            }
            _ => Node::unknown(format!(
                "the spec's type `{name}` is a union, which the drift check does not compare yet"
            )),
        };
        node.origin = Some(name.to_owned());
        node
    }
}
