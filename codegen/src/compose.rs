//! Composition: the fields an object type has once its `all_of` members are merged in.
//!
//! Validation uses this to report what cannot be merged; lowering uses it to build the
//! merged type. Both read the same rules from here: members first, in order, then the
//! type's own fields; a field several of them have is required when any requires it,
//! nullable only when every one allows `null`, documented by the last, and its types must
//! agree.

use indexmap::IndexMap;

use crate::spec::{Field, Spec, TypeExpr};

/// An object type's fields after composition, by wire name in order, and its `additional`.
#[derive(Debug, Clone, Default)]
pub struct Composed {
    pub fields: IndexMap<String, Field>,
    pub additional: Option<TypeExpr>,
}

/// Why a type's fields could not be composed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Conflict {
    /// `all_of` names something that is not an object type.
    NotAnObject { member: String },
    /// The type reaches itself through `all_of`.
    Cycle { through: Vec<String> },
    /// Two of the merged definitions give one field different types.
    FieldTypes {
        field: String,
        first: TypeExpr,
        second: TypeExpr,
    },
}

impl std::fmt::Display for Conflict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Conflict::NotAnObject { member } => {
                write!(f, "`all_of` member '{member}' is not an object type")
            }
            Conflict::Cycle { through } => write!(
                f,
                "`all_of` goes round in a circle: {}",
                through.join(" → ")
            ),
            Conflict::FieldTypes {
                field,
                first,
                second,
            } => write!(
                f,
                "field '{field}' is `{first}` in one `all_of` member and `{second}` in another"
            ),
        }
    }
}

/// The fields of the object type `name` with its `all_of` members merged in.
pub fn compose(spec: &Spec, name: &str) -> Result<Composed, Conflict> {
    let mut composed = Composed::default();
    let mut path = Vec::new();
    merge_into(spec, name, &mut path, &mut composed)?;
    Ok(composed)
}

fn merge_into(
    spec: &Spec,
    name: &str,
    path: &mut Vec<String>,
    into: &mut Composed,
) -> Result<(), Conflict> {
    if path.iter().any(|seen| seen == name) {
        let mut through = path.clone();
        through.push(name.to_owned());
        return Err(Conflict::Cycle { through });
    }
    let def = match spec.types.get(name) {
        Some(def) if def.is_object() => def,
        _ => {
            return Err(Conflict::NotAnObject {
                member: name.to_owned(),
            })
        }
    };
    path.push(name.to_owned());
    for member in def.all_of.iter().flatten() {
        match member {
            TypeExpr::Named(member) => merge_into(spec, member, path, into)?,
            other => {
                return Err(Conflict::NotAnObject {
                    member: other.to_string(),
                })
            }
        }
    }
    path.pop();
    for (wire, field) in def.fields.iter().flatten() {
        merge_field(&mut into.fields, wire, field)?;
    }
    if def.additional.is_some() {
        into.additional.clone_from(&def.additional);
    }
    Ok(())
}

fn merge_field(
    fields: &mut IndexMap<String, Field>,
    wire: &str,
    field: &Field,
) -> Result<(), Conflict> {
    let Some(existing) = fields.get_mut(wire) else {
        fields.insert(wire.to_owned(), field.clone());
        return Ok(());
    };
    if existing.ty != field.ty {
        return Err(Conflict::FieldTypes {
            field: wire.to_owned(),
            first: existing.ty.clone(),
            second: field.ty.clone(),
        });
    }
    existing.optional &= field.optional;
    existing.nullable &= field.nullable;
    existing.doc.clone_from(&field.doc);
    if field.name.is_some() {
        existing.name.clone_from(&field.name);
    }
    if field.deprecated.is_some() {
        existing.deprecated.clone_from(&field.deprecated);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(types: &str) -> Spec {
        let text = format!(
            "crate: {{name: x, version: 0.1.0, description: x, license: MIT, repository: x, \
             rust_version: '1.80', doc: x}}\nbase_url: https://x\nresources: {{}}\ntypes:\n{types}"
        );
        serde_yaml::from_str(&text).expect("a spec")
    }

    #[test]
    fn members_come_first_and_shared_fields_merge() {
        let spec = spec(
            "  Base:\n    doc: b\n    fields:\n      id: {type: string, doc: Base id., optional: true}\n      name: {type: string, doc: n, nullable: true}\n  \
             Named:\n    doc: n\n    all_of: [Base]\n    fields:\n      id: {type: string, doc: Own id.}\n      extra: {type: integer, doc: e}\n",
        );
        let composed = compose(&spec, "Named").unwrap();
        let names: Vec<&str> = composed.fields.keys().map(String::as_str).collect();
        assert_eq!(names, ["id", "name", "extra"]);
        let id = &composed.fields["id"];
        assert!(!id.optional, "required by one, required by the merge");
        assert_eq!(id.doc, "Own id.");
        assert!(composed.fields["name"].nullable);
    }

    #[test]
    fn conflicting_types_cycles_and_non_objects_are_refused() {
        let spec = spec(
            "  A:\n    doc: a\n    fields: {x: {type: string, doc: x}}\n  B:\n    doc: b\n    all_of: [A]\n    fields: {x: {type: integer, doc: x}}\n  \
             C:\n    doc: c\n    all_of: [D]\n  D:\n    doc: d\n    all_of: [C]\n  E:\n    doc: e\n    enum: [{value: v, doc: v}]\n  F:\n    doc: f\n    all_of: [E]\n",
        );
        assert!(matches!(
            compose(&spec, "B"),
            Err(Conflict::FieldTypes { .. })
        ));
        assert_eq!(
            compose(&spec, "C").unwrap_err().to_string(),
            "`all_of` goes round in a circle: C → D → C"
        );
        assert!(matches!(
            compose(&spec, "F"),
            Err(Conflict::NotAnObject { .. })
        ));
    }
}
