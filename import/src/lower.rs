//! Schemas into the format's types.
//!
//! Each component schema is lowered once, into a named type (an object, an enum, a union)
//! or, when it is a scalar, a list or a map, into the type expression written wherever it is
//! referred to. Inline objects, enums and unions become named types too, named later from
//! where they sit ([`Place`]); identical ones are shared. A component met again while it is
//! being lowered is referred to by name, which is how recursive types come out.
//!
//! Whatever the format cannot express becomes a warning with the pointer to it and the
//! closest type the format has (`json`, usually). Nothing here panics or recurses without
//! bound: components are lowered once, inline nesting is capped, and a budget bounds the
//! total work.

use std::collections::{BTreeSet, HashMap};

use openapi::openapiv3::{
    AdditionalProperties, AnySchema, Discriminator, IntegerFormat, NumberFormat, ReferenceOr,
    Schema, SchemaData, SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty,
};
use openapi::{Pointer, Resolver, SchemaRef};
use serde_json::Value;

use crate::model::{
    Base, Entry, EnumValue, Field, Kind as TypeKind, Literal, Object, Origin, State, Ty, TypeDef,
    TypeId, Types, Union, Variant,
};
use crate::names_file::NamesFile;
use crate::naming;
use crate::warning::{Kind, Warnings};

/// Schemas one import may lower; real documents stay far below.
const BUDGET: usize = 500_000;
/// How deep inline schemas may nest in one another.
const MAX_DEPTH: usize = 64;

/// What documentation says when the document says nothing.
pub const UNDOCUMENTED: &str = "Not documented upstream.";

/// Where an inline schema sits, to name the type it becomes.
#[derive(Debug, Clone)]
pub struct Place {
    pub base: Base,
    pub parts: Vec<String>,
}

impl Place {
    pub fn operation(index: usize, role: &str) -> Place {
        Place {
            base: Base::Operation(index),
            parts: vec![role.to_owned()],
        }
    }

    fn child(&self, part: &str) -> Place {
        let mut parts = self.parts.clone();
        parts.push(naming::pascal(part));
        Place {
            base: self.base,
            parts,
        }
    }
}

/// A schema lowered for one place: the type expression and what goes beside it.
#[derive(Debug, Clone)]
pub struct Lowered {
    pub ty: Ty,
    pub nullable: bool,
    pub doc: Option<String>,
    pub deprecated: Option<String>,
    /// Something the importer decided that a maintainer may want to change.
    pub comment: Option<String>,
}

impl Lowered {
    fn of(ty: Ty) -> Lowered {
        Lowered {
            ty,
            nullable: false,
            doc: None,
            deprecated: None,
            comment: None,
        }
    }
}

/// What a schema's own keywords make, before its `nullable`, docs and deprecation.
struct Shape {
    out: Out,
    nullable: bool,
    comment: Option<String>,
    /// Documentation found inside the schema (an `allOf` part that only describes), used
    /// when the schema itself has none.
    doc: Option<String>,
}

enum Out {
    Def(TypeKind, Vec<String>),
    Expr(Ty),
}

impl Shape {
    fn expr(ty: Ty) -> Shape {
        Shape {
            out: Out::Expr(ty),
            nullable: false,
            comment: None,
            doc: None,
        }
    }

    fn def(kind: TypeKind) -> Shape {
        Shape {
            out: Out::Def(kind, Vec::new()),
            nullable: false,
            comment: None,
            doc: None,
        }
    }
}

/// The lowering of one import.
pub struct Lowerer<'d, 'n> {
    resolver: Resolver<'d>,
    names: &'n NamesFile,
    pub types: Types,
    pub warnings: Warnings,
    /// Lookups only, never iterated: the output order is `types.entries`'.
    components: HashMap<&'d str, TypeId>,
    shared: HashMap<TypeDef, TypeId>,
    budget: usize,
    depth: usize,
    /// How many schemas lowering has started, to order the types as the document does.
    started: usize,
    /// The named type each schema became, by where the schema is written (components by
    /// their own pointer): for the values file, which asks how the spec reads a schema.
    /// Lookups only.
    pub type_at: HashMap<Pointer, TypeId>,
    /// The variants of each union as lowered (before they are ordered), with their index
    /// in upstream's `oneOf`/`anyOf`, by where the union is written. Lookups only.
    pub union_variants_at: HashMap<Pointer, Vec<(Ty, usize)>>,
}

impl<'d, 'n> Lowerer<'d, 'n> {
    pub fn new(resolver: Resolver<'d>, names: &'n NamesFile) -> Lowerer<'d, 'n> {
        Lowerer {
            resolver,
            names,
            types: Types::default(),
            warnings: Warnings::default(),
            components: HashMap::new(),
            shared: HashMap::new(),
            budget: BUDGET,
            depth: 0,
            started: 0,
            type_at: HashMap::new(),
            union_variants_at: HashMap::new(),
        }
    }

    /// Lowers the schema written at `at`, for `place`.
    pub fn schema(&mut self, schema: SchemaRef<'d>, at: &Pointer, place: &Place) -> Lowered {
        match schema {
            SchemaRef::Reference(reference) => self.reference(reference, at),
            SchemaRef::Inline(schema) => {
                if self.budget == 0 || self.depth >= MAX_DEPTH {
                    self.warnings.push(
                        at,
                        Kind::UnsupportedSchema,
                        format!(
                            "the schema nests more than {MAX_DEPTH} levels deep, or the document \
                             expands into more than {BUDGET} schemas"
                        ),
                        "used `json`",
                    );
                    return Lowered::of(Ty::Json);
                }
                self.budget -= 1;
                self.depth += 1;
                let started = self.started;
                self.started += 1;
                let shape = self.shape(schema, at, place);
                self.depth -= 1;
                let data = &schema.schema_data;
                let ty = match shape.out {
                    Out::Expr(ty) => ty,
                    Out::Def(kind, comments) => {
                        let def = TypeDef {
                            doc: doc_of(data).unwrap_or_else(|| UNDOCUMENTED.to_owned()),
                            deprecated: deprecation(data),
                            kind,
                            comments,
                        };
                        let id = self.intern(def, place, at, started);
                        self.type_at.insert(at.clone(), id);
                        Ty::Named(id)
                    }
                };
                Lowered {
                    ty,
                    nullable: data.nullable || shape.nullable,
                    doc: doc_of(data).or(shape.doc),
                    deprecated: deprecation(data),
                    comment: shape.comment,
                }
            }
        }
    }

    /// A named inline type, shared with an identical one met before.
    fn intern(&mut self, def: TypeDef, place: &Place, at: &Pointer, started: usize) -> TypeId {
        if let Some(&id) = self.shared.get(&def) {
            return id;
        }
        let id = self.types.entries.len();
        self.shared.insert(def.clone(), id);
        self.types.entries.push(Entry {
            origin: Origin::Inline {
                base: place.base,
                parts: place.parts.clone(),
            },
            pointer: at.clone(),
            state: State::Def(def),
            nullable: false,
            doc: None,
            started,
        });
        id
    }

    /// A `$ref` to a component schema: lowered the first time, referred to after.
    fn reference(&mut self, reference: &str, at: &Pointer) -> Lowered {
        let (name, target) = match self.resolver.lookup::<Schema>(reference) {
            Ok(found) => found,
            Err(error) => {
                self.warnings
                    .push(at, Kind::UnresolvedRef, error.to_string(), "used `json`");
                let mut lowered = Lowered::of(Ty::Json);
                lowered.comment = Some(format!(
                    "upstream: `$ref: {reference}`, which does not resolve"
                ));
                return lowered;
            }
        };
        if let Some(&id) = self.components.get(name) {
            return self.refer(id);
        }
        let id = self.types.entries.len();
        let pointer = Pointer::component("schemas", name);
        self.types.entries.push(Entry {
            origin: Origin::Component {
                name: name.to_owned(),
            },
            pointer: pointer.clone(),
            state: State::Pending,
            nullable: false,
            doc: None,
            started: self.started,
        });
        self.started += 1;
        self.components.insert(name, id);
        self.type_at.insert(pointer.clone(), id);
        let place = Place {
            base: Base::Type(id),
            parts: Vec::new(),
        };
        let (state, nullable, doc) = match target {
            ReferenceOr::Reference { reference } => {
                let lowered = self.reference(reference, &pointer);
                (State::Alias(lowered.ty), lowered.nullable, lowered.doc)
            }
            ReferenceOr::Item(schema) => {
                self.depth += 1;
                let shape = self.shape(schema, &pointer, &place);
                self.depth -= 1;
                let data = &schema.schema_data;
                let doc = doc_of(data).or(shape.doc);
                let state = match shape.out {
                    Out::Expr(ty) => State::Alias(ty),
                    Out::Def(kind, mut comments) => {
                        comments.extend(shape.comment);
                        State::Def(TypeDef {
                            doc: doc.clone().unwrap_or_else(|| UNDOCUMENTED.to_owned()),
                            deprecated: deprecation(data),
                            kind,
                            comments,
                        })
                    }
                };
                (state, data.nullable || shape.nullable, doc)
            }
        };
        if let Some(entry) = self.types.entries.get_mut(id) {
            entry.state = state;
            entry.nullable = nullable;
            entry.doc = doc;
        }
        self.refer(id)
    }

    /// How a reference to component `id` reads.
    fn refer(&self, id: TypeId) -> Lowered {
        let Some(entry) = self.types.entries.get(id) else {
            return Lowered::of(Ty::Json);
        };
        let ty = match &entry.state {
            State::Alias(ty) => ty.clone(),
            State::Pending | State::Def(_) => Ty::Named(id),
        };
        Lowered {
            ty,
            nullable: entry.nullable,
            doc: entry.doc.clone(),
            deprecated: None,
            comment: None,
        }
    }

    /// What a schema's keywords make.
    fn shape(&mut self, schema: &'d Schema, at: &Pointer, place: &Place) -> Shape {
        let data = &schema.schema_data;
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(string)) => {
                let values = string
                    .enumeration
                    .iter()
                    .map(|value| value.clone().map_or(Value::Null, Value::String))
                    .collect();
                let base = self.string_type(&format_name(&string.format));
                self.enumeration(values, base, at)
            }
            SchemaKind::Type(Type::Integer(integer)) => {
                let values = integer
                    .enumeration
                    .iter()
                    .map(|value| value.map_or(Value::Null, Value::from))
                    .collect();
                let base = integer_type(&integer_format(&integer.format));
                self.enumeration(values, base, at)
            }
            SchemaKind::Type(Type::Number(number)) => {
                let values = number
                    .enumeration
                    .iter()
                    .map(|value| value.map_or(Value::Null, Value::from))
                    .collect();
                let base = number_type(&number_format(&number.format));
                self.enumeration(values, base, at)
            }
            SchemaKind::Type(Type::Boolean(boolean)) => {
                let values = boolean
                    .enumeration
                    .iter()
                    .map(|value| value.map_or(Value::Null, Value::Bool))
                    .collect();
                self.enumeration(values, Ty::Boolean, at)
            }
            SchemaKind::Type(Type::Object(object)) => self.object(
                &object.properties,
                &object.required,
                object.additional_properties.as_ref(),
                at,
                place,
            ),
            SchemaKind::Type(Type::Array(array)) => self.array(array.items.as_ref(), at, place),
            SchemaKind::OneOf { one_of } => {
                self.union(one_of, "oneOf", data.discriminator.as_ref(), at, place)
            }
            SchemaKind::AnyOf { any_of } => {
                self.union(any_of, "anyOf", data.discriminator.as_ref(), at, place)
            }
            SchemaKind::AllOf { all_of } => self.all_of(all_of, None, at, place),
            SchemaKind::Not { .. } => {
                self.warnings.push(
                    at,
                    Kind::UnsupportedSchema,
                    "`not` cannot be expressed in the spec",
                    "used `json`",
                );
                let mut shape = Shape::expr(Ty::Json);
                shape.comment = Some("upstream: `not`, which the format cannot say".to_owned());
                shape
            }
            SchemaKind::Any(any) => self.any(any, data, at, place),
        }
    }

    /// Makes the fields of a multipart body's object type that upstream says are
    /// `format: binary` (or arrays of them) files. Only there: `binary` means a file part, so a
    /// schema shared with JSON bodies stays a string everywhere else.
    pub fn mark_files(&mut self, id: TypeId, files: &[(String, bool)]) {
        let Some(Entry {
            state:
                State::Def(TypeDef {
                    kind: TypeKind::Object(object),
                    ..
                }),
            ..
        }) = self.types.entries.get_mut(id)
        else {
            return;
        };
        for (wire, field) in &mut object.fields {
            if let Some((_, list)) = files.iter().find(|(file, _)| file == wire) {
                field.ty = if *list {
                    Ty::List(Box::new(Ty::Binary))
                } else {
                    Ty::Binary
                };
            }
        }
    }

    /// A named object type with only `additional`, for a multipart body written as a map.
    pub fn map_object(&mut self, values: Ty, place: &Place, at: &Pointer) -> TypeId {
        let def = TypeDef {
            doc: UNDOCUMENTED.to_owned(),
            deprecated: None,
            kind: TypeKind::Object(Object {
                all_of: Vec::new(),
                fields: Vec::new(),
                additional: Some(values),
            }),
            comments: vec!["upstream: an object of free keys, each a part".to_owned()],
        };
        let started = self.started;
        self.started += 1;
        self.intern(def, place, at, started)
    }

    fn string_type(&self, format: &str) -> Ty {
        match format {
            "uuid" => Ty::Uuid,
            "date-time" => Ty::DateTime,
            "uri" | "url" => Ty::Uri,
            _ => Ty::String,
        }
    }

    /// A scalar, or an enum of its values.
    fn enumeration(&mut self, values: Vec<Value>, base: Ty, at: &Pointer) -> Shape {
        if values.is_empty() {
            return Shape::expr(base);
        }
        let nullable = values.iter().any(Value::is_null);
        let mut literals: Vec<Literal> = Vec::new();
        let at_enum = at.push("enum");
        for (index, value) in values.iter().enumerate() {
            let literal = match value {
                Value::Null => continue,
                Value::String(text) if text.is_empty() => {
                    self.warnings.push(
                        &at_enum.index(index),
                        Kind::EnumValue,
                        "an empty string among the enum values",
                        "left it out: the format has no variant for it (it decodes as `Unknown`)",
                    );
                    continue;
                }
                Value::String(text) => Literal::String(text.clone()),
                Value::Bool(value) => Literal::Boolean(*value),
                Value::Number(number) => match integral(number) {
                    Some(integer) => Literal::Integer(integer),
                    None => {
                        self.warnings.push(
                            &at_enum.index(index),
                            Kind::EnumValue,
                            format!("the enum value {number} is not an integer"),
                            "left it out: enum values are strings, integers or booleans",
                        );
                        continue;
                    }
                },
                other => {
                    self.warnings.push(
                        &at_enum.index(index),
                        Kind::EnumValue,
                        format!("the enum value {other} is not a scalar"),
                        "left it out",
                    );
                    continue;
                }
            };
            if literals.contains(&literal) {
                self.warnings.push(
                    &at_enum.index(index),
                    Kind::EnumValue,
                    format!("the enum lists {value} twice"),
                    "kept it once",
                );
                continue;
            }
            literals.push(literal);
        }
        let kinds: BTreeSet<u8> = literals
            .iter()
            .map(|literal| match literal {
                Literal::String(_) => 0,
                Literal::Integer(_) => 1,
                Literal::Boolean(_) => 2,
            })
            .collect();
        if kinds.len() > 1 {
            self.warnings.push(
                &at_enum,
                Kind::EnumValue,
                "the enum mixes strings, numbers and booleans",
                "wrote the schema's plain type instead of an enum",
            );
            literals.clear();
        }
        if literals.is_empty() {
            let mut shape = Shape::expr(base);
            shape.nullable = nullable;
            return shape;
        }
        let mut taken = BTreeSet::new();
        let variants = literals
            .into_iter()
            .map(|value| {
                let text = match &value {
                    Literal::String(text) => text.clone(),
                    Literal::Integer(number) => number.to_string(),
                    Literal::Boolean(value) => value.to_string(),
                };
                let default = codegen::names::pascal(&text).filter(|name| !taken.contains(name));
                let name = match default {
                    Some(default) => {
                        taken.insert(default);
                        None
                    }
                    None => {
                        let chosen =
                            naming::first_free(&naming::pascal(&text), |n| taken.contains(n), "");
                        taken.insert(chosen.clone());
                        Some(chosen)
                    }
                };
                EnumValue {
                    doc: format!("The value `{text}`."),
                    value,
                    name,
                }
            })
            .collect();
        let mut shape = Shape::def(TypeKind::Enum(variants));
        shape.nullable = nullable;
        shape
    }

    fn array(
        &mut self,
        items: Option<&'d ReferenceOr<Box<Schema>>>,
        at: &Pointer,
        place: &Place,
    ) -> Shape {
        let Some(items) = items else {
            self.warnings.push(
                at,
                Kind::UnsupportedSchema,
                "an array without `items`",
                "used `list<json>`",
            );
            return Shape::expr(Ty::List(Box::new(Ty::Json)));
        };
        let lowered = self.schema(items.into(), &at.push("items"), &place.child("Item"));
        let mut shape = Shape::expr(Ty::List(Box::new(lowered.ty)));
        shape.comment = lowered.comment;
        if lowered.nullable {
            shape.comment =
                Some("upstream: the items may be `null`, which a list cannot say".to_owned());
        }
        shape
    }

    fn object(
        &mut self,
        properties: &'d indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &'d [String],
        additional: Option<&'d AdditionalProperties>,
        at: &Pointer,
        place: &Place,
    ) -> Shape {
        let values = match additional {
            Some(AdditionalProperties::Schema(schema)) if !is_empty_schema(schema) => {
                let lowered = self.schema(
                    schema.as_ref().into(),
                    &at.push("additionalProperties"),
                    &place.child("Value"),
                );
                Some(lowered.ty)
            }
            _ => None,
        };
        if properties.is_empty() {
            if !required.is_empty() {
                self.warnings.push(
                    &at.push("required"),
                    Kind::UnknownRequired,
                    format!(
                        "`required` names {} but the object defines no properties",
                        quote_list(required)
                    ),
                    "ignored `required`",
                );
            }
            return Shape::expr(match values {
                Some(values) => Ty::Map(Box::new(values)),
                None => Ty::Object,
            });
        }
        let mut parts = Parts::default();
        self.collect_properties(properties, required, at, place, &mut parts);
        parts.additional = values;
        self.finish_object(parts, at, place)
    }

    /// Adds an inline object's properties and `required` names to `parts`.
    fn collect_properties(
        &mut self,
        properties: &'d indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &'d [String],
        at: &Pointer,
        place: &Place,
        parts: &mut Parts,
    ) {
        for (name, property) in properties {
            let lowered = self.schema(
                property.into(),
                &at.push("properties").push(name),
                &place.child(name),
            );
            let field = Field {
                ty: lowered.ty,
                doc: lowered.doc.unwrap_or_else(|| UNDOCUMENTED.to_owned()),
                optional: true,
                nullable: lowered.nullable,
                name: None,
                deprecated: lowered.deprecated,
                comment: lowered.comment,
            };
            match parts.fields.iter_mut().find(|(wire, _)| wire == name) {
                Some((_, existing)) => {
                    if existing.ty != field.ty {
                        self.warnings.push(
                            &at.push("properties").push(name),
                            Kind::AllOfConflict,
                            format!("`allOf` parts define property `{name}` with different types"),
                            "kept the last part's definition",
                        );
                    }
                    *existing = field;
                }
                None => parts.fields.push((name.clone(), field)),
            }
        }
        let mut seen = BTreeSet::new();
        for (index, name) in required.iter().enumerate() {
            if !seen.insert(name) {
                self.warnings.push(
                    &at.push("required").index(index),
                    Kind::DuplicateRequired,
                    format!("`required` lists `{name}` twice"),
                    "read it once",
                );
                continue;
            }
            parts
                .required
                .push((name.clone(), at.push("required").index(index)));
        }
    }

    /// Turns merged parts into an object type.
    fn finish_object(&mut self, mut parts: Parts, at: &Pointer, place: &Place) -> Shape {
        let mut inherited: BTreeSet<String> = BTreeSet::new();
        for member in &parts.members {
            for (wire, _) in self.types.all_fields(*member) {
                inherited.insert(wire.clone());
            }
        }
        for (name, pointer) in &parts.required {
            match parts.fields.iter_mut().find(|(wire, _)| wire == name) {
                Some((_, field)) => field.optional = false,
                None if inherited.contains(name) => self.warnings.push(
                    pointer,
                    Kind::UnknownRequired,
                    format!("`required` names `{name}`, a field of an `allOf` member"),
                    "left the member's field as the member defines it",
                ),
                None => self.warnings.push(
                    pointer,
                    Kind::UnknownRequired,
                    format!("`required` names `{name}`, which no property defines"),
                    "ignored it",
                ),
            }
        }
        // Rust names: the generator's default unless it collides or names nothing, and
        // the maintainer's rename where the names file has one.
        let type_key = self.type_key(place, at);
        let mut taken: BTreeSet<String> = BTreeSet::new();
        for member in &parts.members {
            for (wire, field) in self.types.all_fields(*member) {
                let rust = field.name.clone().or_else(|| naming::snake(wire));
                taken.extend(rust);
            }
        }
        let overrides = naming::overrides(
            parts.fields.iter().map(|(wire, _)| wire.as_str()),
            &mut taken,
        );
        for ((wire, field), chosen) in parts.fields.iter_mut().zip(overrides) {
            field.name = self
                .names
                .field_name(&type_key, wire)
                .map(str::to_owned)
                .or(chosen);
        }
        let mut shape = Shape::def(TypeKind::Object(Object {
            all_of: parts.members,
            fields: parts.fields,
            additional: parts.additional,
        }));
        if let Out::Def(_, comments) = &mut shape.out {
            comments.extend(parts.comments);
        }
        shape
    }

    /// The names-file key of the type at `place`: the component's name, or the pointer.
    fn type_key(&self, place: &Place, at: &Pointer) -> String {
        if let (Base::Type(id), true) = (place.base, place.parts.is_empty()) {
            if let Some(Entry {
                origin: Origin::Component { name },
                ..
            }) = self.types.entries.get(id)
            {
                return name.clone();
            }
        }
        at.as_str().to_owned()
    }

    fn all_of(
        &mut self,
        all_of: &'d [ReferenceOr<Schema>],
        own: Option<&'d AnySchema>,
        at: &Pointer,
        place: &Place,
    ) -> Shape {
        let own_has_fields = own.is_some_and(|any| !any.properties.is_empty());
        // Parts with no keyword but a description (or `nullable`) only describe the others.
        let describing = |part: &ReferenceOr<Schema>| {
            matches!(part, ReferenceOr::Item(schema)
                if matches!(&schema.schema_kind, SchemaKind::Any(any) if *any == AnySchema::default()))
        };
        let describing_doc = all_of
            .iter()
            .filter(|part| describing(part))
            .find_map(|part| match part {
                ReferenceOr::Item(schema) => doc_of(&schema.schema_data),
                ReferenceOr::Reference { .. } => None,
            });
        let describing_nullable = all_of.iter().any(|part| {
            describing(part)
                && matches!(part, ReferenceOr::Item(schema) if schema.schema_data.nullable)
        });
        let meaningful: Vec<(usize, &'d ReferenceOr<Schema>)> = all_of
            .iter()
            .enumerate()
            .filter(|(_, part)| !describing(part))
            .collect();
        if let ([(index, single)], false) = (meaningful.as_slice(), own_has_fields) {
            // `allOf: [{$ref: X}]` with a description or `nullable` beside it: just `X`.
            let lowered = self.schema((*single).into(), &at.push("allOf").index(*index), place);
            let mut shape = Shape::expr(lowered.ty);
            shape.nullable = lowered.nullable || describing_nullable;
            shape.comment = lowered.comment;
            shape.doc = describing_doc.or(lowered.doc);
            return shape;
        }
        let mut parts = Parts::default();
        let mut scalars: Vec<Ty> = Vec::new();
        for (index, part) in meaningful {
            let part_at = at.push("allOf").index(index);
            self.all_of_part(part.into(), &part_at, place, &mut parts, &mut scalars);
        }
        if let Some(any) = own {
            self.collect_properties(&any.properties, &any.required, at, place, &mut parts);
        }
        if !scalars.is_empty() {
            let first = scalars.first().cloned().unwrap_or(Ty::Json);
            if parts.members.is_empty() && parts.fields.is_empty() {
                if scalars.iter().all(|ty| *ty == first) {
                    return Shape::expr(first);
                }
                self.warnings.push(
                    at,
                    Kind::AllOfConflict,
                    "the `allOf` parts are of different kinds",
                    "used `json`",
                );
                return Shape::expr(Ty::Json);
            }
            self.warnings.push(
                at,
                Kind::AllOfConflict,
                "the `allOf` mixes objects and other kinds of value",
                "kept the objects' fields and left out the rest",
            );
        }
        if parts.fields.is_empty() && parts.additional.is_none() && parts.required.is_empty() {
            match parts.members.as_slice() {
                [] => return Shape::expr(Ty::Object),
                [member] => return Shape::expr(Ty::Named(*member)),
                _ => {}
            }
        }
        if parts.fields.is_empty() && parts.members.is_empty() {
            if let Some(values) = parts.additional.take() {
                return Shape::expr(Ty::Map(Box::new(values)));
            }
        }
        parts.comments.push(
            "merged from upstream `allOf`: the members' fields, then the inline parts'".to_owned(),
        );
        self.finish_object(parts, at, place)
    }

    fn all_of_part(
        &mut self,
        part: SchemaRef<'d>,
        at: &Pointer,
        place: &Place,
        parts: &mut Parts,
        scalars: &mut Vec<Ty>,
    ) {
        // An inline object (or an inline `allOf`) is merged into this one directly.
        if let SchemaRef::Inline(schema) = part {
            match &schema.schema_kind {
                SchemaKind::Type(Type::Object(object)) if object.properties.is_empty() => {
                    if let Some(AdditionalProperties::Schema(values)) =
                        &object.additional_properties
                    {
                        if !is_empty_schema(values) {
                            let lowered = self.schema(
                                values.as_ref().into(),
                                &at.push("additionalProperties"),
                                &place.child("Value"),
                            );
                            parts.additional = Some(lowered.ty);
                        }
                    }
                    for (index, name) in object.required.iter().enumerate() {
                        parts
                            .required
                            .push((name.clone(), at.push("required").index(index)));
                    }
                    return;
                }
                SchemaKind::Type(Type::Object(object)) => {
                    self.collect_properties(&object.properties, &object.required, at, place, parts);
                    return;
                }
                SchemaKind::Any(any)
                    if any_is_object(any)
                        && any.all_of.is_empty()
                        && any.one_of.is_empty()
                        && any.any_of.is_empty() =>
                {
                    self.collect_properties(&any.properties, &any.required, at, place, parts);
                    return;
                }
                SchemaKind::AllOf { all_of } if self.depth < MAX_DEPTH => {
                    self.depth += 1;
                    for (index, inner) in all_of.iter().enumerate() {
                        self.all_of_part(
                            inner.into(),
                            &at.push("allOf").index(index),
                            place,
                            parts,
                            scalars,
                        );
                    }
                    self.depth -= 1;
                    return;
                }
                _ => {}
            }
        }
        let lowered = self.schema(part, at, place);
        match lowered.ty {
            Ty::Named(id) => {
                let is_object = match self.types.entries.get(id).map(|entry| &entry.state) {
                    Some(State::Def(def)) => matches!(def.kind, TypeKind::Object(_)),
                    // Still being lowered: only an object can contain itself this way.
                    Some(State::Pending) => true,
                    _ => false,
                };
                if is_object {
                    if !parts.members.contains(&id) {
                        parts.members.push(id);
                    }
                } else {
                    self.warnings.push(
                        at,
                        Kind::AllOfConflict,
                        "an `allOf` part is an enum or a union, which an object cannot include",
                        "left it out",
                    );
                }
            }
            Ty::Object => {}
            Ty::Map(values) => parts.additional = Some(*values),
            other => scalars.push(other),
        }
    }

    fn union(
        &mut self,
        variants: &'d [ReferenceOr<Schema>],
        keyword: &str,
        discriminator: Option<&'d Discriminator>,
        at: &Pointer,
        place: &Place,
    ) -> Shape {
        let mut nullable = false;
        let mut lowered: Vec<(Ty, Option<&'d str>, usize)> = Vec::new();
        // Inline variants are named after their constant tag where they have one
        // (`OptionsA`), else by position (`OptionsVariant2`).
        let property = discriminator.map(|discriminator| discriminator.property_name.as_str());
        let hints: Vec<Option<String>> = variants
            .iter()
            .map(|variant| {
                constant_property(variant, property).or_else(|| match variant {
                    ReferenceOr::Item(schema) => schema.schema_data.title.clone(),
                    ReferenceOr::Reference { .. } => None,
                })
            })
            .collect();
        let distinct: BTreeSet<&String> = hints.iter().flatten().collect();
        let use_hints = distinct.len() == hints.iter().flatten().count();
        for (index, variant) in variants.iter().enumerate() {
            if is_null_schema(&self.resolver, variant) {
                nullable = true;
                continue;
            }
            let variant_at = at.push(keyword).index(index);
            let part = match hints.get(index) {
                Some(Some(hint)) if use_hints => hint.clone(),
                _ => format!("Variant{}", index + 1),
            };
            let one = self.schema(variant.into(), &variant_at, &place.child(&part));
            nullable |= one.nullable;
            if lowered.iter().any(|(ty, ..)| *ty == one.ty) {
                continue;
            }
            let component = match variant {
                ReferenceOr::Reference { reference } => self
                    .resolver
                    .lookup::<Schema>(reference)
                    .ok()
                    .map(|(name, _)| name),
                ReferenceOr::Item(_) => None,
            };
            lowered.push((one.ty, component, index));
        }
        let written: Vec<String> = lowered.iter().map(|(ty, ..)| self.describe(ty)).collect();
        let tys: Vec<Ty> = lowered.iter().map(|(ty, ..)| ty.clone()).collect();
        let mut shape = match tys.as_slice() {
            [] => Shape::expr(Ty::Json),
            [single] => {
                let mut shape = Shape::expr(single.clone());
                if variants.len() > 1 {
                    shape.comment =
                        Some(format!("upstream `{keyword}` of one type besides `null`"));
                }
                shape
            }
            _ => match collapse(&tys) {
                Some(ty) => {
                    let mut shape = Shape::expr(ty.clone());
                    shape.comment = Some(format!(
                        "upstream `{keyword}` of {}: written as `{}`, which holds every variant",
                        written.join(", "),
                        self.describe(&ty)
                    ));
                    shape
                }
                None => self.union_def(lowered, discriminator, keyword, at),
            },
        };
        shape.nullable |= nullable;
        shape
    }

    fn union_def(
        &mut self,
        variants: Vec<(Ty, Option<&'d str>, usize)>,
        discriminator: Option<&'d Discriminator>,
        keyword: &str,
        at: &Pointer,
    ) -> Shape {
        self.union_variants_at.insert(
            at.clone(),
            variants
                .iter()
                .map(|(ty, _, index)| (ty.clone(), *index))
                .collect(),
        );
        // How a comment names each variant: its component, its type, or its place upstream.
        let labels: Vec<String> = variants
            .iter()
            .map(|(ty, component, index)| match (ty, component) {
                (_, Some(component)) => format!("`{component}`"),
                (Ty::Named(_), None) => format!("variant {}", index + 1),
                (ty, None) => self.describe(ty),
            })
            .collect();
        let variants: Vec<(Ty, Option<&'d str>)> = variants
            .into_iter()
            .map(|(ty, component, _)| (ty, component))
            .collect();
        let mut comments = Vec::new();
        let (property, tags) = match discriminator {
            Some(discriminator) => {
                let property = discriminator.property_name.clone();
                let tags: Option<Vec<String>> = variants
                    .iter()
                    .map(|(ty, component)| self.tag(ty, *component, &property, Some(discriminator)))
                    .collect();
                if tags.is_none() {
                    self.warnings.push(
                        &at.push("discriminator"),
                        Kind::UnsupportedSchema,
                        format!(
                            "a variant lacks the discriminator `{property}` or is not an object"
                        ),
                        "wrote a union without a discriminator, tried in order",
                    );
                }
                (Some(property), tags)
            }
            None => match self.inferred_discriminator(&variants) {
                Some((property, tags)) => {
                    comments.push(format!(
                        "discriminated by `{property}`: every variant has a distinct constant value there"
                    ));
                    (Some(property), Some(tags))
                }
                None => (None, None),
            },
        };
        let mut variants: Vec<Variant> = match (&property, tags) {
            (Some(_), Some(tags)) => variants
                .into_iter()
                .zip(tags)
                .map(|((ty, _), tag)| Variant { ty, tag: Some(tag) })
                .collect(),
            _ => variants
                .into_iter()
                .map(|(ty, _)| Variant { ty, tag: None })
                .collect(),
        };
        let discriminated = variants.iter().all(|variant| variant.tag.is_some());
        if !discriminated {
            let mut order: Vec<usize> = (0..variants.len()).collect();
            order.sort_by_key(|index| {
                variants
                    .get(*index)
                    .map(|variant| self.specificity(&variant.ty))
            });
            if order.windows(2).any(|pair| pair.first() > pair.get(1)) {
                let upstream: Vec<String> = labels.clone();
                let mut sorted: Vec<Variant> = Vec::with_capacity(variants.len());
                for index in &order {
                    if let Some(variant) = variants.get(*index) {
                        sorted.push(variant.clone());
                    }
                }
                variants = sorted;
                comments.push(format!(
                    "variants ordered most specific first, as a union tries them in order; upstream `{keyword}` lists {}",
                    upstream.join(", ")
                ));
            }
        }
        let mut shape = Shape::def(TypeKind::Union(Union {
            discriminator: property.filter(|_| discriminated),
            variants,
        }));
        if let Out::Def(_, written) = &mut shape.out {
            written.extend(comments);
        }
        shape
    }

    /// The discriminator value of one variant: from the document's mapping, the variant's
    /// constant field, or (as OpenAPI says) the component's name.
    fn tag(
        &self,
        ty: &Ty,
        component: Option<&str>,
        property: &str,
        discriminator: Option<&Discriminator>,
    ) -> Option<String> {
        let Ty::Named(id) = ty else { return None };
        self.types.object(*id)?;
        let field = self
            .types
            .all_fields(*id)
            .into_iter()
            .find(|(wire, _)| wire == property)
            .map(|(_, field)| field)?;
        // A tag is a string: a union told apart by a boolean is tried in order instead.
        let string_valued = match &field.ty {
            Ty::String => true,
            Ty::Named(id) => matches!(
                self.types.def(*id).map(|def| &def.kind),
                Some(crate::model::Kind::Enum(values))
                    if values.iter().all(|value| matches!(value.value, crate::model::Literal::String(_)))
            ),
            _ => false,
        };
        if !string_valued {
            return None;
        }
        if let (Some(discriminator), Some(component)) = (discriminator, component) {
            let mapped = discriminator.mapping.iter().find(|(_, target)| {
                openapi::component_name(target, "schemas").as_deref() == Some(component)
            });
            if let Some((value, _)) = mapped {
                return Some(value.clone());
            }
        }
        if let Some(constant) = self.types.constant(&field.ty) {
            return Some(constant.to_owned());
        }
        discriminator.and(component).map(str::to_owned)
    }

    /// A property every variant has with a distinct constant value, if there is one.
    fn inferred_discriminator(
        &self,
        variants: &[(Ty, Option<&str>)],
    ) -> Option<(String, Vec<String>)> {
        let (Ty::Named(first), _) = variants.first()? else {
            return None;
        };
        let candidates: Vec<String> = self
            .types
            .all_fields(*first)
            .into_iter()
            .filter(|(_, field)| self.types.constant(&field.ty).is_some())
            .map(|(wire, _)| wire.clone())
            .collect();
        candidates.into_iter().find_map(|property| {
            let tags: Option<Vec<String>> = variants
                .iter()
                .map(|(ty, _)| self.tag(ty, None, &property, None))
                .collect();
            let tags = tags?;
            let distinct: BTreeSet<&String> = tags.iter().collect();
            (distinct.len() == tags.len()).then_some((property, tags))
        })
    }

    /// How specific a variant is: lower is tried first. Objects with more required fields
    /// first, then lists, enums, formatted strings, numbers, strings, and anything last.
    fn specificity(&self, ty: &Ty) -> (u8, usize) {
        match ty {
            Ty::Named(id) => match self.types.def(*id).map(|def| &def.kind) {
                Some(TypeKind::Object(_)) => {
                    let required = self
                        .types
                        .all_fields(*id)
                        .iter()
                        .filter(|(_, field)| !field.optional)
                        .count();
                    (0, usize::MAX - required)
                }
                Some(TypeKind::Union(_)) => (1, 0),
                Some(TypeKind::Enum(_)) => (3, 0),
                None => (0, usize::MAX),
            },
            Ty::List(_) => (2, 0),
            Ty::Uuid | Ty::DateTime => (4, 0),
            Ty::Uri => (5, 0),
            Ty::Boolean => (6, 0),
            Ty::Int32 | Ty::Int64 | Ty::Uint64 | Ty::Integer => (7, 0),
            Ty::Float | Ty::Double | Ty::Number => (8, 0),
            Ty::String | Ty::Binary => (9, 0),
            Ty::Map(_) => (10, 0),
            Ty::Object => (11, 0),
            Ty::Json => (12, 0),
        }
    }

    /// A type as the spec will write it, for comments (inline types by their place).
    pub fn describe(&self, ty: &Ty) -> String {
        match ty {
            Ty::List(inner) => format!("list<{}>", self.describe(inner)),
            Ty::Map(inner) => format!("map<{}>", self.describe(inner)),
            Ty::Named(id) => match self.types.entries.get(*id).map(|entry| &entry.origin) {
                Some(Origin::Component { name }) => format!("`{name}`"),
                _ => "an inline type".to_owned(),
            },
            scalar => scalar_name(scalar).to_owned(),
        }
    }

    /// A schema whose keywords openapiv3 could not fit into one typed variant.
    fn any(
        &mut self,
        any: &'d AnySchema,
        data: &'d SchemaData,
        at: &Pointer,
        place: &Place,
    ) -> Shape {
        if !any.one_of.is_empty() {
            return self.union(&any.one_of, "oneOf", data.discriminator.as_ref(), at, place);
        }
        if !any.any_of.is_empty() {
            return self.union(&any.any_of, "anyOf", data.discriminator.as_ref(), at, place);
        }
        if any.not.is_some() {
            self.warnings.push(
                at,
                Kind::UnsupportedSchema,
                "`not` cannot be expressed in the spec",
                "used `json`",
            );
            return Shape::expr(Ty::Json);
        }
        if !any.all_of.is_empty() {
            return self.all_of(&any.all_of, Some(any), at, place);
        }
        let format = any.format.clone().unwrap_or_default();
        let values = any.enumeration.clone();
        match any.typ.as_deref() {
            Some("string") => {
                let base = self.string_type(&format);
                self.enumeration(values, base, at)
            }
            Some("integer") => self.enumeration(values, integer_type(&format), at),
            Some("number") => self.enumeration(values, number_type(&format), at),
            Some("boolean") => self.enumeration(values, Ty::Boolean, at),
            Some("array") => self.array(any.items.as_ref(), at, place),
            Some("object") => self.object(
                &any.properties,
                &any.required,
                any.additional_properties.as_ref(),
                at,
                place,
            ),
            Some("null") => {
                let mut shape = Shape::expr(Ty::Json);
                shape.nullable = true;
                shape
            }
            Some(other) => {
                self.warnings.push(
                    at,
                    Kind::UnsupportedSchema,
                    format!("unknown type `{other}`"),
                    "used `json`",
                );
                Shape::expr(Ty::Json)
            }
            None if any_is_object(any) => self.object(
                &any.properties,
                &any.required,
                any.additional_properties.as_ref(),
                at,
                place,
            ),
            None if any.items.is_some() => self.array(any.items.as_ref(), at, place),
            None if !values.is_empty() => {
                let base = match values.iter().find(|value| !value.is_null()) {
                    Some(Value::Bool(_)) => Ty::Boolean,
                    Some(Value::Number(_)) => Ty::Integer,
                    _ => Ty::String,
                };
                self.enumeration(values, base, at)
            }
            None => Shape::expr(Ty::Json),
        }
    }
}

/// The parts of an object being built: `allOf` members, fields, `required` names.
#[derive(Default)]
struct Parts {
    members: Vec<TypeId>,
    fields: Vec<(String, Field)>,
    required: Vec<(String, Pointer)>,
    additional: Option<Ty>,
    comments: Vec<String>,
}

/// A union whose variants one type holds: strings of any format with a plain string, or
/// numbers of any width.
fn collapse(tys: &[Ty]) -> Option<Ty> {
    let strings = tys
        .iter()
        .all(|ty| matches!(ty, Ty::String | Ty::Uuid | Ty::DateTime | Ty::Uri));
    if strings && tys.contains(&Ty::String) {
        return Some(Ty::String);
    }
    let integers = tys
        .iter()
        .all(|ty| matches!(ty, Ty::Integer | Ty::Int32 | Ty::Int64 | Ty::Uint64));
    if integers {
        return Some(Ty::Integer);
    }
    let numbers = tys.iter().all(|ty| {
        matches!(
            ty,
            Ty::Integer | Ty::Int32 | Ty::Int64 | Ty::Uint64 | Ty::Number | Ty::Float | Ty::Double
        )
    });
    numbers.then_some(Ty::Number)
}

pub fn scalar_name(ty: &Ty) -> &'static str {
    match ty {
        Ty::String => "string",
        Ty::Boolean => "boolean",
        Ty::Integer => "integer",
        Ty::Int32 => "int32",
        Ty::Int64 => "int64",
        Ty::Uint64 => "uint64",
        Ty::Number => "number",
        Ty::Float => "float",
        Ty::Double => "double",
        Ty::Uuid => "uuid",
        Ty::DateTime => "date-time",
        Ty::Uri => "uri",
        Ty::Json => "json",
        Ty::Object => "object",
        Ty::Binary => "binary",
        Ty::List(_) => "list",
        Ty::Map(_) => "map",
        Ty::Named(_) => "named",
    }
}

fn any_is_object(any: &AnySchema) -> bool {
    !any.properties.is_empty() || !any.required.is_empty() || any.additional_properties.is_some()
}

/// `{}`: any value.
fn is_empty_schema(schema: &ReferenceOr<Schema>) -> bool {
    matches!(schema, ReferenceOr::Item(schema)
        if matches!(&schema.schema_kind, SchemaKind::Any(any) if *any == AnySchema::default()))
}

/// The value of an inline object's constant property (a single-value string `enum`): the
/// `discriminator` property when one is given, else the first such property.
fn constant_property(schema: &ReferenceOr<Schema>, property: Option<&str>) -> Option<String> {
    let ReferenceOr::Item(schema) = schema else {
        return None;
    };
    let properties = match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) => &object.properties,
        SchemaKind::Any(any) => &any.properties,
        _ => return None,
    };
    let constant = |schema: &ReferenceOr<Box<Schema>>| match schema {
        ReferenceOr::Item(schema) => match &schema.schema_kind {
            SchemaKind::Type(Type::String(string)) => match string.enumeration.as_slice() {
                [Some(value)] => Some(value.clone()),
                _ => None,
            },
            _ => None,
        },
        ReferenceOr::Reference { .. } => None,
    };
    match property {
        Some(property) => properties.get(property).and_then(constant),
        None => properties.values().find_map(constant),
    }
}

/// A variant that only allows `null` (`type: "null"`, or `enum: [null]`).
fn is_null_schema(resolver: &Resolver<'_>, schema: &ReferenceOr<Schema>) -> bool {
    let Ok(resolved) = resolver.schema(schema.into()) else {
        return false;
    };
    match &resolved.item.schema_kind {
        SchemaKind::Any(any) => {
            any.typ.as_deref() == Some("null")
                || (!any.enumeration.is_empty() && any.enumeration.iter().all(Value::is_null))
        }
        SchemaKind::Type(Type::String(string)) => {
            !string.enumeration.is_empty() && string.enumeration.iter().all(Option::is_none)
        }
        _ => false,
    }
}

fn doc_of(data: &SchemaData) -> Option<String> {
    data.description
        .as_deref()
        .or(data.title.as_deref())
        .map(str::trim)
        .filter(|text| !text.is_empty())
        .map(str::to_owned)
}

/// `deprecated: true` (an empty note) or the vendor's deprecation message.
pub fn deprecation(data: &SchemaData) -> Option<String> {
    let message = data
        .extensions
        .get("x-stainless-deprecation-message")
        .and_then(Value::as_str)
        .map(|text| text.trim().to_owned());
    message.or_else(|| data.deprecated.then(String::new))
}

fn format_name(format: &VariantOrUnknownOrEmpty<StringFormat>) -> String {
    match format {
        VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => "date-time".to_owned(),
        VariantOrUnknownOrEmpty::Item(StringFormat::Binary) => "binary".to_owned(),
        VariantOrUnknownOrEmpty::Item(_) | VariantOrUnknownOrEmpty::Empty => String::new(),
        VariantOrUnknownOrEmpty::Unknown(format) => format.clone(),
    }
}

fn integer_format(format: &VariantOrUnknownOrEmpty<IntegerFormat>) -> String {
    match format {
        VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => "int32".to_owned(),
        VariantOrUnknownOrEmpty::Item(IntegerFormat::Int64) => "int64".to_owned(),
        VariantOrUnknownOrEmpty::Unknown(format) => format.clone(),
        VariantOrUnknownOrEmpty::Empty => String::new(),
    }
}

fn number_format(format: &VariantOrUnknownOrEmpty<NumberFormat>) -> String {
    match format {
        VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => "float".to_owned(),
        VariantOrUnknownOrEmpty::Item(NumberFormat::Double) => "double".to_owned(),
        VariantOrUnknownOrEmpty::Unknown(format) => format.clone(),
        VariantOrUnknownOrEmpty::Empty => String::new(),
    }
}

fn integer_type(format: &str) -> Ty {
    match format {
        "int32" => Ty::Int32,
        "int64" => Ty::Int64,
        "uint64" => Ty::Uint64,
        _ => Ty::Integer,
    }
}

/// A `number`'s width; an integer format on a `number` is not trusted to mean whole values.
fn number_type(format: &str) -> Ty {
    match format {
        "float" => Ty::Float,
        "double" => Ty::Double,
        _ => Ty::Number,
    }
}

/// An integer, or a float with no fraction that fits one (`86400.0`, as some documents
/// write durations).
fn integral(number: &serde_json::Number) -> Option<i64> {
    number.as_i64().or_else(|| {
        let float = number.as_f64()?;
        let fits = float.fract() == 0.0 && float.abs() < 9.0e15;
        // Exact: a whole number below 2^53 converts without loss.
        fits.then_some(float as i64)
    })
}

fn quote_list(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|name| format!("`{name}`")).collect();
    quoted.join(", ")
}
