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
        for (index, member) in def.all_of.iter().flatten().enumerate() {
            let index = index.to_string();
            let path = ["types", name, "all_of", index.as_str()];
            self.type_ref(&path, member);
        }
        if let Some(additional) = &def.additional {
            self.type_ref(&["types", name, "additional"], additional);
        }
        if def.all_of.is_some() {
            match compose::compose(self.spec, name) {
                // A member that does not exist is reported as an unknown type already.
                Err(compose::Conflict::NotAnObject { member })
                    if !self.spec.types.contains_key(&member)
                        && TypeExpr::parse(&member).is_ok_and(|e| e.named().is_some()) => {}
                Err(conflict) => self.key(&["types", name, "all_of"], conflict.to_string()),
                Ok(composed) => {
                    // Fields that are distinct in each part may still collide once merged.
                    let mut merged: BTreeMap<String, &str> = BTreeMap::new();
                    for (wire, field) in &composed.fields {
                        let rust = field.name.clone().or_else(|| names::snake(wire));
                        if let Some(rust) = rust {
                            if let Some(previous) = merged.insert(rust.clone(), wire) {
                                if previous != wire {
                                    self.key(&["types", name, "all_of"], format!("fields '{wire}' and '{previous}' of the merged type both become `{rust}` in Rust; give one a `name`"));
                                }
                            }
                        }
                    }
                }
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
            let variant_name = match &variant.name {
                Some(given) => {
                    if !is_variant_name(given) {
                        self.value(
                            &["types", name, "enum", index.as_str(), "name"],
                            format!("variant name '{given}' must be PascalCase"),
                        );
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
                        self.value(&path, format!("enum values '{}' and '{previous}' both become the variant `{variant_name}`; give one a `name`", variant.value));
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
        for (index, variant) in union.variants.iter().enumerate() {
            let index = index.to_string();
            let path = ["types", name, "union", "variants", index.as_str()];
            let sub = |key: &'static str| [&path[..], &[key]].concat();
            self.type_ref(&sub("type"), &variant.ty);
            let variant_name = match &variant.name {
                Some(given) if !is_variant_name(given) => {
                    self.value(
                        &sub("name"),
                        format!("variant name '{given}' must be PascalCase"),
                    );
                    None
                }
                Some(given) => Some(given.clone()),
                None => Some(names::union_variant(&variant.ty)),
            };
            if let Some(variant_name) = variant_name {
                if let Some(previous) = rust.insert(variant_name.clone(), variant.ty.to_string()) {
                    self.key(&path, format!("variants of `{}` and `{previous}` are both called `{variant_name}`; give one a `name`", variant.ty));
                }
            }
            if let Some(doc) = &variant.doc {
                self.doc(&sub("doc"), doc);
            }
            match (&union.discriminator, &variant.tag) {
                (None, Some(_)) => self.key(
                    &sub("tag"),
                    "`tag` needs a `discriminator` on the union to be the value of",
                ),
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
                    self.discriminated_variant(&sub("type"), property, &variant.ty);
                }
                (None, None) => {}
            }
        }
    }

    /// A variant of a discriminated union is an object type that has the discriminator as
    /// a field, so that encoding it writes the tag.
    fn discriminated_variant(&mut self, path: &[&str], property: &str, ty: &TypeExpr) {
        let TypeExpr::Named(variant) = ty else {
            self.value(
                path,
                format!("a variant of a union with a discriminator is an object type, not `{ty}`"),
            );
            return;
        };
        match self.spec.types.get(variant) {
            Some(def) if def.is_object() => {
                let has_it = compose::compose(self.spec, variant)
                    .map(|composed| composed.fields.contains_key(property))
                    // A broken composition is reported where it is written.
                    .unwrap_or(true);
                if !has_it {
                    self.value(
                        path,
                        format!("variant '{variant}' has no field '{property}', the union's discriminator"),
                    );
                }
            }
            Some(_) => self.value(
                path,
                format!("a variant of a union with a discriminator is an object type; '{variant}' is not"),
            ),
            None => {}
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
                if !multipart.contains(name.as_str()) || elsewhere.contains(name.as_str()) {
                    self.value(&path, format!("`binary` fields belong to objects sent only as `multipart/form-data` bodies; '{name}' is used elsewhere too"));
                }
            }
            let others = def.all_of.iter().flatten().chain(&def.additional).chain(
                def.union
                    .iter()
                    .flat_map(|union| union.variants.iter().map(|v| &v.ty)),
            );
            for ty in others.filter(|ty| ty.contains(&TypeExpr::Binary)) {
                self.found.push(self.map.at_key(
                    &["types", name],
                    format!(
                        "`{ty}`: `binary` is only for fields of multipart bodies and raw bodies"
                    ),
                ));
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
                if names::snake(given).as_deref() != Some(given) {
                    self.value(
                        &[path, &["name"]].concat(),
                        format!("{what} name '{given}' must be a snake_case identifier that is not a keyword"),
                    );
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
            self.key(
                path,
                format!(
                    "{what} '{wire}' and {what} '{previous}' both become `{rust}` in Rust; give \
                     one a `name`"
                ),
            );
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
        let fits = match body.format() {
            BodyFormat::Json => !body.ty.contains(&TypeExpr::Binary),
            BodyFormat::Multipart => match &body.ty {
                TypeExpr::Named(name) => self.spec.types.get(name).is_none_or(TypeDef::is_object),
                _ => false,
            },
            BodyFormat::Text => body.ty == TypeExpr::String,
            BodyFormat::Bytes => body.ty == TypeExpr::Binary,
        };
        if !fits {
            let expected = match body.format() {
                BodyFormat::Json => "any type without `binary` (JSON cannot carry bytes)",
                BodyFormat::Multipart => "an object type, whose fields are the parts",
                BodyFormat::Text => "`string`",
                BodyFormat::Bytes => "`binary`",
            };
            self.value(
                &type_path,
                format!(
                    "a `{content_type}` body has type `{}`; it needs {expected}",
                    body.ty
                ),
            );
        }
    }

    fn response(&mut self, at: &[&str], operation: &Operation) {
        let sub = |key: &'static str| [at, &[key]].concat();
        let kind = operation.response;
        let kind_name = response_kind_name(kind);
        match (&operation.result, kind) {
            (Some(result), ResponseKind::Envelope | ResponseKind::PartialEnvelope | ResponseKind::Json) => {
                self.type_ref(&sub("result"), result);
                if result.contains(&TypeExpr::Binary) {
                    self.value(&sub("result"), "a JSON result cannot hold `binary`; a body of bytes is `response: bytes`");
                }
            }
            (None, ResponseKind::Json) => self.key(
                &sub("response"),
                "a `json` response needs `result`: the type of the body",
            ),
            (Some(_), _) => self.key(
                &sub("result"),
                format!("a `{kind_name}` response has no `result`: the method returns what the response kind says"),
            ),
            (None, _) => {}
        }
        if operation.result_nullable
            && !(operation.result.is_some() && (kind.is_envelope() || kind == ResponseKind::Json))
        {
            self.key(
                &sub("result_nullable"),
                "`result_nullable` says a `result` may be null; this operation has none",
            );
        }
        if operation.result_info && !kind.is_envelope() {
            self.key(
                &sub("result_info"),
                format!("`result_info` is part of Cloudflare's envelope; a `{kind_name}` response has none"),
            );
        }
    }

    fn pagination(&mut self, at: &[&str], operation: &Operation, style: Pagination) {
        let sub = |key: &'static str| [at, &[key]].concat();
        if !operation.response.is_envelope() {
            self.key(
                &sub("pagination"),
                "pagination follows Cloudflare's envelope; this operation's response is not one",
            );
            return;
        }
        let page = style.page_param();
        match operation.query_params.get(page) {
            Some(param) if param.optional => {}
            Some(_) => self.key(
                &[at, &["query_params", page]].concat(),
                format!(
                    "`pagination: {}` sets '{page}' on every page; it must be optional",
                    pagination_name(style)
                ),
            ),
            None => self.key(
                &sub("pagination"),
                format!(
                    "`pagination: {}` needs the optional query parameter '{page}'",
                    pagination_name(style)
                ),
            ),
        }
        let cursor = matches!(
            style,
            Pagination::Cursor | Pagination::CursorAfter | Pagination::CursorLimit
        );
        if cursor && !operation.result_info {
            self.key(
                &sub("pagination"),
                format!("`pagination: {}` reads the next cursor from `result_info`; set `result_info: true`", pagination_name(style)),
            );
        }
        let items_are_a_list = match (&operation.result, style) {
            (Some(TypeExpr::List(_)), Pagination::PageItems) | (None, _) => false,
            (Some(TypeExpr::List(_)), _) => true,
            (Some(TypeExpr::Named(name)), Pagination::PageItems) => {
                match compose::compose(self.spec, name) {
                    Ok(composed) => composed
                        .fields
                        .get("items")
                        .is_some_and(|field| matches!(field.ty, TypeExpr::List(_))),
                    // Not an object, or reported where it is written.
                    Err(_) => !self.spec.types.contains_key(name),
                }
            }
            (Some(_), _) => false,
        };
        if !items_are_a_list {
            let wanted = if style == Pagination::PageItems {
                "an object type with a list field `items`"
            } else {
                "a `list<…>`"
            };
            self.value(
                &sub("result"),
                format!(
                    "`pagination: {}` needs a result that is {wanted}",
                    pagination_name(style)
                ),
            );
        }
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

/// A variant name as written: an identifier of ASCII letters and digits starting with an
/// uppercase letter, and not a keyword.
fn is_variant_name(name: &str) -> bool {
    matches!(TypeExpr::parse(name), Ok(TypeExpr::Named(_)))
        && names::pascal(name).is_some_and(|escaped| !escaped.ends_with('_') || name.ends_with('_'))
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
