//! The names file: a maintainer's choices that survive the next import (see `README.md`).
//!
//! Keys refer to upstream things by stable identifiers: operations by `operationId` or
//! `METHOD path`, types by component schema name or by the JSON pointer of an inline
//! schema, resources by the dotted path the importer would derive. Every entry is marked
//! when it is used; those never used are reported, so the file never outlives the document
//! silently.

use std::cell::RefCell;
use std::collections::BTreeSet;

use indexmap::IndexMap;
use serde::Deserialize;

use crate::warning::{Kind, Warnings};

/// The file as written.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NamesFile {
    /// Crate metadata; any key left out comes from the document or a default.
    #[serde(default, rename = "crate")]
    pub krate: CrateOverrides,
    #[serde(default)]
    pub base_url: Option<String>,
    /// The leading `x-fern-sdk-group-name` group to drop (`zero-trust`); by default the one
    /// every grouped operation shares, if any. `""` drops nothing.
    #[serde(default)]
    pub drop_group_prefix: Option<String>,
    /// Resource renames: a derived dotted resource path (or a prefix of one) to the path to
    /// use instead. The longest matching prefix wins.
    #[serde(default)]
    pub resources: IndexMap<String, String>,
    /// Per operation, keyed by `operationId` or `METHOD path`.
    #[serde(default)]
    pub operations: IndexMap<String, OperationNames>,
    /// Per type, keyed by component schema name or the JSON pointer of an inline schema.
    #[serde(default)]
    pub types: IndexMap<String, TypeNames>,
    /// Docs of resources, keyed by their final dotted path.
    #[serde(default)]
    pub resource_docs: IndexMap<String, String>,
    #[serde(skip)]
    used: RefCell<BTreeSet<String>>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrateOverrides {
    pub name: Option<String>,
    pub version: Option<String>,
    pub description: Option<String>,
    pub license: Option<String>,
    pub repository: Option<String>,
    pub rust_version: Option<String>,
    pub doc: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OperationNames {
    /// The dotted resource path the operation belongs to (`zero_trust.risk_scoring`).
    pub resource: Option<String>,
    /// The method name on that resource.
    pub method: Option<String>,
    /// `none`, or a pagination style of the format, instead of what the importer infers.
    pub pagination: Option<String>,
    /// Whether a retry is safe, when the method's default is wrong for this operation.
    pub idempotent: Option<bool>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TypeNames {
    /// The type's name in the spec.
    pub name: Option<String>,
    /// Rust names of fields, by wire name.
    #[serde(default)]
    pub fields: IndexMap<String, String>,
    /// The order of a union's variants, by the names of their types in the spec (as
    /// written, `list<…>` included); variants not listed follow in the importer's order.
    #[serde(default)]
    pub variant_order: Vec<String>,
}

impl NamesFile {
    pub fn parse(name: &str, text: &str) -> Result<NamesFile, String> {
        serde_yaml::from_str(text).map_err(|error| format!("{name}: {error}"))
    }

    fn mark(&self, key: String) {
        self.used.borrow_mut().insert(key);
    }

    /// The entry of an operation, by `operationId` first, then by route.
    pub fn operation(&self, operation_id: Option<&str>, route: &str) -> Option<&OperationNames> {
        let key = operation_id
            .filter(|id| self.operations.contains_key(*id))
            .unwrap_or(route);
        let found = self.operations.get(key)?;
        self.mark(format!("operations.{key}"));
        Some(found)
    }

    /// The entry of a type, by component name or by the pointer of an inline schema.
    pub fn type_names(&self, key: &str) -> Option<&TypeNames> {
        let found = self.types.get(key)?;
        self.mark(format!("types.{key}"));
        Some(found)
    }

    /// A field rename, marked used only when it is applied.
    pub fn field_name(&self, type_key: &str, wire: &str) -> Option<&str> {
        let found = self.types.get(type_key)?.fields.get(wire)?;
        self.mark(format!("types.{type_key}"));
        self.mark(format!("types.{type_key}.fields.{wire}"));
        Some(found)
    }

    /// Applies the longest matching rename of `resources` to a derived dotted path.
    pub fn rename_resource(&self, derived: &str) -> String {
        let matching = self
            .resources
            .iter()
            .filter(|(from, _)| {
                derived == from.as_str()
                    || derived
                        .strip_prefix(from.as_str())
                        .is_some_and(|rest| rest.starts_with('.'))
            })
            .max_by_key(|(from, _)| from.len());
        match matching {
            Some((from, to)) => {
                self.mark(format!("resources.{from}"));
                format!("{to}{}", derived.get(from.len()..).unwrap_or_default())
            }
            None => derived.to_owned(),
        }
    }

    /// The doc of a resource, by its final dotted path.
    pub fn resource_doc(&self, path: &str) -> Option<&str> {
        let found = self.resource_docs.get(path)?;
        self.mark(format!("resource_docs.{path}"));
        Some(found)
    }

    /// Warns about every entry that was never used.
    pub fn report_unused(&self, file: &str, warnings: &mut Warnings) {
        let used = self.used.borrow();
        let mut unused = Vec::new();
        for key in self.resources.keys() {
            unused.push(format!("resources.{key}"));
        }
        for key in self.operations.keys() {
            unused.push(format!("operations.{key}"));
        }
        for (key, names) in &self.types {
            unused.push(format!("types.{key}"));
            for wire in names.fields.keys() {
                unused.push(format!("types.{key}.fields.{wire}"));
            }
        }
        for key in self.resource_docs.keys() {
            unused.push(format!("resource_docs.{key}"));
        }
        for key in unused.into_iter().filter(|key| !used.contains(key)) {
            warnings.push_at(
                &format!("{file}: {key}"),
                Kind::UnusedName,
                "the names-file entry matches nothing in the imported operations",
                "ignored it; remove or update it",
            );
        }
    }
}
