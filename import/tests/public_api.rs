//! Importing the risk-scoring operations with `spec/risk_scoring.names.yaml` gives the public
//! API of today's hand-written `spec/risk_scoring.yaml`: the same types with the same fields
//! (Rust name, type, optional, nullable), the same constructors of request types, the same
//! resources and methods with the same arguments, setters and return types.
//!
//! Both specs are read as the generator reads them (their keys are the spec format's), and
//! each is reduced to one line per public item; the test lists the lines only one side has.
//! Docs, examples and comments are not public API and are left out.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use serde_yaml::Value;

use common::{import, read, workspace_root, RISK_SCORING, RISK_SCORING_PATHS};

/// The public items a spec gives, one line each.
fn public_api(spec: &Value) -> BTreeSet<String> {
    let mut items = BTreeSet::new();
    let types = spec
        .get("types")
        .and_then(Value::as_mapping)
        .cloned()
        .unwrap_or_default();
    let body_types = request_types(spec, &types);
    for (name, def) in &types {
        let name = text(name);
        if let Some(values) = def.get("enum").and_then(Value::as_sequence) {
            let values: Vec<String> = values.iter().map(|value| scalar(&value["value"])).collect();
            items.insert(format!("enum {name} {{ {} }}", values.join(", ")));
        }
        if let Some(union) = def.get("union") {
            let variants: Vec<String> = union["variants"]
                .as_sequence()
                .into_iter()
                .flatten()
                .map(|variant| text(&variant["type"]))
                .collect();
            items.insert(format!("union {name} {{ {} }}", variants.join(" | ")));
        }
        if let Some(fields) = def.get("fields").and_then(Value::as_mapping) {
            items.insert(format!("struct {name}"));
            let mut required = Vec::new();
            for (wire, field) in fields {
                let wire = text(wire);
                let rust = field
                    .get("name")
                    .map(text)
                    .or_else(|| codegen::names::snake(&wire))
                    .unwrap_or_default();
                let optional = flag(field, "optional") || flag(field, "nullable");
                let ty = text(&field["type"]);
                let ty = if optional {
                    format!("Option<{ty}>")
                } else {
                    ty
                };
                items.insert(format!("{name}.{rust} (\"{wire}\"): {ty}"));
                if !flag(field, "optional") {
                    required.push(rust);
                }
            }
            if body_types.contains(&name) {
                items.insert(format!("{name}::new({})", required.join(", ")));
            }
        }
    }
    if let Some(resources) = spec.get("resources").and_then(Value::as_mapping) {
        operations(resources, "client", &mut items);
    }
    items
}

/// Types reachable from a request body, which get constructors.
fn request_types(spec: &Value, types: &serde_yaml::Mapping) -> BTreeSet<String> {
    let mut bodies = Vec::new();
    collect_bodies(&spec["resources"], &mut bodies);
    let mut found = BTreeSet::new();
    while let Some(name) = bodies.pop() {
        let name = name
            .trim_start_matches("list<")
            .trim_start_matches("map<")
            .trim_end_matches('>')
            .to_owned();
        if !found.insert(name.clone()) {
            continue;
        }
        let fields = types
            .get(Value::from(name.as_str()))
            .and_then(|def| def.get("fields"))
            .and_then(Value::as_mapping);
        for field in fields.into_iter().flat_map(|fields| fields.values()) {
            bodies.push(text(&field["type"]));
        }
    }
    found
}

fn collect_bodies(resources: &Value, out: &mut Vec<String>) {
    for (_, resource) in resources.as_mapping().into_iter().flatten() {
        for (_, operation) in resource
            .get("operations")
            .and_then(Value::as_mapping)
            .into_iter()
            .flatten()
        {
            match operation.get("body") {
                Some(Value::String(ty)) => out.push(ty.clone()),
                Some(body) => out.push(text(&body["type"])),
                None => {}
            }
        }
        if let Some(children) = resource.get("resources") {
            collect_bodies(children, out);
        }
    }
}

fn operations(resources: &serde_yaml::Mapping, parent: &str, items: &mut BTreeSet<String>) {
    for (name, resource) in resources {
        let path = format!("{parent}.{}()", text(name));
        items.insert(path.clone());
        for (method, operation) in resource
            .get("operations")
            .and_then(Value::as_mapping)
            .into_iter()
            .flatten()
        {
            let mut arguments: Vec<String> = Vec::new();
            for (param, _) in operation
                .get("path_params")
                .and_then(Value::as_mapping)
                .into_iter()
                .flatten()
            {
                arguments.push(format!("{}: &str", text(param)));
            }
            let mut setters: Vec<String> = Vec::new();
            for (param, value) in operation
                .get("query_params")
                .and_then(Value::as_mapping)
                .into_iter()
                .flatten()
            {
                let entry = format!("{}: {}", text(param), text(&value["type"]));
                if flag(value, "optional") {
                    setters.push(entry);
                } else {
                    arguments.push(entry);
                }
            }
            match operation.get("body") {
                Some(Value::String(ty)) => arguments.push(format!("body: &{ty}")),
                Some(body) => arguments.push(format!("body: &{}", text(&body["type"]))),
                None => {}
            }
            let result = operation
                .get("result")
                .map(text)
                .unwrap_or_else(|| "()".to_owned());
            let result = if flag(operation, "result_nullable") {
                format!("Option<{result}>")
            } else {
                result
            };
            let mut extras: Vec<String> = Vec::new();
            for key in ["response", "pagination"] {
                if let Some(value) = operation.get(key) {
                    extras.push(format!("{key}: {}", text(value)));
                }
            }
            if flag(operation, "result_info") {
                extras.push("result_info".to_owned());
            }
            items.insert(format!(
                "{path}.{}({}) -> {result}{}{}",
                text(method),
                arguments.join(", "),
                if setters.is_empty() {
                    String::new()
                } else {
                    format!(" [setters: {}]", setters.join(", "))
                },
                if extras.is_empty() {
                    String::new()
                } else {
                    format!(" [{}]", extras.join(", "))
                },
            ));
        }
        if let Some(children) = resource.get("resources").and_then(Value::as_mapping) {
            operations(children, &path, items);
        }
    }
}

fn text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => scalar(other),
    }
}

fn scalar(value: &Value) -> String {
    serde_yaml::to_string(value)
        .unwrap_or_default()
        .trim()
        .to_owned()
}

fn flag(value: &Value, key: &str) -> bool {
    value.get(key).and_then(Value::as_bool).unwrap_or(false)
}

#[test]
fn imported_risk_scoring_has_todays_public_api() {
    let today: Value =
        serde_yaml::from_str(&read(&workspace_root().join("spec/risk_scoring.yaml"))).unwrap();
    let imported = import(
        RISK_SCORING,
        &[RISK_SCORING_PATHS],
        Some("spec/risk_scoring.names.yaml"),
    );
    let imported: Value = serde_yaml::from_str(&imported.yaml).unwrap();
    let (today, imported) = (public_api(&today), public_api(&imported));
    assert!(today.len() > 60, "{today:#?}");
    let mut differences: BTreeMap<&str, Vec<&String>> = BTreeMap::new();
    differences.insert("only today's", today.difference(&imported).collect());
    differences.insert("only imported", imported.difference(&today).collect());
    // Reviewed: what still differs, and why, is explained in import/README.md
    // ("Risk scoring: what still differs").
    insta::assert_debug_snapshot!(differences);
}

/// The comparison has teeth: without the names file, the SDK's names and the type names the
/// maintainer chose are missing.
#[test]
fn without_the_names_file_the_public_api_differs() {
    let today: Value =
        serde_yaml::from_str(&read(&workspace_root().join("spec/risk_scoring.yaml"))).unwrap();
    let imported = import(RISK_SCORING, &[RISK_SCORING_PATHS], None);
    let imported: Value = serde_yaml::from_str(&imported.yaml).unwrap();
    let (today, imported) = (public_api(&today), public_api(&imported));
    assert!(today.contains("struct Integration"), "{today:#?}");
    assert!(
        today.contains(
            "client.zero_trust().risk_scoring().behaviours().get(account_id: &str) -> Behaviors"
        ),
        "{today:#?}"
    );
    assert!(!imported.contains("struct Integration"));
    assert!(imported.contains("struct RiskScoreIntegration"));
    assert!(
        imported
            .contains("client.zt_risk_scoring().behaviors().get(account_id: &str) -> Behaviors"),
        "{imported:#?}"
    );
}

/// The public items of a generated crate's sources, one line each: structs and their public
/// fields, enums and their variants, and every public function and method with its
/// signature, under the module path of its file. Docs and bodies are left out.
fn generated_items(files: &BTreeMap<String, String>) -> BTreeSet<String> {
    use quote::ToTokens;

    fn tokens(item: &impl ToTokens) -> String {
        item.to_token_stream().to_string()
    }

    fn walk(module: &str, items: &[syn::Item], out: &mut BTreeSet<String>) {
        let public = |vis: &syn::Visibility| matches!(vis, syn::Visibility::Public(_));
        for item in items {
            match item {
                syn::Item::Struct(item) if public(&item.vis) => {
                    out.insert(format!(
                        "{module}::{} struct{}",
                        item.ident,
                        tokens(&item.generics)
                    ));
                    for field in &item.fields {
                        if public(&field.vis) {
                            let name = field
                                .ident
                                .as_ref()
                                .map(ToString::to_string)
                                .unwrap_or_default();
                            out.insert(format!(
                                "{module}::{}.{name}: {}",
                                item.ident,
                                tokens(&field.ty)
                            ));
                        }
                    }
                }
                syn::Item::Enum(item) if public(&item.vis) => {
                    for variant in &item.variants {
                        out.insert(format!(
                            "{module}::{}::{} {}",
                            item.ident,
                            variant.ident,
                            tokens(&variant.fields)
                        ));
                    }
                }
                syn::Item::Fn(item) if public(&item.vis) => {
                    out.insert(format!("{module}::{}", tokens(&item.sig)));
                }
                syn::Item::Impl(block) => {
                    let owner = tokens(&block.self_ty);
                    let trait_ = block.trait_.as_ref().map(|(_, path, _)| tokens(path));
                    if let Some(trait_) = &trait_ {
                        out.insert(format!("{module}::impl {trait_} for {owner}"));
                        continue;
                    }
                    for member in &block.items {
                        if let syn::ImplItem::Fn(method) = member {
                            if public(&method.vis) {
                                out.insert(format!("{module}::{owner}::{}", tokens(&method.sig)));
                            }
                        }
                    }
                }
                syn::Item::Mod(item) if public(&item.vis) => {
                    let inner = format!("{module}::{}", item.ident);
                    out.insert(inner.clone());
                    if let Some((_, items)) = &item.content {
                        walk(&inner, items, out);
                    }
                }
                syn::Item::Type(item) if public(&item.vis) => {
                    out.insert(format!(
                        "{module}::type {} = {}",
                        item.ident,
                        tokens(&item.ty)
                    ));
                }
                syn::Item::Const(item) if public(&item.vis) => {
                    out.insert(format!(
                        "{module}::const {}: {}",
                        item.ident,
                        tokens(&item.ty)
                    ));
                }
                _ => {}
            }
        }
    }

    let mut out = BTreeSet::new();
    for (path, source) in files {
        let Some(module) = path
            .strip_prefix("src/")
            .and_then(|path| path.strip_suffix(".rs"))
        else {
            continue;
        };
        let module = match module {
            "lib" => "crate".to_owned(),
            other => format!("crate::{}", other.replace('/', "::")),
        };
        let file = syn::parse_file(source).unwrap_or_else(|error| panic!("{path}: {error}"));
        walk(&module, &file.items, &mut out);
    }
    out
}

/// The sources of `generated/`, by path relative to it.
fn committed_sources() -> BTreeMap<String, String> {
    fn collect(dir: &std::path::Path, root: &std::path::Path, out: &mut BTreeMap<String, String>) {
        for entry in std::fs::read_dir(dir).unwrap().filter_map(Result::ok) {
            let path = entry.path();
            if path.is_dir() {
                collect(&path, root, out);
            } else if path.extension().is_some_and(|extension| extension == "rs") {
                let relative = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(relative, read(&path));
            }
        }
    }
    let root = workspace_root().join("generated");
    let mut out = BTreeMap::new();
    collect(&root.join("src"), &root, &mut out);
    out
}

/// The same comparison on the generated code itself: the crate generated from the imported
/// spec has the public items of the committed `generated/`, signature for signature.
#[test]
fn the_crate_generated_from_the_import_has_the_public_items_of_generated() {
    let imported = import(
        RISK_SCORING,
        &[RISK_SCORING_PATHS],
        Some("spec/risk_scoring.names.yaml"),
    );
    let tree = codegen::generate_from_str(&imported.yaml, "imported.yaml")
        .unwrap_or_else(|error| panic!("{error}"));
    let (today, imported) = (
        generated_items(&committed_sources()),
        generated_items(&tree.files),
    );
    assert!(today.len() > 100, "{today:#?}");
    let reset = today.iter().find(|item| item.contains("fn reset"));
    assert!(
        reset.is_some_and(|item| item.contains("account_id") && item.contains("user_id")),
        "{today:#?}"
    );
    let mut differences: BTreeMap<&str, Vec<&String>> = BTreeMap::new();
    differences.insert("only in generated/", today.difference(&imported).collect());
    differences.insert(
        "only in the crate generated from the import",
        imported.difference(&today).collect(),
    );
    // Reviewed: see import/README.md ("Risk scoring: what still differs").
    insta::assert_debug_snapshot!(differences);
}
