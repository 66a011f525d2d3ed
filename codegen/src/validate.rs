//! Stage 2: semantic checks that serde cannot express.
//!
//! Every check runs and every problem is collected, so one run of the generator reports all
//! of them, each at its place in the file. Later stages rely on what is checked here: names
//! convert to distinct identifiers, type references resolve, path templates match their
//! declared parameters.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::load::{Loaded, SourceMap};
use crate::names;
use crate::path_template::{PathTemplate, Segment};
use crate::runtime::RUNTIME;
use crate::spec::{Field, HttpMethod, Operation, Resource, Spec, TypeDef, TypeExpr, BUILTIN_NAMES};

/// Module names of the runtime that a top-level resource must not take.
pub const RESERVED_MODULES: &[&str] = &["client", "error", "request", "retry", "types"];

/// Type names the generated `types` module imports or declares itself; a model of the same
/// name would shadow them.
pub const RESERVED_TYPE_NAMES: &[&str] = &[
    "BTreeMap",
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
    }

    fn type_def(&mut self, name: &str, def: &TypeDef) {
        let at = ["types", name];
        match (&def.fields, &def.variants) {
            (Some(fields), None) => {
                let mut seen: BTreeMap<String, &str> = BTreeMap::new();
                for (field_name, field) in fields {
                    let path = ["types", name, "fields", field_name.as_str()];
                    self.field_name(&path, field_name, "field", &mut seen);
                    self.field(&path, field);
                }
            }
            (None, Some(variants)) => {
                if variants.is_empty() {
                    self.key(&at, format!("enum '{name}' has no values"));
                }
                let mut wire: BTreeSet<&str> = BTreeSet::new();
                let mut rust: BTreeMap<String, &str> = BTreeMap::new();
                for (index, variant) in variants.iter().enumerate() {
                    let index = index.to_string();
                    let path = ["types", name, "enum", index.as_str(), "value"];
                    if variant.value.is_empty() {
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
                    match names::pascal(&variant.value) {
                        None => self.value(
                            &path,
                            format!(
                                "enum value '{}' has no letters or digits to name a variant after",
                                variant.value
                            ),
                        ),
                        Some(variant_name) => {
                            if let Some(previous) =
                                rust.insert(variant_name.clone(), &variant.value)
                            {
                                self.value(&path, format!("enum values '{}' and '{previous}' both become the variant `{variant_name}`", variant.value));
                            }
                        }
                    }
                    self.doc(
                        &["types", name, "enum", index.as_str(), "doc"],
                        &variant.doc,
                    );
                }
            }
            (Some(_), Some(_)) => self.key(
                &at,
                format!("type '{name}' has both `fields` and `enum`; a type is one or the other"),
            ),
            (None, None) => self.key(
                &at,
                format!("type '{name}' needs `fields` (an object) or `enum` (a string enum)"),
            ),
        }
    }

    /// Checks that a wire name converts to a snake-case identifier distinct from its siblings.
    fn field_name<'n>(
        &mut self,
        path: &[&str],
        wire: &'n str,
        what: &str,
        seen: &mut BTreeMap<String, &'n str>,
    ) {
        match names::snake(wire) {
            _ if wire.is_empty() => self.key(path, format!("{what} name must not be empty")),
            None => self.key(
                path,
                format!(
                    "{what} name '{wire}' has no letters or digits to name a Rust identifier after"
                ),
            ),
            Some(rust) => {
                if let Some(previous) = seen.insert(rust.clone(), wire) {
                    self.key(
                        path,
                        format!(
                            "{what} '{wire}' and {what} '{previous}' both become `{rust}` in Rust"
                        ),
                    );
                }
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
        let client_methods = client_methods();
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
            if let Some(previous) = ids.insert(&operation.operation_id, dotted) {
                self.value(
                    &[&at[..], &["operation_id"]].concat(),
                    format!(
                        "operation_id '{}' is already used by operation '{previous}'",
                        operation.operation_id
                    ),
                );
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
        if operation.operation_id.trim().is_empty() {
            self.value(&sub("operation_id"), "operation_id must not be empty");
        }
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
        let mut params: BTreeMap<String, &str> = BTreeMap::new();
        for (name, param) in &operation.path_params {
            let path = [at, &["path_params", name.as_str()]].concat();
            self.field_name(&path, name, "parameter", &mut params);
            if !matches!(param.ty, TypeExpr::String | TypeExpr::Uuid) {
                self.value(&[&path[..], &["type"]].concat(), format!("path parameter '{name}' has type '{}'; path parameters are `string` or `uuid`", param.ty));
            }
            self.doc(&[&path[..], &["doc"]].concat(), &param.doc);
        }
        for (name, field) in &operation.query_params {
            let path = [at, &["query_params", name.as_str()]].concat();
            self.field_name(&path, name, "parameter", &mut params);
            if !matches!(
                field.ty,
                TypeExpr::String
                    | TypeExpr::Uuid
                    | TypeExpr::Boolean
                    | TypeExpr::Integer
                    | TypeExpr::Number
                    | TypeExpr::Uri
            ) {
                self.value(
                    &[&path[..], &["type"]].concat(),
                    format!(
                        "query parameter '{name}' has type '{}'; query parameters are scalars",
                        field.ty
                    ),
                );
            }
            self.doc(&[&path[..], &["doc"]].concat(), &field.doc);
        }
        if let Some(body) = &operation.body {
            if operation.method == HttpMethod::Get {
                self.value(&sub("body"), "a GET operation cannot have a request body");
            }
            match self.spec.types.get(body) {
                Some(def) if def.fields.is_some() => {}
                Some(_) => self.value(
                    &sub("body"),
                    format!("body type '{body}' is an enum; a request body must be an object type"),
                ),
                None => self.type_ref(&sub("body"), &TypeExpr::Named(body.clone())),
            }
        }
        self.type_ref(&sub("result"), &operation.result);
        if !operation.example_response.is_object() {
            self.value(&sub("example_response"), "example_response must be the whole JSON envelope (an object with `success`, `errors`, `messages`, `result`)");
        }
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

/// The methods the runtime's `Client` defines, read from its source so the list cannot fall
/// behind it; parsed once per process. Should the source ever fail to parse, nothing is
/// reserved: the clash would then surface when the generated crate is compiled.
fn client_methods() -> &'static BTreeSet<String> {
    static METHODS: OnceLock<BTreeSet<String>> = OnceLock::new();
    METHODS.get_or_init(|| {
        let source = RUNTIME.iter().find(|module| module.name == "client");
        source
            .and_then(|module| syn::parse_file(module.source).ok())
            .map(|file| impl_methods(&file, "Client"))
            .unwrap_or_default()
    })
}

/// Names of the methods of the inherent `impl` blocks of `type_name` in `file`.
fn impl_methods(file: &syn::File, type_name: &str) -> BTreeSet<String> {
    file.items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Impl(block) if block.trait_.is_none() => Some(block),
            _ => None,
        })
        .filter(
            |block| matches!(&*block.self_ty, syn::Type::Path(ty) if ty.path.is_ident(type_name)),
        )
        .flat_map(|block| &block.items)
        .filter_map(|item| match item {
            syn::ImplItem::Fn(method) => Some(method.sig.ident.to_string()),
            _ => None,
        })
        .collect()
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
