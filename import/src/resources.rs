//! The resource tree, shaped the way the official SDKs shape theirs.
//!
//! Where the document has `x-fern-sdk-group-name` and `x-fern-sdk-method-name` (the official
//! SDK's own names: `zero-trust.access.applications` and `list`), they decide. The rest is
//! derived from the path the same way: the account or zone scope dropped, literal segments
//! as resources, `{param}` segments marking items, a `POST` to a leaf after an item (or after
//! a path with operations of its own) as an action method of that resource, and method names
//! by HTTP method (`list` for a GET of a collection, `get`, `create`, `update`, `edit`,
//! `delete`). A derived path that an SDK-named operation also has takes that operation's
//! resource, so both kinds of operation meet in one tree.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::Resource;
use crate::names_file::{NamesFile, OperationNames};
use crate::naming::{first_free, member, pascal};
use crate::warning::{Kind, Warnings};

/// What resource planning needs to know about one operation.
#[derive(Debug, Clone)]
pub struct Facts<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub operation_id: Option<&'a str>,
    /// `(x-fern-sdk-group-name, x-fern-sdk-method-name)`.
    pub fern: Option<(&'a str, &'a str)>,
    pub list_result: bool,
    pub tags: &'a [String],
    pub names: Option<&'a OperationNames>,
    pub pointer: &'a str,
}

/// Where one operation goes.
#[derive(Debug, Clone)]
pub struct Placement {
    pub resource: Vec<String>,
    pub method: String,
    pub comments: Vec<String>,
}

impl Placement {
    /// `PascalCase` base for the names of the operation's inline types: the resource's
    /// last segment and the method (`IntegrationsCreate`).
    pub fn type_base(&self) -> String {
        let last = self.resource.last().map(String::as_str).unwrap_or("Api");
        pascal(&format!("{last} {}", self.method))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Segment {
    Literal(String),
    Param,
}

/// The path without its account or zone scope, as segments.
fn segments(path: &str) -> Vec<Segment> {
    let all: Vec<Segment> = path
        .split('/')
        .filter(|segment| !segment.is_empty())
        .map(|segment| {
            if segment.starts_with('{') && segment.ends_with('}') {
                Segment::Param
            } else {
                Segment::Literal(segment.to_owned())
            }
        })
        .collect();
    let scoped = match all.as_slice() {
        [Segment::Literal(scope), Segment::Param, _, ..] => {
            matches!(
                scope.as_str(),
                "accounts" | "zones" | "organizations" | "users"
            )
        }
        [Segment::Param, Segment::Param, _, ..] => true,
        _ => false,
    };
    if scoped {
        all.into_iter().skip(2).collect()
    } else {
        all
    }
}

fn literals(segments: &[Segment]) -> Vec<String> {
    segments
        .iter()
        .filter_map(|segment| match segment {
            Segment::Literal(text) => Some(member(text)),
            Segment::Param => None,
        })
        .collect()
}

/// The paths of the imported operations, to tell collections, items and actions apart.
struct PathIndex {
    /// Scope-less paths and their methods.
    paths: BTreeMap<Vec<Segment>, BTreeSet<String>>,
}

impl PathIndex {
    fn has_children(&self, path: &[Segment]) -> bool {
        self.paths
            .keys()
            .any(|other| other.len() > path.len() && other.starts_with(path))
    }

    fn has_item_child(&self, path: &[Segment]) -> bool {
        self.paths.keys().any(|other| {
            other.len() == path.len() + 1
                && other.starts_with(path)
                && other.last() == Some(&Segment::Param)
        })
    }

    fn exists(&self, path: &[Segment]) -> bool {
        self.paths.contains_key(path)
    }
}

/// The placement the path alone gives.
fn derived(index: &PathIndex, facts: &Facts<'_>) -> (Vec<String>, String, Option<String>) {
    let segments = segments(facts.path);
    let count = segments.len();
    if let Some(Segment::Literal(last)) = segments.last() {
        let parent = segments.get(..count.saturating_sub(1)).unwrap_or_default();
        let is_action = facts.method == "POST"
            && count >= 2
            && !index.has_children(&segments)
            && (parent.last() == Some(&Segment::Param) || index.exists(parent));
        if is_action {
            let comment = format!(
                "a POST to a leaf path after an item or a resource: the method `{}` of that resource",
                member(last)
            );
            return (literals(parent), member(last), Some(comment));
        }
    }
    let item = segments.last() == Some(&Segment::Param);
    let method = match facts.method {
        "GET" if item => "get",
        "GET" if index.has_item_child(&segments) || facts.list_result => "list",
        "GET" => "get",
        "POST" => "create",
        "PUT" => "update",
        "PATCH" => "edit",
        _ => "delete",
    };
    let mut resource = literals(&segments);
    if resource.is_empty() {
        resource.push("api".to_owned());
    }
    (resource, method.to_owned(), None)
}

fn dotted(path: &[String]) -> String {
    path.join(".")
}

fn undotted(path: &str) -> Vec<String> {
    path.split('.')
        .filter(|part| !part.is_empty())
        .map(member)
        .collect()
}

/// Places every operation, collision-free.
pub fn plan(all: &[Facts<'_>], names: &NamesFile, warnings: &mut Warnings) -> Vec<Placement> {
    let index = PathIndex {
        paths: all.iter().fold(BTreeMap::new(), |mut paths, facts| {
            paths
                .entry(segments(facts.path))
                .or_insert_with(BTreeSet::new)
                .insert(facts.method.to_owned());
            paths
        }),
    };
    let drop = drop_prefix(all, names);
    let mut placements: Vec<Placement> = all
        .iter()
        .map(|facts| {
            let (resource, method, comment) = derived(&index, facts);
            Placement {
                resource,
                method,
                comments: comment.into_iter().collect(),
            }
        })
        .collect();

    // The SDK's names, where the document gives them; what a derived resource path maps to.
    let mut learned: BTreeMap<Vec<String>, Vec<String>> = BTreeMap::new();
    let mut from_sdk = vec![false; all.len()];
    let mut claims: BTreeMap<(Vec<String>, String), Vec<usize>> = BTreeMap::new();
    for (number, facts) in all.iter().enumerate() {
        let Some((group, method)) = facts.fern else {
            continue;
        };
        let mut resource = undotted(group);
        if let Some(drop) = &drop {
            if resource.len() > 1 && resource.first() == Some(drop) {
                resource.remove(0);
            }
        }
        claims
            .entry((resource, member(method)))
            .or_default()
            .push(number);
    }
    for ((resource, method), claimants) in claims {
        if let [only] = claimants.as_slice() {
            if let Some(placement) = placements.get_mut(*only) {
                learned
                    .entry(placement.resource.clone())
                    .or_insert_with(|| resource.clone());
                *placement = Placement {
                    resource,
                    method,
                    comments: Vec::new(),
                };
            }
            if let Some(flag) = from_sdk.get_mut(*only) {
                *flag = true;
            }
        } else {
            for number in claimants {
                if let Some(placement) = placements.get_mut(number) {
                    placement.comments.push(format!(
                        "the SDK names `{}.{method}` for several operations: placed by its path instead",
                        dotted(&resource)
                    ));
                }
            }
        }
    }
    for (number, placement) in placements.iter_mut().enumerate() {
        if from_sdk.get(number).copied().unwrap_or(false) {
            continue;
        }
        // The longest derived prefix an SDK-named operation has.
        let prefix = (1..=placement.resource.len()).rev().find_map(|length| {
            let prefix = placement.resource.get(..length)?;
            learned.get(prefix).map(|target| (length, target.clone()))
        });
        if let Some((length, mut target)) = prefix {
            let derived = dotted(&placement.resource);
            let covered = placement
                .resource
                .get(..length)
                .map(dotted)
                .unwrap_or_default();
            target.extend(placement.resource.iter().skip(length).cloned());
            placement.resource = target;
            placement.comments.push(format!(
                "no SDK names upstream: `{derived}` from the path, under the resource the SDK names for `{covered}`"
            ));
        }
    }

    // The maintainer's choices.
    for (placement, facts) in placements.iter_mut().zip(all) {
        let renamed = names.rename_resource(&dotted(&placement.resource));
        placement.resource = undotted(&renamed);
        if let Some(chosen) = facts.names {
            if let Some(resource) = &chosen.resource {
                placement.resource = undotted(resource);
            }
            if let Some(method) = &chosen.method {
                placement.method = member(method);
            }
            if chosen.resource.is_some() || chosen.method.is_some() {
                placement.comments = vec!["placed by the names file".to_owned()];
            }
        }
        if placement.resource.is_empty() {
            placement.resource.push("api".to_owned());
        }
    }

    resolve_collisions(&mut placements, all, warnings);
    placements
}

/// The leading SDK group to drop: the names file's, else the one every SDK-named
/// operation shares.
fn drop_prefix(all: &[Facts<'_>], names: &NamesFile) -> Option<String> {
    if let Some(chosen) = &names.drop_group_prefix {
        return (!chosen.is_empty()).then(|| member(chosen));
    }
    let firsts: BTreeSet<String> = all
        .iter()
        .filter_map(|facts| facts.fern)
        .filter_map(|(group, _)| undotted(group).into_iter().next())
        .collect();
    match (firsts.len(), all.iter().all(|facts| facts.fern.is_some())) {
        (1, true) => firsts.into_iter().next(),
        _ => None,
    }
}

fn resolve_collisions(placements: &mut [Placement], all: &[Facts<'_>], warnings: &mut Warnings) {
    // Two operations, one method: the first in document order keeps the name.
    let mut taken: BTreeMap<Vec<String>, BTreeSet<String>> = BTreeMap::new();
    // Child resource names of every resource, which methods must not take.
    let mut children: BTreeMap<Vec<String>, BTreeSet<String>> = BTreeMap::new();
    for placement in placements.iter() {
        for length in 1..placement.resource.len() {
            if let (Some(parent), Some(child)) = (
                placement.resource.get(..length),
                placement.resource.get(length),
            ) {
                children
                    .entry(parent.to_vec())
                    .or_default()
                    .insert(child.clone());
            }
        }
    }
    for (placement, facts) in placements.iter_mut().zip(all) {
        let names = taken.entry(placement.resource.clone()).or_default();
        let kids = children.get(&placement.resource);
        let clash = |name: &str| {
            names.contains(name)
                || kids.is_some_and(|kids| kids.contains(name))
                || codegen::validate::RESERVED_HANDLE_METHODS.contains(&name)
        };
        if clash(&placement.method) {
            let wanted = placement.method.clone();
            let fallback = facts
                .operation_id
                .map(member)
                .filter(|name| !clash(name))
                .unwrap_or_else(|| first_free(&wanted, clash, "_"));
            let what = if names.contains(&wanted) {
                "another operation"
            } else {
                "a child resource"
            };
            warnings.push_at(
                facts.pointer,
                Kind::NameCollision,
                format!(
                    "`{}.{wanted}` is already {what}",
                    dotted(&placement.resource)
                ),
                format!("named the method `{fallback}`"),
            );
            placement
                .comments
                .push(format!("named `{fallback}`: `{wanted}` is taken by {what}"));
            placement.method = fallback;
        }
        names.insert(placement.method.clone());
    }
    // Top-level resources become modules beside the runtime's and methods of its `Client`.
    let client = client_methods();
    for placement in placements.iter_mut() {
        if let Some(first) = placement.resource.first_mut() {
            if codegen::validate::RESERVED_MODULES.contains(&first.as_str())
                || client.contains(first.as_str())
            {
                placement.comments.push(format!(
                    "top-level `{first}` is the runtime's: written `{first}_api`"
                ));
                *first = format!("{first}_api");
            }
        }
    }
}

/// The methods of the runtime's `Client`, read from its source as the generator's validator
/// reads them, so that a top-level resource never takes one.
fn client_methods() -> BTreeSet<String> {
    let source = codegen::runtime::RUNTIME
        .iter()
        .find(|module| module.name == "client")
        .and_then(|module| syn::parse_file(module.source).ok());
    let Some(file) = source else {
        return BTreeSet::new();
    };
    file.items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Impl(block) if block.trait_.is_none() => Some(block),
            _ => None,
        })
        .filter(
            |block| matches!(&*block.self_ty, syn::Type::Path(ty) if ty.path.is_ident("Client")),
        )
        .flat_map(|block| &block.items)
        .filter_map(|item| match item {
            syn::ImplItem::Fn(method) => Some(method.sig.ident.to_string()),
            _ => None,
        })
        .collect()
}

/// The tree, with docs: the names file's, else the tag all of a resource's operations
/// share, else where its operations live.
pub fn tree(placements: &[Placement], all: &[Facts<'_>], names: &NamesFile) -> Resource {
    let mut root = Resource::default();
    for (number, placement) in placements.iter().enumerate() {
        let mut node = &mut root;
        for part in &placement.resource {
            node = node.child_mut(part);
        }
        node.operations.push((placement.method.clone(), number));
    }
    document(&mut root, &mut Vec::new(), all, names);
    root
}

fn document(node: &mut Resource, path: &mut Vec<String>, all: &[Facts<'_>], names: &NamesFile) {
    for (name, child) in &mut node.resources {
        path.push(name.clone());
        document(child, path, all, names);
        let dotted = dotted(path);
        child.doc = match names.resource_doc(&dotted) {
            Some(doc) => doc.to_owned(),
            None => derived_doc(child, name, all),
        };
        path.pop();
    }
}

fn derived_doc(node: &Resource, name: &str, all: &[Facts<'_>]) -> String {
    let tags: BTreeSet<&String> = node
        .operations
        .iter()
        .filter_map(|(_, number)| all.get(*number))
        .flat_map(|facts| facts.tags.first())
        .collect();
    if let (1, Some(tag)) = (tags.len(), tags.first()) {
        return format!("{tag}.");
    }
    if let Some(first) = node
        .operations
        .first()
        .and_then(|(_, number)| all.get(*number))
    {
        return format!("Operations on `{}` and around it.", first.path);
    }
    let children: Vec<String> = node
        .resources
        .iter()
        .map(|(child, _)| format!("`{child}`"))
        .collect();
    format!("The `{name}` resources: {}.", children.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts<'a>(method: &'a str, path: &'a str) -> Facts<'a> {
        Facts {
            method,
            path,
            operation_id: None,
            fern: None,
            list_result: false,
            tags: &[],
            names: None,
            pointer: "#",
        }
    }

    fn placed(all: &[Facts<'_>]) -> Vec<String> {
        let mut warnings = Warnings::default();
        plan(all, &NamesFile::default(), &mut warnings)
            .into_iter()
            .map(|placement| format!("{}.{}", dotted(&placement.resource), placement.method))
            .collect()
    }

    #[test]
    fn paths_give_collections_items_and_actions() {
        let all = [
            facts("GET", "/accounts/{account_id}/zt_risk_scoring/{user_id}"),
            facts(
                "POST",
                "/accounts/{account_id}/zt_risk_scoring/{user_id}/reset",
            ),
            facts("GET", "/accounts/{account_id}/zt_risk_scoring/behaviors"),
            facts("PUT", "/accounts/{account_id}/zt_risk_scoring/behaviors"),
            facts("GET", "/accounts/{account_id}/zt_risk_scoring/integrations"),
            facts(
                "POST",
                "/accounts/{account_id}/zt_risk_scoring/integrations",
            ),
            facts(
                "PATCH",
                "/accounts/{account_id}/zt_risk_scoring/integrations/{id}",
            ),
            facts(
                "DELETE",
                "/accounts/{account_id}/zt_risk_scoring/integrations/{id}",
            ),
            facts("POST", "/accounts/{account_id}/keys/rotate"),
            facts("GET", "/accounts/{account_id}/keys"),
            facts("POST", "/accounts/{account_id}/access/policy-tests"),
        ];
        assert_eq!(
            placed(&all),
            [
                "zt_risk_scoring.get",
                "zt_risk_scoring.reset",
                "zt_risk_scoring.behaviors.get",
                "zt_risk_scoring.behaviors.update",
                "zt_risk_scoring.integrations.list",
                "zt_risk_scoring.integrations.create",
                "zt_risk_scoring.integrations.edit",
                "zt_risk_scoring.integrations.delete",
                "keys.rotate",
                "keys.get",
                "access.policy_tests.create",
            ]
        );
    }

    #[test]
    fn sdk_names_win_and_teach_the_paths_they_cover() {
        let mut apps = facts(
            "GET",
            "/{accounts_or_zones}/{account_or_zone_id}/access/apps",
        );
        apps.fern = Some(("zero-trust.access.applications", "list"));
        let mut revoke = facts(
            "POST",
            "/accounts/{account_id}/access/apps/{app_id}/revoke_tokens",
        );
        revoke.fern = Some(("zero-trust.access.applications", "revoke-tokens"));
        let mut policies = facts(
            "GET",
            "/accounts/{account_id}/access/apps/{app_id}/policies",
        );
        policies.list_result = true;
        let mut twice_a = facts("GET", "/accounts/{account_id}/posture/exports");
        twice_a.fern = Some(("zero-trust.posture", "get"));
        twice_a.list_result = true;
        let mut twice_b = facts("GET", "/accounts/{account_id}/posture/findings");
        twice_b.fern = Some(("zero-trust.posture", "get"));
        twice_b.list_result = true;
        let mut warnings = Warnings::default();
        let names = NamesFile::parse("names.yaml", "drop_group_prefix: zero-trust").unwrap();
        let placed: Vec<String> = plan(
            &[apps, revoke, policies, twice_a, twice_b],
            &names,
            &mut warnings,
        )
        .into_iter()
        .map(|placement| format!("{}.{}", dotted(&placement.resource), placement.method))
        .collect();
        assert_eq!(
            placed,
            [
                "access.applications.list",
                "access.applications.revoke_tokens",
                "access.applications.policies.list",
                "posture.exports.list",
                "posture.findings.list",
            ]
        );
    }

    #[test]
    fn collisions_take_the_operation_id_or_a_number() {
        let mut first = facts("POST", "/accounts/{account_id}/datasets/{id}/upload");
        first.operation_id = Some("datasets-create-version");
        let mut second = facts(
            "POST",
            "/accounts/{account_id}/datasets/{id}/upload/{version}",
        );
        second.operation_id = Some("datasets-upload-version");
        let third = facts("POST", "/accounts/{account_id}/datasets/{id}/upload/{v2}");
        let mut action = facts("POST", "/accounts/{account_id}/devices/{id}/revoke");
        action.fern = Some(("devices", "revoke"));
        let mut child = facts("POST", "/accounts/{account_id}/devices/revoke");
        child.fern = Some(("devices.revoke", "create"));
        assert_eq!(
            placed(&[first, second, third, action, child]),
            [
                "datasets.upload.create",
                "datasets.upload.datasets_upload_version",
                "datasets.upload.create_2",
                "devices.revoke_2",
                "devices.revoke.create",
            ]
        );
    }
}
