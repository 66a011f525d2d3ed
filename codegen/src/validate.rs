//! Stage 2: semantic checks that serde cannot express.
//!
//! Every check runs and every problem is collected, so one run of the generator reports all
//! of them, each at its place in the file. Later stages rely on what is checked here: names
//! convert to distinct identifiers, type references resolve, path templates match their
//! declared parameters.

use std::collections::{BTreeMap, BTreeSet};

use crate::compose;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::load::{Loaded, SourceMap};
use crate::names;
use crate::path_template::{PathTemplate, Segment};
use crate::spec::{
    Body, BodyFormat, EnumValue, Field, HttpMethod, Literal, Operation, Pagination, Param,
    Resource, ResponseKind, Spec, TypeDef, TypeExpr, Union, BUILTIN_NAMES,
};

/// Module names of the runtime that a top-level resource must not take.
pub const RESERVED_MODULES: &[&str] = &["client", "error", "request", "retry", "types"];

/// Cargo features of the generated crate that a product (a top-level resource of a crate of
/// several) must not take as its own.
pub const RESERVED_FEATURES: &[&str] = &["default", crate::ir::FULL_FEATURE, "tracing"];

/// Type names the generated `types` module imports or declares itself; a model of the same
/// name would shadow them.
pub const RESERVED_TYPE_NAMES: &[&str] = &[
    "BTreeMap",
    "Binary",
    "Box",
    "DateTime",
    "Deserialize",
    "Deserializer",
    "FieldVisitor",
    "MapAccess",
    "Option",
    "Result",
    "Serialize",
    "Serializer",
    "String",
    "Text",
    "Unmatched",
    "Upload",
    "Utc",
    "Uuid",
    "Vec",
    "Visitor",
];

/// Headers the runtime sends itself, lower case: a header parameter of the same name would
/// replace the credentials or the media types, or the runtime would replace it.
pub const CLIENT_HEADERS: &[&str] = &[
    "accept",
    "authorization",
    "content-length",
    "content-type",
    "host",
    "user-agent",
    "x-auth-email",
    "x-auth-key",
    "x-auth-user-service-key",
];

/// Method names every resource handle defines itself (its constructor), which its
/// operations and child resources cannot take.
pub const RESERVED_HANDLE_METHODS: &[&str] = &["new"];

/// Checks `loaded.spec`; on failure every problem is returned, in source order.
pub fn validate(loaded: &Loaded) -> Result<(), Diagnostics> {
    let mut checker = Checker {
        spec: &loaded.spec,
        map: &loaded.source_map,
        // Keys written twice are found while loading; they are reported with the rest.
        found: loaded.source_map.duplicate_keys().to_vec(),
        composition_reported: false,
        unreported: Vec::new(),
    };
    checker.crate_meta();
    checker.types();
    checker.resources();
    if checker.found.is_empty() {
        Ok(())
    } else {
        let mut found = checker.found;
        found.sort();
        found.dedup();
        Err(Diagnostics(found))
    }
}

struct Checker<'a> {
    spec: &'a Spec,
    map: &'a SourceMap,
    found: Vec<Diagnostic>,
    /// Whether a problem of `all_of` has been reported.
    composition_reported: bool,
    /// Types whose `all_of` could not be merged, left for the type where the problem
    /// arises to report.
    unreported: Vec<(String, compose::Conflict)>,
}

impl Checker<'_> {
    fn key(&mut self, path: &[&str], message: impl Into<String>) {
        self.found.push(self.map.at_key(path, message));
    }

    fn value(&mut self, path: &[&str], message: impl Into<String>) {
        self.found.push(self.map.at_value(path, message));
    }

    fn crate_meta(&mut self) {
        let meta = &self.spec.krate;
        let valid_name = !meta.name.is_empty()
            && meta
                .name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
            && meta.name.starts_with(|c: char| c.is_ascii_lowercase());
        if !valid_name {
            self.value(
                &["crate", "name"],
                format!(
                    "invalid crate name '{}': expected lowercase letters, digits, '-' or '_'",
                    meta.name
                ),
            );
        }
        if !is_version(&meta.version, 3) {
            self.value(
                &["crate", "version"],
                format!(
                    "invalid crate version '{}': expected MAJOR.MINOR.PATCH, such as 0.1.0",
                    meta.version
                ),
            );
        }
        if !is_version(&meta.rust_version, 2) {
            self.value(
                &["crate", "rust_version"],
                format!(
                    "invalid rust_version '{}': expected MAJOR.MINOR or MAJOR.MINOR.PATCH, such \
                     as \"1.80\"",
                    meta.rust_version
                ),
            );
        }
        for (key, value) in [
            ("version", &meta.version),
            ("description", &meta.description),
            ("license", &meta.license),
            ("repository", &meta.repository),
            ("rust_version", &meta.rust_version),
            ("doc", &meta.doc),
        ] {
            if value.trim().is_empty() {
                self.value(&["crate", key], format!("`crate.{key}` must not be empty"));
            }
        }
        if !(self.spec.base_url.starts_with("https://")
            || self.spec.base_url.starts_with("http://"))
        {
            self.value(
                &["base_url"],
                format!(
                    "base_url '{}' must start with https:// or http://",
                    self.spec.base_url
                ),
            );
        }
    }

    fn types(&mut self) {
        let mut rust_names: BTreeMap<String, &str> = BTreeMap::new();
        for (name, def) in &self.spec.types {
            let at = ["types", name.as_str()];
            match TypeExpr::parse(name) {
                Ok(TypeExpr::Named(_)) => {}
                _ => self.key(&at, format!("type name '{name}' must be PascalCase (letters and digits, starting with an uppercase letter)")),
            }
            if RESERVED_TYPE_NAMES.contains(&name.as_str()) {
                self.key(
                    &at,
                    format!(
                        "type name '{name}' is reserved: the generated code uses `{name}` itself"
                    ),
                );
            }
            if let Some(rust) = names::pascal(name) {
                if let Some(previous) = rust_names.insert(rust.clone(), name) {
                    self.key(
                        &at,
                        format!("type '{name}' and type '{previous}' both become `{rust}` in Rust"),
                    );
                }
            }
            self.doc(&["types", name, "doc"], &def.doc);
            self.type_def(name, def);
        }
        // Left to another type, which is expected to report it; should none have, a type
        // that cannot be merged must still be refused.
        if !self.composition_reported {
            for (name, conflict) in std::mem::take(&mut self.unreported) {
                self.key(&["types", name.as_str(), "all_of"], conflict.to_string());
            }
        }
        self.binary_uses();
    }

    fn type_def(&mut self, name: &str, def: &TypeDef) {
        let at = ["types", name];
        let kinds = [
            def.is_object()
                .then_some("an object (`fields`, `all_of`, `additional`)"),
            def.variants.is_some().then_some("an enum"),
            def.union.is_some().then_some("a union"),
        ];
        let kinds: Vec<&str> = kinds.into_iter().flatten().collect();
        match kinds.as_slice() {
            [] => self.key(
                &at,
                format!(
                    "type '{name}' needs `fields`, `all_of` or `additional` (an object), `enum` \
                     or `union`"
                ),
            ),
            [_] => {}
            [first, second, ..] => self.key(
                &at,
                format!("type '{name}' is both {first} and {second}; a type is one kind"),
            ),
        }
        if def.is_object() {
            self.object(name, def);
        }
        if let Some(values) = &def.variants {
            self.enum_values(name, values);
        }
        if let Some(union) = &def.union {
            self.union(name, union);
        }
    }

    fn object(&mut self, name: &str, def: &TypeDef) {
        let mut seen: BTreeMap<String, &str> = BTreeMap::new();
        for (field_name, field) in def.fields.iter().flatten() {
            let path = ["types", name, "fields", field_name.as_str()];
            self.field_name(&path, field_name, field.name.as_deref(), "field", &mut seen);
            self.field(&path, field);
        }
        let mut members_are_objects = true;
        for (index, member) in def.all_of.iter().flatten().enumerate() {
            let index = index.to_string();
            let path = ["types", name, "all_of", index.as_str()];
            members_are_objects &= self.all_of_member(&path, member);
        }
        if let Some(additional) = &def.additional {
            self.type_ref(&["types", name, "additional"], additional);
        }
        if def.all_of.is_some() && members_are_objects {
            self.composition(name, def);
        }
    }

    /// Whether an `all_of` member is an object type; says why when it is not.
    fn all_of_member(&mut self, path: &[&str], member: &TypeExpr) -> bool {
        self.type_ref(path, member);
        let TypeExpr::Named(named) = member else {
            self.composition_reported = true;
            self.value(
                path,
                format!(
                    "`all_of` member `{member}` is a built-in type; `all_of` lists object types \
                     from `types`, whose fields it merges"
                ),
            );
            return false;
        };
        match self.spec.types.get(named) {
            // Reported as an unknown type.
            None => {
                self.composition_reported = true;
                false
            }
            Some(def) if def.is_object() => true,
            Some(def) => {
                let kind = if def.union.is_some() {
                    "a union"
                } else {
                    "an enum"
                };
                self.composition_reported = true;
                self.value(
                    path,
                    format!(
                        "`all_of` member '{named}' is {kind}; `all_of` merges the fields of \
                         object types"
                    ),
                );
                false
            }
        }
    }

    /// What `all_of` cannot merge, reported once: where it arises, not again at every type
    /// that includes that one.
    fn composition(&mut self, name: &str, def: &TypeDef) {
        let spec = self.spec;
        let member_fails = def
            .all_of
            .iter()
            .flatten()
            .filter_map(TypeExpr::named)
            .any(|member| compose::compose(spec, member).is_err());
        let conflict = match compose::compose(spec, name) {
            Ok(composed) => return self.merged_names(name, def, &composed),
            Err(conflict) => conflict,
        };
        let (path, report) = match &conflict {
            compose::Conflict::Cycle { through } => {
                // `through` starts at `name`; the cycle is from where its last type first
                // appears. Each type on it finds the same cycle: the first in the spec
                // reports it, at the member that leads into it.
                let start = through
                    .iter()
                    .position(|seen| Some(seen) == through.last())
                    .unwrap_or_default();
                let first = through[start..]
                    .iter()
                    .filter_map(|seen| spec.types.get_index_of(seen))
                    .min();
                let on_cycle = start == 0;
                let member = through.get(1).and_then(|next| {
                    def.all_of
                        .iter()
                        .flatten()
                        .position(|member| member.named() == Some(next.as_str()))
                });
                let path = match member {
                    Some(index) => vec![
                        "types".to_owned(),
                        name.to_owned(),
                        "all_of".to_owned(),
                        index.to_string(),
                    ],
                    None => vec!["types".to_owned(), name.to_owned(), "all_of".to_owned()],
                };
                let report = if on_cycle {
                    first == spec.types.get_index_of(name)
                } else {
                    !member_fails
                };
                (path, report)
            }
            compose::Conflict::FieldTypes {
                field, second_in, ..
            } if second_in == name => (
                vec![
                    "types".to_owned(),
                    name.to_owned(),
                    "fields".to_owned(),
                    field.clone(),
                    "type".to_owned(),
                ],
                !member_fails,
            ),
            compose::Conflict::FieldTypes {
                field, second_in, ..
            } => {
                // At the member that brings in the second definition.
                let member = def.all_of.iter().flatten().position(|member| {
                    member.named().is_some_and(|member| {
                        compose::compose(spec, member).is_ok_and(|composed| {
                            composed.defined_in(field) == Some(second_in.as_str())
                        })
                    })
                });
                let mut path = vec!["types".to_owned(), name.to_owned(), "all_of".to_owned()];
                path.extend(member.map(|index| index.to_string()));
                (path, !member_fails)
            }
            compose::Conflict::NotAnObject { .. } => (
                vec!["types".to_owned(), name.to_owned(), "all_of".to_owned()],
                !member_fails,
            ),
        };
        if report {
            self.composition_reported = true;
            let path: Vec<&str> = path.iter().map(String::as_str).collect();
            self.value(&path, conflict.to_string());
        } else {
            self.unreported.push((name.to_owned(), conflict));
        }
    }

    /// Fields that are distinct in each part of a composed type may still collide once
    /// merged. A collision within the type's own fields, or within one member, is reported
    /// there.
    fn merged_names(&mut self, name: &str, def: &TypeDef, composed: &compose::Composed) {
        let spec = self.spec;
        let own: BTreeSet<&str> = def
            .fields
            .iter()
            .flatten()
            .map(|(wire, _)| wire.as_str())
            .collect();
        let members: Vec<BTreeSet<String>> = def
            .all_of
            .iter()
            .flatten()
            .filter_map(TypeExpr::named)
            .filter_map(|member| compose::compose(spec, member).ok())
            .map(|member| member.fields.into_keys().collect())
            .collect();
        let reported_elsewhere = |a: &str, b: &str| {
            (own.contains(a) && own.contains(b))
                || members
                    .iter()
                    .any(|member| member.contains(a) && member.contains(b))
        };
        let mut merged: BTreeMap<String, &str> = BTreeMap::new();
        for (wire, field) in &composed.fields {
            let Some(rust) = field.name.clone().or_else(|| names::snake(wire)) else {
                continue;
            };
            let Some(previous) = merged.insert(rust.clone(), wire) else {
                continue;
            };
            if reported_elsewhere(wire, previous) {
                continue;
            }
            let from = |wire: &str| composed.defined_in(wire).unwrap_or(name).to_owned();
            let message = format!(
                "field '{wire}' of '{}' and field '{previous}' of '{}' both become `{rust}` in \
                 Rust once `all_of` merges them; give one a `name`",
                from(wire),
                from(previous)
            );
            if own.contains(wire.as_str()) {
                self.key(&["types", name, "fields", wire], message);
            } else if own.contains(previous) {
                self.key(&["types", name, "fields", previous], message);
            } else {
                self.key(&["types", name, "all_of"], message);
            }
        }
    }

    fn enum_values(&mut self, name: &str, variants: &[EnumValue]) {
        let at = ["types", name];
        if variants.is_empty() {
            self.key(&at, format!("enum '{name}' has no values"));
        }
        let mut wire: BTreeSet<&Literal> = BTreeSet::new();
        let mut rust: BTreeMap<String, String> = BTreeMap::new();
        let kind = variants.first().map(|variant| variant.value.kind());
        for (index, variant) in variants.iter().enumerate() {
            let index = index.to_string();
            let path = ["types", name, "enum", index.as_str(), "value"];
            if Some(variant.value.kind()) != kind {
                self.value(
                    &path,
                    format!(
                        "enum '{name}' mixes kinds of values: '{}' is {} {}, the first value is \
                         {} {}; quote numbers and booleans meant as strings",
                        variant.value,
                        article(variant.value.kind()),
                        variant.value.kind(),
                        article(kind.unwrap_or_default()),
                        kind.unwrap_or_default()
                    ),
                );
                continue;
            }
            if variant.value == Literal::String(String::new()) {
                self.value(&path, format!("enum '{name}' has an empty value"));
                continue;
            }
            if !wire.insert(&variant.value) {
                self.value(
                    &path,
                    format!("enum '{name}' lists '{}' twice", variant.value),
                );
                continue;
            }
            let name_path = ["types", name, "enum", index.as_str(), "name"];
            let variant_name = match &variant.name {
                Some(given) => {
                    if let Some(problem) = variant_name_problem(given) {
                        self.value(&name_path, problem);
                        continue;
                    }
                    Some(given.clone())
                }
                None => names::enum_variant(&variant.value),
            };
            match variant_name {
                None => self.value(
                    &path,
                    format!(
                        "enum value '{}' has no letters or digits to name a variant after; \
                         give it a `name`",
                        variant.value
                    ),
                ),
                Some(variant_name) => {
                    if let Some(previous) =
                        rust.insert(variant_name.clone(), variant.value.to_string())
                    {
                        if variant.name.is_some() {
                            self.value(&name_path, format!("enum value '{}' is given the variant name `{variant_name}`, which value '{previous}' already has; choose another `name`", variant.value));
                        } else {
                            self.value(&path, format!("enum values '{}' and '{previous}' both become the variant `{variant_name}`; give one a `name`", variant.value));
                        }
                    }
                }
            }
            self.doc(
                &["types", name, "enum", index.as_str(), "doc"],
                &variant.doc,
            );
        }
    }

    fn union(&mut self, name: &str, union: &Union) {
        let at = ["types", name, "union"];
        if union.variants.is_empty() {
            self.key(&at, format!("union '{name}' has no variants"));
        }
        let mut rust: BTreeMap<String, String> = BTreeMap::new();
        let mut tags: BTreeMap<&str, String> = BTreeMap::new();
        let mut tag_reported = false;
        for (index, variant) in union.variants.iter().enumerate() {
            let index = index.to_string();
            let path = ["types", name, "union", "variants", index.as_str()];
            let sub = |key: &'static str| [&path[..], &[key]].concat();
            self.type_ref(&sub("type"), &variant.ty);
            if let TypeExpr::Named(variant_type) = &variant.ty {
                if self.union_reaches(variant_type, name, &mut BTreeSet::new()) {
                    self.value(
                        &sub("type"),
                        format!(
                            "union '{name}' is its own variant through `{variant_type}`, with no \
                             object in between: decoding it would never end"
                        ),
                    );
                }
            }
            let variant_name = match &variant.name {
                Some(given) => match variant_name_problem(given) {
                    Some(problem) => {
                        self.value(&sub("name"), problem);
                        None
                    }
                    None => Some(given.clone()),
                },
                None => Some(names::union_variant(&variant.ty)),
            };
            if let Some(variant_name) = variant_name {
                if let Some(previous) = rust.insert(variant_name.clone(), variant.ty.to_string()) {
                    if variant.name.is_some() {
                        self.value(&sub("name"), format!("the variant of `{}` is given the name `{variant_name}`, which the variant of `{previous}` already has; choose another `name`", variant.ty));
                    } else {
                        self.key(&path, format!("variants of `{}` and `{previous}` are both called `{variant_name}`; give one a `name`", variant.ty));
                    }
                }
            }
            if let Some(doc) = &variant.doc {
                self.doc(&sub("doc"), doc);
            }
            match (&union.discriminator, &variant.tag) {
                // One missing discriminator, however many tags need it.
                (None, Some(_)) if !tag_reported => {
                    tag_reported = true;
                    self.key(
                        &sub("tag"),
                        format!(
                            "`tag` is the value of the union's `discriminator`, and union \
                             '{name}' has none; add `discriminator: <property>` to the union, or \
                             remove the tags"
                        ),
                    );
                }
                (None, _) => {}
                (Some(property), None) => self.key(
                    &path,
                    format!(
                        "variant `{}` needs a `tag`: the value of '{property}' that selects it",
                        variant.ty
                    ),
                ),
                (Some(property), Some(tag)) => {
                    if let Some(previous) = tags.insert(tag, variant.ty.to_string()) {
                        self.value(
                            &sub("tag"),
                            format!("tag '{tag}' already selects `{previous}`"),
                        );
                    }
                    self.discriminated_variant(&path, property, &variant.ty, tag);
                }
            }
        }
    }

    /// Whether the union `from` has `target` among its variants, directly or through
    /// variants that are unions themselves.
    fn union_reaches<'s>(
        &'s self,
        from: &'s str,
        target: &str,
        seen: &mut BTreeSet<&'s str>,
    ) -> bool {
        if from == target {
            return true;
        }
        if !seen.insert(from) {
            return false;
        }
        let Some(union) = self.spec.types.get(from).and_then(|def| def.union.as_ref()) else {
            return false;
        };
        union.variants.iter().any(|variant| match &variant.ty {
            TypeExpr::Named(next) => self.union_reaches(next, target, seen),
            _ => false,
        })
    }

    /// A variant of a discriminated union is an object type that requires the
    /// discriminator as a field: a string, or an enum of strings that has the variant's tag
    /// among its values, so that what it encodes decodes back as the same variant.
    fn discriminated_variant(&mut self, path: &[&str], property: &str, ty: &TypeExpr, tag: &str) {
        let type_path = [path, &["type"]].concat();
        let TypeExpr::Named(variant) = ty else {
            self.value(
                &type_path,
                format!(
                    "a variant of a union with a discriminator is an object type that has the \
                     discriminator '{property}' as a field; `{ty}` is a built-in type"
                ),
            );
            return;
        };
        match self.spec.types.get(variant) {
            Some(def) if def.is_object() => {}
            Some(def) => {
                let kind = if def.union.is_some() {
                    "a union"
                } else {
                    "an enum"
                };
                self.value(
                    &type_path,
                    format!(
                        "a variant of a union with a discriminator is an object type that has \
                         the discriminator '{property}' as a field; '{variant}' is {kind}"
                    ),
                );
                return;
            }
            None => return,
        }
        // A broken composition is reported where it is written.
        let Ok(composed) = compose::compose(self.spec, variant) else {
            return;
        };
        let Some(field) = composed.fields.get(property) else {
            self.value(
                &type_path,
                format!(
                    "variant '{variant}' has no field '{property}', the union's discriminator; \
                     add it (a string, or an enum with the value '{tag}')"
                ),
            );
            return;
        };
        if field.is_option() {
            self.value(
                &type_path,
                format!(
                    "field '{property}' of '{variant}' is the union's discriminator, so it must \
                     be there and not null; it is {}",
                    if field.optional {
                        "optional"
                    } else {
                        "nullable"
                    }
                ),
            );
        }
        let values = match &field.ty {
            TypeExpr::String => return,
            TypeExpr::Named(named) => self
                .spec
                .types
                .get(named)
                .and_then(|def| def.variants.as_ref()),
            _ => None,
        };
        match values {
            Some(values) if values.iter().all(|v| matches!(v.value, Literal::String(_))) => {
                if !values.iter().any(|v| v.value == Literal::String(tag.to_owned())) {
                    self.value(
                        &[path, &["tag"]].concat(),
                        format!(
                            "tag '{tag}' is not a value of `{}`, the type of the discriminator \
                             '{property}' of '{variant}'; make the tag one of its values, or add \
                             the value",
                            field.ty
                        ),
                    );
                }
            }
            _ => self.value(
                &type_path,
                format!(
                    "field '{property}' of '{variant}' is the union's discriminator, whose value is \
                     a string tag; its type is `{}`, not `string` or an enum of strings",
                    field.ty
                ),
            ),
        }
    }

    /// `binary` is bytes, which JSON cannot carry: it belongs to raw bodies, and to fields
    /// of objects sent as `multipart/form-data` and nowhere else.
    fn binary_uses(&mut self) {
        let mut multipart: BTreeSet<&str> = BTreeSet::new();
        let mut elsewhere: BTreeSet<&str> = BTreeSet::new();
        visit_operations(&self.spec.resources, &mut |operation| {
            if let Some(body) = &operation.body {
                match (body.format(), &body.ty) {
                    (BodyFormat::Multipart, TypeExpr::Named(name)) => {
                        multipart.insert(name);
                    }
                    (_, ty) => elsewhere.extend(ty.named()),
                }
            }
            elsewhere.extend(operation.result.as_ref().and_then(TypeExpr::named));
        });
        for def in self.spec.types.values() {
            let refs = def.fields.iter().flatten().map(|(_, field)| &field.ty);
            let refs = refs
                .chain(def.all_of.iter().flatten())
                .chain(&def.additional)
                .chain(
                    def.union
                        .iter()
                        .flat_map(|union| union.variants.iter().map(|v| &v.ty)),
                );
            elsewhere.extend(refs.filter_map(TypeExpr::named));
        }
        for (name, def) in &self.spec.types {
            let binary_fields = def
                .fields
                .iter()
                .flatten()
                .filter(|(_, field)| field.ty.contains(&TypeExpr::Binary));
            for (field_name, _) in binary_fields {
                let path = [
                    "types",
                    name.as_str(),
                    "fields",
                    field_name.as_str(),
                    "type",
                ];
                let why = if !multipart.contains(name.as_str()) {
                    format!("'{name}' is not the body of one")
                } else if elsewhere.contains(name.as_str()) {
                    format!(
                        "'{name}' is one but also used as JSON (as a field, a result, a JSON \
                         body, an `all_of` member or a union variant)"
                    )
                } else {
                    continue;
                };
                self.value(&path, format!("field '{field_name}' is `binary`, which JSON cannot carry; `binary` fields are for objects sent only as `multipart/form-data` bodies, and {why}"));
            }
            // `binary` in `all_of` is reported as a member that is not an object.
            let others = def
                .additional
                .iter()
                .map(|ty| {
                    (
                        vec!["additional".to_owned()],
                        ty,
                        "the values of `additional` are",
                    )
                })
                .chain(def.union.iter().flat_map(|union| {
                    union.variants.iter().enumerate().map(|(index, variant)| {
                        let path =
                            ["union", "variants", &index.to_string(), "type"].map(str::to_owned);
                        (path.to_vec(), &variant.ty, "a union variant is")
                    })
                }));
            for (path, ty, what) in others.filter(|(_, ty, _)| ty.contains(&TypeExpr::Binary)) {
                let path: Vec<&str> = ["types", name.as_str()]
                    .into_iter()
                    .chain(path.iter().map(String::as_str))
                    .collect();
                self.value(
                    &path,
                    format!(
                        "{what} JSON, which cannot carry `binary` (here `{ty}`); `binary` is only \
                         for fields of `multipart/form-data` bodies and for raw bodies"
                    ),
                );
            }
        }
    }

    /// Checks that a wire name (or the Rust `name` given for it) is a snake-case identifier
    /// distinct from its siblings'.
    fn field_name<'n>(
        &mut self,
        path: &[&str],
        wire: &'n str,
        given: Option<&str>,
        what: &str,
        seen: &mut BTreeMap<String, &'n str>,
    ) {
        let rust = match given {
            Some(given) => {
                let fixed = names::snake(given);
                if fixed.as_deref() != Some(given) {
                    let problem = match fixed {
                        Some(fixed) if fixed == format!("{given}_") => format!(
                            "{what} name '{given}' is a Rust keyword; choose another, such as \
                             '{fixed}'"
                        ),
                        Some(fixed) => {
                            format!(
                                "{what} name '{given}' must be snake_case (for example '{fixed}')"
                            )
                        }
                        None => format!(
                            "{what} name '{given}' must be snake_case: ASCII lowercase letters, \
                             digits and underscores"
                        ),
                    };
                    self.value(&[path, &["name"]].concat(), problem);
                    return;
                }
                given.to_owned()
            }
            None => match names::snake(wire) {
                _ if wire.is_empty() => {
                    self.key(path, format!("{what} name must not be empty"));
                    return;
                }
                None => {
                    self.key(
                        path,
                        format!(
                            "{what} name '{wire}' has no letters or digits to name a Rust \
                             identifier after; give it a `name`"
                        ),
                    );
                    return;
                }
                Some(rust) => rust,
            },
        };
        if let Some(previous) = seen.insert(rust.clone(), wire) {
            if given.is_some() {
                self.value(
                    &[path, &["name"]].concat(),
                    format!(
                        "{what} '{wire}' is given the name `{rust}`, which {what} '{previous}' \
                         already has in Rust; choose another `name`"
                    ),
                );
            } else {
                self.key(
                    path,
                    format!(
                        "{what} '{wire}' and {what} '{previous}' both become `{rust}` in Rust; \
                         give one a `name`"
                    ),
                );
            }
        }
    }

    fn field(&mut self, path: &[&str], field: &Field) {
        self.type_ref(&[path, &["type"]].concat(), &field.ty);
        self.doc(&[path, &["doc"]].concat(), &field.doc);
    }

    fn doc(&mut self, path: &[&str], doc: &str) {
        if doc.trim().is_empty() {
            self.value(path, "documentation must not be empty: every generated public item is documented from the spec");
        }
    }

    fn type_ref(&mut self, path: &[&str], ty: &TypeExpr) {
        if let Some(name) = ty.named() {
            if !self.spec.types.contains_key(name) {
                // A declared type is the likelier meaning; `String` for `string` is the
                // other common slip.
                let hint = names::suggest(name, self.spec.types.keys().map(String::as_str))
                    .or_else(|| names::suggest(name, BUILTIN_NAMES.iter().copied()))
                    .map(|close| format!(" (did you mean '{close}'?)"))
                    .unwrap_or_default();
                self.value(path, format!("unknown type '{name}'{hint}"));
            }
        }
    }

    fn resources(&mut self) {
        if self.spec.resources.is_empty() {
            self.key(&["resources"], "the spec declares no resources");
        }
        let mut routes: BTreeMap<(&'static str, String), String> = BTreeMap::new();
        let mut ids: BTreeMap<&str, String> = BTreeMap::new();
        // Top-level resources become accessor methods of the runtime's `Client`, beside the
        // methods it already has.
        let client_methods = crate::runtime::client_methods();
        let mut members: BTreeMap<String, &str> = BTreeMap::new();
        let spec = self.spec;
        for (name, resource) in &spec.resources {
            let at = ["resources", name.as_str()];
            self.member_name(&at, name, "resource", &mut members);
            if RESERVED_MODULES.contains(&names::snake(name).unwrap_or_default().as_str()) {
                self.key(
                    &at,
                    format!("top-level resource '{name}' would clash with the runtime module of the same name; reserved: {}", RESERVED_MODULES.join(", ")),
                );
            }
            let feature = names::snake(name).unwrap_or_default();
            if spec.resources.len() > 1 && RESERVED_FEATURES.contains(&feature.as_str()) {
                self.key(
                    &at,
                    format!(
                        "top-level resource '{name}' would be the cargo feature `{feature}`, \
                         which the crate has for another purpose; reserved: {}",
                        RESERVED_FEATURES.join(", ")
                    ),
                );
            }
            if client_methods.contains(name.as_str()) {
                self.key(
                    &at,
                    format!(
                        "top-level resource '{name}' would become the accessor \
                         `Client::{name}()`, which the runtime's `Client` already defines"
                    ),
                );
            }
            let mut path = vec!["resources".to_owned(), name.clone()];
            self.resource(&mut path, resource, &mut routes, &mut ids);
        }
    }

    fn resource<'s>(
        &mut self,
        path: &mut Vec<String>,
        resource: &'s Resource,
        routes: &mut BTreeMap<(&'static str, String), String>,
        ids: &mut BTreeMap<&'s str, String>,
    ) {
        let here: Vec<&str> = path.iter().map(String::as_str).collect();
        self.doc(&[&here[..], &["doc"]].concat(), &resource.doc);
        // Operations and child resources share one namespace: the methods of the handle.
        let mut members: BTreeMap<String, &str> = BTreeMap::new();
        for (name, _) in &resource.operations {
            let at = [&here[..], &["operations", name.as_str()]].concat();
            self.handle_member(&at, name, "operation", &mut members);
        }
        for (name, _) in &resource.resources {
            let at = [&here[..], &["resources", name.as_str()]].concat();
            self.handle_member(&at, name, "resource", &mut members);
        }
        for (name, operation) in &resource.operations {
            let at: Vec<&str> = [&here[..], &["operations", name.as_str()]].concat();
            let dotted = dotted_name(&at);
            self.operation(&at, operation);
            let route = (operation.method.as_str(), operation.path.clone());
            if let Some(previous) = routes.insert(route, dotted.clone()) {
                self.value(
                    &[&at[..], &["path"]].concat(),
                    format!(
                        "{} {} is already the route of operation '{previous}'",
                        operation.method.as_str(),
                        operation.path
                    ),
                );
            }
            if let Some(id) = &operation.operation_id {
                if let Some(previous) = ids.insert(id, dotted) {
                    self.value(
                        &[&at[..], &["operation_id"]].concat(),
                        format!("operation_id '{id}' is already used by operation '{previous}'"),
                    );
                }
            }
        }
        for (name, child) in &resource.resources {
            path.push("resources".to_owned());
            path.push(name.clone());
            self.resource(path, child, routes, ids);
            path.truncate(path.len() - 2);
        }
    }

    /// Checks the name of an operation or resource, which becomes a method of its parent's
    /// handle (and, for a resource, a module). It must already be snake_case, so the
    /// method is called what the spec says; a keyword is allowed and gets the usual
    /// trailing underscore (`type` → `type_()`). Returns the method's name.
    fn member_name<'n>(
        &mut self,
        at: &[&str],
        name: &'n str,
        what: &str,
        members: &mut BTreeMap<String, &'n str>,
    ) -> Option<String> {
        match names::snake(name) {
            _ if name.is_empty() => self.key(at, format!("{what} name must not be empty")),
            Some(rust) if rust == name || rust.strip_suffix('_') == Some(name) => {
                if let Some(previous) = members.insert(rust.clone(), name) {
                    self.key(at, format!("{what} '{name}' has the same name as '{previous}' on the same resource"));
                }
                return Some(rust);
            }
            Some(rust) => self.key(
                at,
                format!("{what} name '{name}' must be snake_case (for example '{rust}')"),
            ),
            None => self.key(at, format!("{what} name '{name}' must be snake_case")),
        }
        None
    }

    /// Checks a member of a resource handle (see [`Checker::member_name`]) against the
    /// methods every handle has.
    fn handle_member<'n>(
        &mut self,
        at: &[&str],
        name: &'n str,
        what: &str,
        members: &mut BTreeMap<String, &'n str>,
    ) {
        let rust = self.member_name(at, name, what, members);
        if let Some(rust) = rust.filter(|rust| RESERVED_HANDLE_METHODS.contains(&rust.as_str())) {
            self.key(
                at,
                format!(
                    "{what} name '{name}' is reserved: every resource handle has a method `{rust}`, its constructor"
                ),
            );
        }
    }

    fn operation(&mut self, at: &[&str], operation: &Operation) {
        let sub = |key: &'static str| [at, &[key]].concat();
        self.doc(&sub("summary"), &operation.summary);
        self.doc(&sub("doc"), &operation.doc);
        if operation
            .operation_id
            .as_ref()
            .is_some_and(|id| id.trim().is_empty())
        {
            self.value(
                &sub("operation_id"),
                "operation_id must not be empty; leave it out when upstream has none",
            );
        }
        self.path_template(at, operation);
        // Path and required parameters are the method's arguments, optional ones its
        // request's setters: one namespace, so that every name says one thing.
        let mut params: BTreeMap<String, &str> = BTreeMap::new();
        for (name, param) in &operation.path_params {
            let path = [at, &["path_params", name.as_str()]].concat();
            self.field_name(&path, name, None, "parameter", &mut params);
            if !matches!(param.ty, TypeExpr::String | TypeExpr::Uuid) {
                self.value(&[&path[..], &["type"]].concat(), format!("path parameter '{name}' has type '{}'; path parameters are `string` or `uuid`", param.ty));
            }
            self.doc(&[&path[..], &["doc"]].concat(), &param.doc);
        }
        for (location, list) in [
            ("query_params", &operation.query_params),
            ("header_params", &operation.header_params),
        ] {
            for (name, param) in list {
                let path = [at, &[location, name.as_str()]].concat();
                self.value_param(&path, location, name, param, &mut params);
            }
        }
        if let Some(body) = &operation.body {
            if operation.method == HttpMethod::Get {
                self.value(&sub("body"), "a GET operation cannot have a request body");
            }
            self.body(&sub("body"), body);
        }
        self.response(at, operation);
        if let Some(pagination) = operation.pagination {
            self.pagination(at, operation, pagination);
        }
        let enveloped = operation.response.is_envelope();
        if let Some(example) = &operation.example_response {
            if enveloped && !example.is_object() {
                self.value(&sub("example_response"), "example_response must be the whole JSON envelope (an object with `success`, `errors`, `messages`, `result`)");
            }
        }
    }

    fn path_template(&mut self, at: &[&str], operation: &Operation) {
        let sub = |key: &'static str| [at, &[key]].concat();
        match PathTemplate::parse(&operation.path) {
            Err(message) => self.value(&sub("path"), message),
            Ok(template) => {
                let used: Vec<&str> = template
                    .segments
                    .iter()
                    .filter_map(|segment| match segment {
                        Segment::Param(name) => Some(name.as_str()),
                        Segment::Literal(_) => None,
                    })
                    .collect();
                for name in &used {
                    if !operation.path_params.contains_key(*name) {
                        self.value(&sub("path"), format!("path parameter '{name}' is used in the path but not declared in `path_params`"));
                    }
                }
                for name in operation.path_params.keys() {
                    if !used.contains(&name.as_str()) {
                        self.key(
                            &[at, &["path_params", name.as_str()]].concat(),
                            format!(
                                "path parameter '{name}' is declared but not used in the path '{}'",
                                operation.path
                            ),
                        );
                    }
                }
            }
        }
    }

    /// A query or header parameter: a scalar or an enum, or in the query a list of them.
    fn value_param<'n>(
        &mut self,
        path: &[&str],
        location: &str,
        name: &'n str,
        param: &Param,
        params: &mut BTreeMap<String, &'n str>,
    ) {
        let what = if location == "query_params" {
            "query parameter"
        } else {
            "header parameter"
        };
        self.field_name(path, name, param.name.as_deref(), "parameter", params);
        if location == "header_params" && !name.is_empty() && !is_token(name) {
            self.key(
                path,
                format!(
                    "header parameter '{name}' is not a valid HTTP header name: a header name is \
                     ASCII letters, digits and any of {TOKEN_PUNCTUATION}, without spaces"
                ),
            );
        }
        if location == "header_params"
            && CLIENT_HEADERS.contains(&name.to_ascii_lowercase().as_str())
        {
            self.key(
                path,
                format!(
                    "header parameter '{name}' is a header the client sets itself (its \
                     credentials, its media types or its name); it cannot be a parameter"
                ),
            );
        }
        let type_path = [path, &["type"]].concat();
        self.type_ref(&type_path, &param.ty);
        let item: &TypeExpr = match &param.ty {
            TypeExpr::List(item) if location == "query_params" => item,
            other => other,
        };
        let scalar = match item {
            TypeExpr::Named(named) => self
                .spec
                .types
                .get(named)
                // An unknown type is reported as such.
                .is_none_or(|def| def.variants.is_some()),
            TypeExpr::Json | TypeExpr::Object | TypeExpr::Binary => false,
            TypeExpr::List(_) | TypeExpr::Map(_) => false,
            _ => true,
        };
        if !scalar {
            let lists = if location == "query_params" {
                ", or a `list<…>` of those"
            } else {
                ""
            };
            self.value(
                &type_path,
                format!(
                    "{what} '{name}' has type '{}'; {what}s are scalars or enums{lists}",
                    param.ty
                ),
            );
        }
        if param.explode.is_some() && !matches!(param.ty, TypeExpr::List(_)) {
            self.key(
                &[path, &["explode"]].concat(),
                format!("`explode` says how a list is sent; {what} '{name}' is not a list"),
            );
        }
        self.doc(&[path, &["doc"]].concat(), &param.doc);
    }

    fn body(&mut self, at: &[&str], body: &Body) {
        let type_path = [at, &["type"]].concat();
        self.type_ref(&type_path, &body.ty);
        if let Some(doc) = &body.doc {
            self.doc(&[at, &["doc"]].concat(), doc);
        }
        let content_type = &body.content_type;
        if let Some(problem) = media_type_problem(content_type) {
            self.value(&[at, &["content_type"]].concat(), problem);
        }
        let ty = &body.ty;
        let problem = match body.format() {
            BodyFormat::Json if ty.contains(&TypeExpr::Binary) => Some(
                "a JSON body cannot hold `binary`, which is bytes; to send bytes as they are, \
                 give the body a `content_type` such as `application/octet-stream`"
                    .to_owned(),
            ),
            BodyFormat::Multipart => match ty {
                TypeExpr::Named(name)
                    if self.spec.types.get(name).is_none_or(TypeDef::is_object) =>
                {
                    None
                }
                _ => Some(format!(
                    "a `multipart/form-data` body is an object type from `types`, whose fields are \
                     the parts; `{ty}` is not one"
                )),
            },
            BodyFormat::Text if *ty != TypeExpr::String => Some(format!(
                "{} `{content_type}` body is text sent as it is, so its type is `string`, not \
                 `{ty}`",
                article(content_type)
            )),
            BodyFormat::Bytes if *ty != TypeExpr::Binary => Some(format!(
                "{} `{content_type}` body is bytes sent as they are, so its type is `binary`, \
                 not `{ty}`; a JSON body is `application/json`",
                article(content_type)
            )),
            _ => None,
        };
        if let Some(problem) = problem {
            self.value(&type_path, problem);
        }
    }

    fn response(&mut self, at: &[&str], operation: &Operation) {
        let sub = |key: &'static str| [at, &[key]].concat();
        let kind = operation.response;
        let kind_name = response_kind_name(kind);
        match (&operation.result, kind) {
            (
                Some(result),
                ResponseKind::Envelope | ResponseKind::PartialEnvelope | ResponseKind::Json,
            ) => {
                self.type_ref(&sub("result"), result);
                if result.contains(&TypeExpr::Binary) {
                    self.value(
                        &sub("result"),
                        "a JSON result cannot hold `binary`; a body of bytes is `response: bytes`",
                    );
                }
            }
            (None, ResponseKind::Json) => self.key(
                &sub("response"),
                "a `json` response needs `result`: the type of the body",
            ),
            (Some(_), _) => {
                let returns = match kind {
                    ResponseKind::Bytes => "the bytes and their `Content-Type` (`Binary`)",
                    ResponseKind::Text => "the text and its `Content-Type` (`Text`)",
                    _ => "nothing (`()`)",
                };
                self.key(
                    &sub("result"),
                    format!(
                        "{} `{kind_name}` response returns {returns}, so it has no `result`; \
                         remove it",
                        article(kind_name)
                    ),
                );
            }
            (None, _) => {}
        }
        let has_result = kind.is_envelope() || kind == ResponseKind::Json;
        if operation.result_nullable && !(operation.result.is_some() && has_result) {
            let why = if has_result {
                "this operation has no `result`".to_owned()
            } else {
                format!("{} `{kind_name}` response has none", article(kind_name))
            };
            self.key(
                &sub("result_nullable"),
                format!("`result_nullable` says the `result` may be null; {why}"),
            );
        }
        if operation.result_info && !kind.is_envelope() {
            self.key(
                &sub("result_info"),
                format!(
                    "`result_info` is part of Cloudflare's envelope; {} `{kind_name}` response has \
                     none",
                    article(kind_name)
                ),
            );
        }
    }

    fn pagination(&mut self, at: &[&str], operation: &Operation, style: Pagination) {
        let sub = |key: &'static str| [at, &[key]].concat();
        let style_name = pagination_name(style);
        if !operation.response.is_envelope() {
            self.key(
                &sub("pagination"),
                format!(
                    "pagination reads Cloudflare's envelope (`result`, `result_info`); this \
                     operation's response is `{}`, which has none",
                    response_kind_name(operation.response)
                ),
            );
            return;
        }
        let page = style.page_param();
        let cursor = matches!(
            style,
            Pagination::Cursor | Pagination::CursorAfter | Pagination::CursorLimit
        );
        match operation.query_params.get(page) {
            Some(param) => {
                let param_path = [at, &["query_params", page]].concat();
                if !param.optional {
                    self.key(
                        &param_path,
                        format!(
                            "`pagination: {style_name}` sets '{page}' for every page after the \
                             first, so '{page}' must be `optional: true`"
                        ),
                    );
                }
                let (fits, wanted) = if cursor {
                    (
                        param.ty == TypeExpr::String,
                        "passes back the cursor the server gave, so it is a `string`",
                    )
                } else {
                    (
                        matches!(
                            param.ty,
                            TypeExpr::Integer
                                | TypeExpr::Int32
                                | TypeExpr::Int64
                                | TypeExpr::Uint64
                        ),
                        "counts pages, so it is an integer",
                    )
                };
                if !fits {
                    self.value(
                        &[&param_path[..], &["type"]].concat(),
                        format!(
                            "'{page}' has type `{}`; `pagination: {style_name}` {wanted}",
                            param.ty
                        ),
                    );
                }
            }
            None => self.key(
                &sub("pagination"),
                format!(
                    "`pagination: {style_name}` needs the optional query parameter '{page}', which \
                     it sets for every page after the first"
                ),
            ),
        }
        if cursor && !operation.result_info {
            self.key(
                &sub("pagination"),
                format!("`pagination: {style_name}` reads the next cursor from `result_info`; set `result_info: true`"),
            );
        }
        if operation.result_nullable {
            self.key(
                &sub("result_nullable"),
                format!(
                    "`pagination: {style_name}` reads the items of every page from its result, so \
                     the result is never null (the end is an empty page or no cursor); remove \
                     `result_nullable`"
                ),
            );
        }
        let problem = match (&operation.result, style) {
            (None, _) => {
                self.key(
                    &sub("pagination"),
                    format!("`pagination: {style_name}` pages a list, and this operation has no `result`"),
                );
                return;
            }
            (Some(TypeExpr::List(_)), Pagination::PageItems) => Some(
                "`pagination: page_items` reads the items from `result.items`, so the result is an \
                 object type with a list field `items`; a `list<…>` result is `pagination: page`"
                    .to_owned(),
            ),
            (Some(TypeExpr::List(_)), _) => None,
            (Some(TypeExpr::Named(name)), Pagination::PageItems) => {
                let wanted = "`pagination: page_items` reads the items from `result.items`";
                match compose::compose(self.spec, name) {
                    Ok(composed) => match composed.fields.get("items") {
                        None => Some(format!("{wanted}, and '{name}' has no field `items`")),
                        Some(field) if !matches!(field.ty, TypeExpr::List(_)) => Some(format!(
                            "{wanted}, a list; field `items` of '{name}' is `{}`",
                            field.ty
                        )),
                        Some(field) if field.is_option() => Some(format!(
                            "{wanted}, which must be there on every page; field `items` of \
                             '{name}' is {}",
                            if field.optional { "optional" } else { "nullable" }
                        )),
                        Some(_) => None,
                    },
                    // Unknown, or not an object: reported where it is written.
                    Err(_) => self
                        .spec
                        .types
                        .get(name)
                        .filter(|def| !def.is_object())
                        .map(|_| format!("{wanted}, so the result is an object type; '{name}' is not one")),
                }
            }
            (Some(ty), Pagination::PageItems) => Some(format!(
                "`pagination: page_items` reads the items from `result.items`, so the result is an \
                 object type with a list field `items`, not `{ty}`"
            )),
            (Some(ty), _) => Some(format!(
                "`pagination: {style_name}` pages a list: the result is a `list<…>`, not `{ty}`"
            )),
        };
        if let Some(problem) = problem {
            self.value(&sub("result"), problem);
        }
    }
}

/// The characters besides ASCII letters and digits that an HTTP token (a header name, a
/// media type's type and subtype) may hold.
const TOKEN_PUNCTUATION: &str = "!#$%&'*+-.^_`|~";

/// Whether `text` is an HTTP token (RFC 9110, section 5.6.2).
fn is_token(text: &str) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || TOKEN_PUNCTUATION.contains(c))
}

/// Why `content_type` cannot be sent as a `Content-Type` header: it is not `type/subtype`
/// with optional `; parameters`, or holds what no header value may.
fn media_type_problem(content_type: &str) -> Option<String> {
    if content_type
        .chars()
        .any(|c| !(c == '\t' || c == ' ' || c.is_ascii_graphic()))
    {
        return Some(format!(
            "content_type {content_type:?} holds a character that a `Content-Type` header \
             cannot: a line break, a control character or a character beyond ASCII"
        ));
    }
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    match essence.split_once('/') {
        Some((kind, subtype)) if is_token(kind) && is_token(subtype) => None,
        _ => Some(format!(
            "content_type '{content_type}' is not a media type: expected `type/subtype`, such \
             as `application/zip` or `text/csv; charset=utf-8`"
        )),
    }
}

fn response_kind_name(kind: ResponseKind) -> &'static str {
    match kind {
        ResponseKind::Envelope => "envelope",
        ResponseKind::PartialEnvelope => "partial_envelope",
        ResponseKind::Json => "json",
        ResponseKind::Empty => "empty",
        ResponseKind::Bytes => "bytes",
        ResponseKind::Text => "text",
    }
}

fn pagination_name(style: Pagination) -> &'static str {
    match style {
        Pagination::Page => "page",
        Pagination::PageItems => "page_items",
        Pagination::Cursor => "cursor",
        Pagination::CursorAfter => "cursor_after",
        Pagination::CursorLimit => "cursor_limit",
    }
}

/// Why `name`, given as a variant name, cannot be one: a variant name is an identifier of
/// ASCII letters and digits starting with an uppercase letter, and not a keyword.
fn variant_name_problem(name: &str) -> Option<String> {
    let is_identifier = |name: &str| matches!(TypeExpr::parse(name), Ok(TypeExpr::Named(_)));
    if !is_identifier(name) {
        return Some(
            match names::pascal(name).filter(|fixed| is_identifier(fixed)) {
                Some(fixed) => {
                    format!("variant name '{name}' must be PascalCase (for example '{fixed}')")
                }
                None => format!(
                    "variant name '{name}' must be PascalCase: ASCII letters and digits, starting \
                 with an uppercase letter"
                ),
            },
        );
    }
    // Keywords are the names that conversion escapes.
    let keyword = names::pascal(name).is_some_and(|escaped| escaped == format!("{name}_"));
    keyword.then(|| format!("variant name '{name}' is a Rust keyword; choose another"))
}

fn article(kind: &str) -> &'static str {
    if kind.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

/// Calls `visit` on every operation of the tree.
fn visit_operations<'s>(
    resources: &'s indexmap::IndexMap<String, Resource>,
    visit: &mut impl FnMut(&'s Operation),
) {
    for resource in resources.values() {
        resource.operations.values().for_each(&mut *visit);
        visit_operations(&resource.resources, visit);
    }
}

/// Whether `text` is a version of `min_parts` to 3 dot-separated numbers, optionally followed
/// by a `-pre-release` and `+build` suffix, as Cargo accepts in `version` and `rust-version`.
/// An invalid one would make the generated `Cargo.toml`, and with it the workspace, unusable.
fn is_version(text: &str, min_parts: usize) -> bool {
    let core = text.split(['-', '+']).next().unwrap_or_default();
    let suffix_ok = text[core.len()..]
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '+' | '.'));
    let parts: Vec<&str> = core.split('.').collect();
    let numbers_ok = parts.iter().all(|part| {
        !part.is_empty()
            && part.chars().all(|c| c.is_ascii_digit())
            && (part.len() == 1 || !part.starts_with('0'))
    });
    (min_parts..=3).contains(&parts.len()) && numbers_ok && suffix_ok
}

/// `resources.zero_trust.resources.risk_scoring.operations.get` → `zero_trust.risk_scoring.get`.
pub fn dotted_name(at: &[&str]) -> String {
    at.iter()
        .enumerate()
        .filter(|(i, _)| i % 2 == 1)
        .map(|(_, part)| *part)
        .collect::<Vec<_>>()
        .join(".")
}
