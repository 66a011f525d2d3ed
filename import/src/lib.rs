//! `cargo xtask import`: Cloudflare's OpenAPI 3.0 documents into a spec in the generator's
//! YAML format (`spec/README.md`), as readable as one written by hand.
//!
//! The pipeline, top to bottom ([`import`]):
//!
//! 1. **read** (the `openapi` crate): the document's operations in document order, those
//!    under the requested paths selected (`select`);
//! 2. **lower** (`lower`, `operations`): schemas into named types and type expressions,
//!    operations into the format's operations (parameters, body, response, pagination);
//! 3. **plan names** (`resources`, `naming`): the resource tree and method names, then every
//!    type's name, collision-free, with the names file's choices first;
//! 4. **write** (`render`, `yaml`): YAML text with a comment wherever the importer decided
//!    something a maintainer may want to change.
//!
//! What cannot be mapped is a [`Warning`] with a JSON pointer into the document, never a
//! panic and never silently dropped.

mod lower;
mod model;
mod names_file;
mod naming;
mod operations;
mod render;
mod resources;
mod select;
mod values;
mod warning;
mod yaml;

use std::collections::BTreeMap;
use std::path::Path;

use openapi::openapiv3::OpenAPI;
use openapi::Resolver;

pub use names_file::NamesFile;
pub use select::matches;
pub use values::SCOPE_ID;
pub use warning::{counts, summary, Kind as WarningKind, Warning};

use crate::lower::Lowerer;
use crate::model::{Base, CrateMeta, Origin, State, Ty};
use crate::warning::{Kind, Warnings};

/// What to import, and how to call the result.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Path prefixes (`/accounts/{account_id}/zt_risk_scoring`) or globs (`*` within a
    /// segment, `**` across segments); an operation is imported when any matches.
    pub paths: Vec<String>,
    /// The crate name, when the names file does not give one.
    pub crate_name: Option<String>,
    /// How messages name the names file.
    pub names_file: String,
    /// How the header comment names the document.
    pub document: String,
    /// Whether to make the values file of the generated conformance test
    /// ([`Imported::values`]).
    pub values: bool,
}

/// The written spec and what was found on the way.
#[derive(Debug, Clone)]
pub struct Imported {
    pub yaml: String,
    /// With [`Options::values`]: the argument values of the conformance test that
    /// `codegen::Options::conformance_test` generates, by operation (`access.apps.list`),
    /// then `path`, `query` and `header` by wire name, `body` (required properties only) and
    /// `full_body` (every property); see `codegen/conformance/support.rs`. Made from the
    /// document's schemas, valid for them and for the spec's types; what could not be made
    /// valid is a `no_example` warning.
    pub values: Option<serde_json::Value>,
    pub warnings: Vec<Warning>,
    pub operations: usize,
    pub types: usize,
}

/// Why nothing could be imported at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(pub String);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

/// Imports the operations of `doc` that `options.paths` select.
pub fn import(doc: &OpenAPI, names: &NamesFile, options: &Options) -> Result<Imported, Error> {
    let resolver = Resolver::new(doc);

    // 1. Read.
    let found = openapi::operations(doc);
    let mut warnings = Warnings::default();
    for unreadable in &found.unreadable_paths {
        warnings.push(
            &unreadable.pointer,
            Kind::UnreadablePath,
            unreadable.reason.clone(),
            "left its operations out",
        );
    }
    let selected: Vec<&openapi::Operation<'_>> = found
        .operations
        .iter()
        .filter(|operation| {
            options
                .paths
                .iter()
                .any(|pattern| matches(pattern, operation.path))
        })
        .collect();
    if selected.is_empty() {
        return Err(Error(format!(
            "no operation of the document is under {}",
            options.paths.join(", ")
        )));
    }
    // The format has GET, POST, PUT, PATCH and DELETE.
    let (selected, unsupported): (Vec<_>, Vec<_>) = selected.into_iter().partition(|operation| {
        matches!(
            operation.method,
            "GET" | "POST" | "PUT" | "PATCH" | "DELETE"
        )
    });
    for operation in unsupported {
        warnings.push(
            &operation.pointer,
            Kind::UnsupportedMethod,
            format!(
                "{} operations cannot be expressed in the spec",
                operation.method
            ),
            "left the operation out",
        );
    }
    for operation in &selected {
        security(doc, operation, &mut warnings);
    }

    // 2. Lower.
    let mut lowerer = Lowerer::new(resolver, names);
    let entries: Vec<Option<&names_file::OperationNames>> = selected
        .iter()
        .map(|operation| names.operation(operation.operation_id(), &operation.route()))
        .collect();
    let lowered: Vec<model::Operation> = selected
        .iter()
        .zip(&entries)
        .enumerate()
        .map(|(index, (operation, entry))| {
            operations::lower(&mut lowerer, &resolver, operation, index, *entry)
        })
        .collect();

    // 3. Plan names.
    let facts: Vec<resources::Facts<'_>> = selected
        .iter()
        .zip(&lowered)
        .zip(&entries)
        .map(|((operation, lowered), entry)| resources::Facts {
            method: operation.method,
            path: operation.path,
            operation_id: operation.operation_id(),
            fern: fern_names(operation),
            list_result: matches!(lowered.result, Some(Ty::List(_))),
            tags: &operation.operation.tags,
            names: *entry,
            pointer: operation.pointer.as_str(),
        })
        .collect();
    warnings_into(&mut warnings, std::mem::take(&mut lowerer.warnings));
    let placements = resources::plan(&facts, names, &mut warnings);
    let tree = resources::tree(&placements, &facts, names);
    let mut types = lowerer.types;
    require_discriminators(&mut types);
    let renames = type_renames(&types, names);
    let operation_names: Vec<String> = placements
        .iter()
        .map(resources::Placement::type_base)
        .collect();
    let (type_names, mut naming_comments) = naming::type_names(&types, &renames, &operation_names);
    variant_orders(
        &mut types,
        &type_names,
        names,
        &mut naming_comments,
        &options.names_file,
        &mut warnings,
    );
    let order = type_order(doc, &types, naming_comments);
    let values = options.values.then(|| {
        let hints = values::SpecHints {
            types: &types,
            type_at: &lowerer.type_at,
            union_variants_at: &lowerer.union_variants_at,
        };
        values::values(
            resolver,
            &hints,
            &selected,
            &lowered,
            &placements,
            &mut warnings,
        )
    });

    // 4. Write.
    let header = header(doc, options);
    let krate = crate_meta(doc, names, options);
    let base_url = names
        .base_url
        .clone()
        .or_else(|| doc.servers.first().map(|server| server.url.clone()))
        .unwrap_or_else(|| "https://api.cloudflare.com/client/v4".to_owned());
    let placement_comments: Vec<Vec<String>> = placements
        .iter()
        .map(|placement| placement.comments.clone())
        .collect();
    let yaml = render::render(&render::Spec {
        header,
        krate: &krate,
        base_url: &base_url,
        types: &types,
        names: &type_names,
        order: &order,
        operations: &lowered,
        placement_comments: &placement_comments,
        resources: &tree,
    });
    names.report_unused(&options.names_file, &mut warnings);
    Ok(Imported {
        yaml,
        values,
        warnings: warnings.into_vec(),
        operations: lowered.len(),
        types: order.len(),
    })
}

/// Makes each discriminated union's tag property required and not nullable in its variants.
/// OpenAPI requires it there; the documents do not always say so, and a variant sent
/// without its tag could not be told apart.
fn require_discriminators(types: &mut model::Types) {
    let mut tags: Vec<(usize, String)> = Vec::new();
    for entry in &types.entries {
        let State::Def(def) = &entry.state else {
            continue;
        };
        let model::Kind::Union(union) = &def.kind else {
            continue;
        };
        let Some(property) = &union.discriminator else {
            continue;
        };
        for variant in &union.variants {
            if let Ty::Named(id) = variant.ty {
                tags.push((id, property.clone()));
            }
        }
    }
    for (id, property) in tags {
        let Some(entry) = types.entries.get_mut(id) else {
            continue;
        };
        let State::Def(def) = &mut entry.state else {
            continue;
        };
        let model::Kind::Object(object) = &mut def.kind else {
            continue;
        };
        let field = object
            .fields
            .iter_mut()
            .find(|(wire, _)| *wire == property)
            .map(|(_, field)| field);
        if let Some(field) = field.filter(|field| field.optional || field.nullable) {
            field.optional = false;
            field.nullable = false;
            field.comment.get_or_insert_with(|| {
                "required: it is the tag of the union this type is a variant of".to_owned()
            });
        }
    }
}

fn warnings_into(into: &mut Warnings, from: Warnings) {
    for warning in from.into_vec() {
        into.push_at(&warning.at, warning.kind, warning.what, warning.instead);
    }
}

/// The official SDK's names for an operation, when the document has both.
fn fern_names<'d>(operation: &openapi::Operation<'d>) -> Option<(&'d str, &'d str)> {
    let extensions = &operation.operation.extensions;
    let group = extensions.get("x-fern-sdk-group-name")?.as_str()?;
    let method = extensions.get("x-fern-sdk-method-name")?.as_str()?;
    Some((group, method))
}

/// Security requirements that name schemes the document does not define.
fn security(doc: &OpenAPI, operation: &openapi::Operation<'_>, warnings: &mut Warnings) {
    let defined = doc
        .components
        .as_ref()
        .map(|components| &components.security_schemes);
    let requirements = operation
        .operation
        .security
        .as_ref()
        .or(doc.security.as_ref());
    for (index, requirement) in requirements.into_iter().flatten().enumerate() {
        for scheme in requirement.keys() {
            if !defined.is_some_and(|defined| defined.contains_key(scheme)) {
                warnings.push(
                    &operation.pointer.push("security").index(index),
                    Kind::UndefinedSecurityScheme,
                    format!(
                        "security scheme `{scheme}` is not defined in components.securitySchemes"
                    ),
                    "ignored it: the client sends whichever credentials it is built with",
                );
            }
        }
    }
}

/// The names file's type names, by entry: components by name, inline types by pointer.
fn type_renames(types: &model::Types, names: &NamesFile) -> BTreeMap<usize, String> {
    let mut renames = BTreeMap::new();
    for (id, entry) in types.entries.iter().enumerate() {
        if !matches!(entry.state, State::Def(_)) {
            continue;
        }
        let key = match &entry.origin {
            Origin::Component { name } => name.clone(),
            Origin::Inline { .. } => entry.pointer.as_str().to_owned(),
        };
        if let Some(name) = names.type_names(&key).and_then(|found| found.name.clone()) {
            renames.insert(id, name);
        }
    }
    renames
}

/// Puts the variants of unions in the order the names file gives (by their written type
/// expressions); variants it does not list follow in the importer's order.
fn variant_orders(
    types: &mut model::Types,
    type_names: &[Option<String>],
    names: &NamesFile,
    comments: &mut Vec<(usize, String)>,
    names_file: &str,
    warnings: &mut Warnings,
) {
    let snapshot = types.clone();
    for (id, entry) in types.entries.iter_mut().enumerate() {
        let key = match &entry.origin {
            Origin::Component { name } => name.clone(),
            Origin::Inline { .. } => entry.pointer.as_str().to_owned(),
        };
        let State::Def(model::TypeDef {
            kind: model::Kind::Union(union),
            ..
        }) = &mut entry.state
        else {
            continue;
        };
        let Some(order) = names
            .type_names(&key)
            .map(|found| &found.variant_order)
            .filter(|order| !order.is_empty())
        else {
            continue;
        };
        let written =
            |variant: &model::Variant| render::expression(&snapshot, type_names, &variant.ty);
        for wanted in order {
            if !union
                .variants
                .iter()
                .any(|variant| written(variant) == *wanted)
            {
                warnings.push_at(
                    &format!("{names_file}: types.{key}.variant_order"),
                    Kind::UnusedName,
                    format!("`{wanted}` is not a variant of the union"),
                    "ignored it",
                );
            }
        }
        union.variants.sort_by_key(|variant| {
            let written = written(variant);
            order
                .iter()
                .position(|wanted| *wanted == written)
                .unwrap_or(order.len())
        });
        comments.push((id, "variants in the order the names file gives".to_owned()));
    }
}

/// Types in the document's order: components as `components.schemas` lists them, each
/// followed by the inline types inside it, then the types of operations' bodies, results
/// and parameters in operation order.
fn type_order(
    doc: &OpenAPI,
    types: &model::Types,
    comments: Vec<(usize, String)>,
) -> Vec<(usize, Vec<String>)> {
    let component_index = |id: usize| -> usize {
        match types.entries.get(id).map(|entry| &entry.origin) {
            Some(Origin::Component { name }) => doc
                .components
                .as_ref()
                .and_then(|components| components.schemas.get_index_of(name))
                .unwrap_or(usize::MAX - 1),
            _ => usize::MAX - 1,
        }
    };
    let mut keyed: Vec<((usize, usize, usize), usize)> = types
        .entries
        .iter()
        .enumerate()
        .filter(|(_, entry)| matches!(entry.state, State::Def(_)))
        .map(|(id, entry)| {
            let key = match &entry.origin {
                Origin::Component { .. } => (component_index(id), 0, entry.started),
                Origin::Inline {
                    base: Base::Type(owner),
                    ..
                } => (component_index(*owner), 1, entry.started),
                Origin::Inline {
                    base: Base::Operation(index),
                    ..
                } => (usize::MAX, *index, entry.started),
            };
            (key, id)
        })
        .collect();
    keyed.sort();
    let mut by_id: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for (id, comment) in comments {
        by_id.entry(id).or_default().push(comment);
    }
    keyed
        .into_iter()
        .map(|(_, id)| (id, by_id.remove(&id).unwrap_or_default()))
        .collect()
}

fn header(doc: &OpenAPI, options: &Options) -> Vec<String> {
    vec![
        format!(
            "Imported by `cargo xtask import` from {} ({}, OpenAPI {}, API version {}),",
            options.document, doc.info.title, doc.openapi, doc.info.version
        ),
        format!("paths {}.", options.paths.join(", ")),
        format!(
            "Re-import rather than edit by hand: choices that should survive the next import go in the names file ({}).",
            if options.names_file.is_empty() { "none was given" } else { &options.names_file }
        ),
        "Comments say what the importer decided; `warning:` lines on stderr say what it could not map.".to_owned(),
    ]
}

fn crate_meta(doc: &OpenAPI, names: &NamesFile, options: &Options) -> CrateMeta {
    let given = &names.krate;
    let name = given
        .name
        .clone()
        .or_else(|| options.crate_name.clone())
        .unwrap_or_else(|| "cloudflare-api".to_owned());
    let title = doc.info.title.trim();
    CrateMeta {
        description: given
            .description
            .clone()
            .unwrap_or_else(|| format!("Typed async client for {title}, generated from its OpenAPI document.")),
        doc: given.doc.clone().unwrap_or_else(|| {
            format!(
                "A typed async client for {title}.\n\nGenerated from the spec that `cargo xtask import` wrote from the OpenAPI document; change the spec or the names file and regenerate rather than editing the code by hand."
            )
        }),
        version: given.version.clone().unwrap_or_else(|| "0.1.0".to_owned()),
        license: given
            .license
            .clone()
            .unwrap_or_else(|| "MIT OR Apache-2.0".to_owned()),
        repository: given
            .repository
            .clone()
            .unwrap_or_else(|| "https://github.com/example/cloudflare-api".to_owned()),
        rust_version: given.rust_version.clone().unwrap_or_else(|| "1.89".to_owned()),
        name,
    }
}

/// A YAML sequence of `{doc: text}` mappings, written as the importer writes docs: for tests
/// that what it writes reads back as what the document said.
pub fn yaml_of_strings(strings: &[String]) -> String {
    let mut writer = yaml::Writer::default();
    for text in strings {
        writer.item_string(0, "doc", text);
    }
    writer.finish()
}

/// Writes `text` to `path` through a temporary file beside it and a rename, so a failure
/// leaves the old file (or none), never half of the new one.
pub fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let directory = path
        .parent()
        .filter(|parent| !parent.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."));
    let file_name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| "spec.yaml".to_owned());
    let temporary = directory.join(format!(".{file_name}.{}.tmp", std::process::id()));
    let written = std::fs::write(&temporary, text).and_then(|()| std::fs::rename(&temporary, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    written
}
