//! Synthetic specs of any size, for measuring how the generator scales.
//!
//! [`spec`] writes the YAML text of a valid spec with exactly `operations` operations. It is
//! the real spec's shape repeated: each *family* is a renamed copy of `spec/risk_scoring.yaml`'s
//! `risk_scoring` subtree (the same 11 operations, the same 4 levels of resources, the same
//! 12 types of its own: objects with optional and nullable fields, lists, maps, timestamps,
//! UUIDs, URIs, arbitrary JSON, an enum, request bodies) plus one enum shared by every family,
//! as `RiskLevel` is in the real spec. Families are grouped ten to a top-level resource. A
//! count that is not a multiple of 11 cuts the last family short.
//!
//! So the per-operation content (types, docs, path parameters, example responses, and the
//! YAML style they are written in) matches the real spec, and a synthetic spec of N
//! operations costs what a real API of N such operations would. The text depends only on
//! `operations`: same count, same bytes.

use std::fmt::Write;

use serde_json::{json, Map, Value};

/// Operations in one family (the real spec's count).
pub const FAMILY_OPERATIONS: usize = 11;

/// Families under one top-level resource.
const FAMILIES_PER_AREA: usize = 10;

/// The YAML text of a valid spec with exactly `operations` operations.
pub fn spec(operations: usize) -> String {
    let families = operations.div_ceil(FAMILY_OPERATIONS);
    let mut out = String::with_capacity(4_600 * operations + 4_096);
    out.push_str(HEADER);
    out.push_str("\ntypes:\n");
    for shared in SHARED_TYPES {
        write_type(&mut out, shared, "");
    }
    for family in 0..families {
        for def in FAMILY_TYPES {
            write_type(&mut out, def, &family.to_string());
        }
    }
    out.push_str("\nresources:\n");
    let mut remaining = operations;
    for area in 0..families.div_ceil(FAMILIES_PER_AREA) {
        let _ = writeln!(out, "  zero_trust_{area}:");
        let _ = writeln!(
            out,
            "    doc: {}",
            scalar(&format!("Cloudflare Zero Trust, part {area}."))
        );
        out.push_str("    resources:\n");
        let first = area * FAMILIES_PER_AREA;
        for family in first..families.min(first + FAMILIES_PER_AREA) {
            let take = remaining.min(FAMILY_OPERATIONS);
            remaining -= take;
            let root = family_resources(&family.to_string(), take);
            write_resource(&mut out, &root, 6);
        }
    }
    out
}

const HEADER: &str = r#"# A synthetic spec written by `cargo xtask synth` (codegen/src/synth.rs) for benchmarks.

crate:
  name: synthetic-risk-scoring
  version: 0.1.0
  description: Synthetic client generated to measure the generator.
  license: MIT OR Apache-2.0
  repository: https://github.com/example/cloudflare-risk-scoring
  rust_version: "1.80"
  doc: |
    A synthetic client: the real spec's shape repeated, for measuring the generator.

    Every request and response has a Rust type.

base_url: https://api.cloudflare.com/client/v4
"#;

/// A type of the template; `#` in names and type expressions is the family number.
struct TypeTemplate {
    name: &'static str,
    doc: &'static str,
    kind: Kind,
}

enum Kind {
    Object(&'static [FieldTemplate]),
    Enum(&'static [(&'static str, &'static str)]),
}

struct FieldTemplate {
    wire: &'static str,
    ty: &'static str,
    optional: bool,
    nullable: bool,
    doc: &'static str,
}

const fn field(wire: &'static str, ty: &'static str, doc: &'static str) -> FieldTemplate {
    FieldTemplate {
        wire,
        ty,
        optional: false,
        nullable: false,
        doc,
    }
}

const fn optional(
    wire: &'static str,
    ty: &'static str,
    nullable: bool,
    doc: &'static str,
) -> FieldTemplate {
    FieldTemplate {
        wire,
        ty,
        optional: true,
        nullable,
        doc,
    }
}

const SHARED_TYPES: &[TypeTemplate] = &[TypeTemplate {
    name: "RiskLevel",
    doc: "The level of risk of a user, a risk event or a risk behavior.",
    kind: Kind::Enum(&[
        ("low", "Low risk."),
        ("medium", "Medium risk."),
        ("high", "High risk."),
    ]),
}];

const USER_EMAIL: &str = "Email address of the user.";
const USER_NAME: &str = "Name of the user.";
const ENABLED: &str = "Whether the behavior counts towards users' risk scores.";
const BEHAVIOR_LEVEL: &str = "The risk level a user's occurrence of the behavior carries.";
const TENANT_URL: &str = "The base url of the tenant, e.g. \"https://tenant.okta.com\".";
const REFERENCE_ID: &str = "A reference id that can be supplied by the client. Currently this should be set to the Access-Okta IDP ID (a UUIDv4). https://developers.cloudflare.com/api/operations/access-identity-providers-get-an-access-identity-provider";

const FAMILY_TYPES: &[TypeTemplate] = &[
    TypeTemplate {
        name: "IntegrationType#",
        doc: "The kind of third-party service a risk score integration exports to.",
        kind: Kind::Enum(&[("Okta", "An Okta tenant.")]),
    },
    TypeTemplate {
        name: "RiskEvents#",
        doc: "The risk events recorded for a user, with the user's current risk level.",
        kind: Kind::Object(&[
            field("email", "string", USER_EMAIL),
            field("events", "list<RiskEvent#>", "The risk events that contribute to the user's risk score."),
            field("name", "string", USER_NAME),
            optional("last_reset_time", "date-time", true, "When the user's risk score was last reset, if it ever was."),
            optional("risk_level", "RiskLevel", false, "The user's current risk level."),
        ]),
    },
    TypeTemplate {
        name: "RiskEvent#",
        doc: "One event that contributed to a user's risk score.",
        kind: Kind::Object(&[
            field("id", "string", "Identifier of the event."),
            field("name", "string", "Name of the event."),
            field("risk_level", "RiskLevel", "The risk level of the event."),
            field("timestamp", "date-time", "When the event happened."),
            optional("event_details", "json", false, "Details of the event; their shape depends on the kind of event."),
        ]),
    },
    TypeTemplate {
        name: "Behaviors#",
        doc: "The risk behaviors configured for the account.",
        kind: Kind::Object(&[field(
            "behaviors",
            "map<Behavior#>",
            "Each behavior's configuration, keyed by the behavior's identifier.",
        )]),
    },
    TypeTemplate {
        name: "Behavior#",
        doc: "A risk behavior, a kind of user action that affects the user's risk score, and its configuration.",
        kind: Kind::Object(&[
            field("description", "string", "Description of the behavior."),
            field("enabled", "boolean", ENABLED),
            field("name", "string", "Name of the behavior."),
            field("risk_level", "RiskLevel", BEHAVIOR_LEVEL),
        ]),
    },
    TypeTemplate {
        name: "UpdateBehaviors#",
        doc: "New configuration of risk behaviors; the update returns the configuration it applied in the same shape.",
        kind: Kind::Object(&[field(
            "behaviors",
            "map<UpdateBehavior#>",
            "The configuration of each behavior, keyed by the behavior's identifier.",
        )]),
    },
    TypeTemplate {
        name: "UpdateBehavior#",
        doc: "The configurable settings of one risk behavior.",
        kind: Kind::Object(&[field("enabled", "boolean", ENABLED), field("risk_level", "RiskLevel", BEHAVIOR_LEVEL)]),
    },
    TypeTemplate {
        name: "RiskSummary#",
        doc: "A summary of the risk scores of all users in the account.",
        kind: Kind::Object(&[field("users", "list<UserRiskInfo#>", "The risk information of each user.")]),
    },
    TypeTemplate {
        name: "UserRiskInfo#",
        doc: "The risk information of one user.",
        kind: Kind::Object(&[
            field("email", "string", USER_EMAIL),
            field("event_count", "integer", "Number of risk events recorded for the user."),
            field("last_event", "date-time", "When the user's most recent risk event happened."),
            field("max_risk_level", "RiskLevel", "The highest risk level among the user's risk events."),
            field("name", "string", USER_NAME),
            field("user_id", "uuid", "Identifier of the user."),
        ]),
    },
    TypeTemplate {
        name: "Integration#",
        doc: "A risk score integration, which exports changes in users' risk scores to a third party.",
        kind: Kind::Object(&[
            field("id", "uuid", "The id of the integration, a UUIDv4."),
            field("account_tag", "string", "The Cloudflare account tag."),
            field("active", "boolean", "Whether this integration is enabled and should export changes in risk score."),
            field("created_at", "date-time", "When the integration was created in RFC3339 format."),
            field("integration_type", "IntegrationType#", "The kind of third-party service the integration exports to."),
            field("reference_id", "string", "A reference ID defined by the client. Should be set to the Access-Okta IDP integration ID. Useful when the risk-score integration needs to be associated with a secondary asset and recalled using that ID."),
            field("tenant_url", "string", "The base URL for the tenant. E.g. \"https://tenant.okta.com\"."),
            field("well_known_url", "string", "The URL for the Shared Signals Framework configuration, e.g. \"/.well-known/sse-configuration/{integration_uuid}/\". https://openid.net/specs/openid-sse-framework-1_0.html#rfc.section.6.2.1."),
        ]),
    },
    TypeTemplate {
        name: "CreateIntegration#",
        doc: "The settings of a new risk score integration.",
        kind: Kind::Object(&[
            field("integration_type", "IntegrationType#", "The kind of third-party service the integration exports to."),
            field("tenant_url", "uri", TENANT_URL),
            optional("reference_id", "string", true, REFERENCE_ID),
        ]),
    },
    TypeTemplate {
        name: "UpdateIntegration#",
        doc: "The new settings of a risk score integration; they overwrite the current ones.",
        kind: Kind::Object(&[
            field("active", "boolean", "Whether this integration is enabled. If disabled, no risk changes will be exported to the third-party."),
            field("tenant_url", "uri", TENANT_URL),
            optional("reference_id", "string", true, REFERENCE_ID),
        ]),
    },
];

/// An operation of the template; `#` in strings is the family number.
struct OperationTemplate {
    /// Resource path below the family's root resource.
    resource: &'static [&'static str],
    name: &'static str,
    operation_id: &'static str,
    summary: &'static str,
    doc: &'static str,
    method: &'static str,
    path: &'static str,
    idempotent: Option<bool>,
    path_params: &'static [(&'static str, &'static str, &'static str)],
    body: Option<&'static str>,
    result: &'static str,
    result_nullable: bool,
    result_info: bool,
}

const ACCOUNT: (&str, &str, &str) = (
    "account_id",
    "string",
    "Identifier of the Cloudflare account.",
);
const INTEGRATION_ID: (&str, &str, &str) = (
    "integration_id",
    "uuid",
    "The id of the integration, a UUIDv4.",
);

/// A GET of `result` at `path` with the account as its only parameter; the fields that
/// differ are set by the caller.
const fn get(
    resource: &'static [&'static str],
    operation_id: &'static str,
    path: &'static str,
    result: &'static str,
) -> OperationTemplate {
    OperationTemplate {
        resource,
        name: "get",
        operation_id,
        summary: "",
        doc: "",
        method: "GET",
        path,
        idempotent: None,
        path_params: &[ACCOUNT],
        body: None,
        result,
        result_nullable: false,
        result_info: false,
    }
}

/// The family's operations, in the order the real spec lists them.
const FAMILY_OPERATIONS_TEMPLATE: [OperationTemplate; FAMILY_OPERATIONS] = [
    OperationTemplate {
        summary: "Get risk event/score information for a specific user",
        doc: "Retrieves the detailed risk score breakdown for a specific user, including contributing factors.",
        path_params: &[ACCOUNT, ("user_id", "uuid", "Identifier of the user.")],
        result_info: true,
        ..get(&[], "dlp-risk-score-summary-get-for-user-#", "/accounts/{account_id}/zt_risk_scoring_#/{user_id}", "RiskEvents#")
    },
    OperationTemplate {
        name: "reset",
        summary: "Clear the risk score for a particular user",
        doc: "Resets risk scores for specified users, clearing their accumulated risk history.",
        method: "POST",
        idempotent: Some(true),
        path_params: &[ACCOUNT, ("user_id", "uuid", "Identifier of the user whose risk score is reset.")],
        result_nullable: true,
        ..get(&[], "dlp-risk-score-reset-post-#", "/accounts/{account_id}/zt_risk_scoring_#/{user_id}/reset", "object")
    },
    OperationTemplate {
        summary: "Get all behaviors and associated configuration",
        doc: "Retrieves configured risk score behaviors that define how user actions affect their overall risk score.",
        ..get(&["behaviours"], "dlp-risk-score-behaviors-get-#", "/accounts/{account_id}/zt_risk_scoring_#/behaviors", "Behaviors#")
    },
    OperationTemplate {
        name: "update",
        summary: "Update configuration for risk behaviors",
        doc: "Updates risk score behavior configurations, defining weights and thresholds for risk calculation.",
        method: "PUT",
        body: Some("UpdateBehaviors#"),
        ..get(&["behaviours"], "dlp-risk-score-behaviors-put-#", "/accounts/{account_id}/zt_risk_scoring_#/behaviors", "UpdateBehaviors#")
    },
    OperationTemplate {
        summary: "Get risk score info for all users in the account",
        doc: "Gets an aggregate summary of risk scores across the account, including distribution and trends.",
        result_info: true,
        ..get(&["summary"], "dlp-risk-score-summary-get-#", "/accounts/{account_id}/zt_risk_scoring_#/summary", "RiskSummary#")
    },
    OperationTemplate {
        name: "list",
        summary: "List all risk score integrations for the account.",
        doc: "Lists all configured Zero Trust risk score integrations for the account.",
        ..get(&["integrations"], "dlp-zt-risk-score-integration-list-#", "/accounts/{account_id}/zt_risk_scoring_#/integrations", "list<Integration#>")
    },
    OperationTemplate {
        summary: "Get risk score integration by id.",
        doc: "Gets a Zero Trust risk score integration by ID.",
        path_params: &[ACCOUNT, INTEGRATION_ID],
        ..get(&["integrations"], "dlp-zt-risk-score-integration-get-#", "/accounts/{account_id}/zt_risk_scoring_#/integrations/{integration_id}", "Integration#")
    },
    OperationTemplate {
        name: "create",
        summary: "Create new risk score integration.",
        doc: "Creates a new Zero Trust risk score integration, connecting external risk signals to Cloudflare's risk scoring system.",
        method: "POST",
        body: Some("CreateIntegration#"),
        ..get(&["integrations"], "dlp-zt-risk-score-integration-create-#", "/accounts/{account_id}/zt_risk_scoring_#/integrations", "Integration#")
    },
    OperationTemplate {
        name: "update",
        summary: "Update a risk score integration.",
        doc: "Overwrite the reference_id, tenant_url, and active values with the ones provided.",
        method: "PUT",
        path_params: &[ACCOUNT, INTEGRATION_ID],
        body: Some("UpdateIntegration#"),
        ..get(&["integrations"], "dlp-zt-risk-score-integration-update-#", "/accounts/{account_id}/zt_risk_scoring_#/integrations/{integration_id}", "Integration#")
    },
    OperationTemplate {
        name: "delete",
        summary: "Delete a risk score integration.",
        doc: "Removes a Zero Trust risk score integration, disconnecting the external risk signal source.",
        method: "DELETE",
        path_params: &[ACCOUNT, INTEGRATION_ID],
        result_nullable: true,
        ..get(&["integrations"], "dlp-zt-risk-score-integration-delete-#", "/accounts/{account_id}/zt_risk_scoring_#/integrations/{integration_id}", "object")
    },
    OperationTemplate {
        summary: "Get risk score integration by reference id.",
        doc: "Retrieves a Zero Trust risk score integration using its external reference ID.",
        path_params: &[ACCOUNT, ("reference_id", "string", "The reference ID the integration was created or last updated with.")],
        ..get(&["integrations", "references"], "dlp-zt-risk-score-integration-get-by-reference-id-#", "/accounts/{account_id}/zt_risk_scoring_#/integrations/reference_id/{reference_id}", "Integration#")
    },
];

/// Docs of the family's resources, by their path below the family's root.
const RESOURCE_DOCS: &[(&[&str], &str)] = &[
    (&[], "Zero Trust risk scoring, which rates how risky each user's behavior is."),
    (&["behaviours"], "Risk behaviors, the kinds of user action that affect a user's risk score, and their configuration."),
    (&["summary"], "The account-wide summary of users' risk scores."),
    (&["integrations"], "Risk score integrations, which export changes in users' risk scores to a third party such as Okta."),
    (&["integrations", "references"], "Risk score integrations looked up by the reference ID the client gave them."),
];

/// A resource being laid out: its operations (with the family number applied) and children.
struct ResourceNode<'t> {
    name: String,
    doc: &'static str,
    operations: Vec<&'t OperationTemplate>,
    children: Vec<ResourceNode<'t>>,
    family: String,
}

/// The resource tree of one family, holding its first `take` operations; resources left
/// without operations anywhere below them are dropped.
fn family_resources(family: &str, take: usize) -> ResourceNode<'static> {
    let mut root = ResourceNode {
        name: format!("risk_scoring_{family}"),
        doc: RESOURCE_DOCS[0].1,
        operations: Vec::new(),
        children: Vec::new(),
        family: family.to_owned(),
    };
    for operation in &FAMILY_OPERATIONS_TEMPLATE[..take] {
        let mut node = &mut root;
        for (depth, part) in operation.resource.iter().enumerate() {
            let index = match node.children.iter().position(|child| child.name == *part) {
                Some(index) => index,
                None => {
                    let path = &operation.resource[..=depth];
                    let doc = RESOURCE_DOCS
                        .iter()
                        .find(|(at, _)| *at == path)
                        .map_or("A group of operations.", |(_, doc)| doc);
                    node.children.push(ResourceNode {
                        name: (*part).to_owned(),
                        doc,
                        operations: Vec::new(),
                        children: Vec::new(),
                        family: family.to_owned(),
                    });
                    node.children.len() - 1
                }
            };
            node = &mut node.children[index];
        }
        node.operations.push(operation);
    }
    root
}

fn write_type(out: &mut String, def: &TypeTemplate, family: &str) {
    let at = |text: &str| text.replace('#', family);
    let _ = writeln!(out, "  {}:", at(def.name));
    let _ = writeln!(out, "    doc: {}", scalar(def.doc));
    match def.kind {
        Kind::Enum(values) => {
            out.push_str("    enum:\n");
            for (value, doc) in values {
                let _ = writeln!(out, "      - value: {}", scalar(value));
                let _ = writeln!(out, "        doc: {}", scalar(doc));
            }
        }
        Kind::Object(fields) => {
            out.push_str("    fields:\n");
            for field in fields {
                let _ = writeln!(out, "      {}:", field.wire);
                let _ = writeln!(out, "        type: {}", at(field.ty));
                if field.optional {
                    out.push_str("        optional: true\n");
                }
                if field.nullable {
                    out.push_str("        nullable: true\n");
                }
                let _ = writeln!(out, "        doc: {}", scalar(field.doc));
            }
        }
    }
    out.push('\n');
}

fn write_resource(out: &mut String, node: &ResourceNode<'_>, indent: usize) {
    let pad = " ".repeat(indent);
    let _ = writeln!(out, "{pad}{}:", node.name);
    let _ = writeln!(out, "{pad}  doc: {}", scalar(node.doc));
    if !node.operations.is_empty() {
        let _ = writeln!(out, "{pad}  operations:");
        for operation in &node.operations {
            write_operation(out, operation, &node.family, indent + 4);
        }
    }
    if !node.children.is_empty() {
        let _ = writeln!(out, "{pad}  resources:");
        for child in &node.children {
            write_resource(out, child, indent + 4);
        }
    }
}

fn write_operation(out: &mut String, operation: &OperationTemplate, family: &str, indent: usize) {
    let at = |text: &str| text.replace('#', family);
    let pad = " ".repeat(indent);
    let _ = writeln!(out, "{pad}{}:", operation.name);
    let _ = writeln!(out, "{pad}  operation_id: {}", at(operation.operation_id));
    let _ = writeln!(out, "{pad}  summary: {}", scalar(operation.summary));
    let _ = writeln!(out, "{pad}  doc: {}", scalar(operation.doc));
    let _ = writeln!(out, "{pad}  method: {}", operation.method);
    let _ = writeln!(out, "{pad}  path: {}", at(operation.path));
    if let Some(idempotent) = operation.idempotent {
        let _ = writeln!(out, "{pad}  idempotent: {idempotent}");
    }
    let _ = writeln!(out, "{pad}  path_params:");
    for (name, ty, doc) in operation.path_params {
        let _ = writeln!(out, "{pad}    {name}:");
        let _ = writeln!(out, "{pad}      type: {ty}");
        let _ = writeln!(out, "{pad}      doc: {}", scalar(doc));
    }
    if let Some(body) = operation.body {
        let _ = writeln!(out, "{pad}  body: {}", at(body));
    }
    let _ = writeln!(out, "{pad}  result: {}", at(operation.result));
    if operation.result_nullable {
        let _ = writeln!(out, "{pad}  result_nullable: true");
    }
    if operation.result_info {
        let _ = writeln!(out, "{pad}  result_info: true");
    }
    let _ = writeln!(out, "{pad}  example_response:");
    let message = json!({
        "code": 1000,
        "message": "message",
        "documentation_url": "documentation_url",
        "source": {"pointer": "pointer"},
    });
    let mut envelope = Map::new();
    envelope.insert("errors".into(), json!([message]));
    envelope.insert("messages".into(), json!([message]));
    envelope.insert("success".into(), json!(true));
    envelope.insert("result".into(), example(operation.result));
    if operation.result_info {
        envelope.insert(
            "result_info".into(),
            json!({"count": 1, "page": 1, "per_page": 20, "total_count": 2000, "total_pages": 100}),
        );
    }
    // Written as the real spec writes its examples: the envelope and the result in block
    // style, one more block level inside the result, JSON flow style below that.
    for (key, value) in &envelope {
        let depth = match key.as_str() {
            "result" => 2,
            "result_info" => 0,
            _ => 1,
        };
        write_yaml(out, key, value, indent + 4, depth);
    }
}

/// An example value of the type expression `ty`, as the reference's examples are made: a
/// string is its field's name, timestamps and UUIDs are fixed, a map has one key `foo`.
fn example(ty: &str) -> Value {
    example_named(ty, "string")
}

fn example_named(ty: &str, name: &str) -> Value {
    if let Some(inner) = ty
        .strip_prefix("list<")
        .and_then(|rest| rest.strip_suffix('>'))
    {
        return Value::Array(vec![example_named(inner, name)]);
    }
    if let Some(inner) = ty
        .strip_prefix("map<")
        .and_then(|rest| rest.strip_suffix('>'))
    {
        return json!({ "foo": example_named(inner, name) });
    }
    match ty {
        "string" | "uri" => json!(name),
        "boolean" => json!(true),
        "integer" => json!(0),
        "number" => json!(0.5),
        "uuid" => json!("182bd5e5-6e1a-4fe4-a799-aa6d9a6ab26e"),
        "date-time" => json!("2019-12-27T18:11:19.117Z"),
        "json" | "object" => json!({}),
        named => {
            let template = named
                .trim_end_matches(|c: char| c.is_ascii_digit())
                .to_owned()
                + "#";
            let def = SHARED_TYPES
                .iter()
                .chain(FAMILY_TYPES)
                .find(|def| def.name == named || def.name == template);
            match def.map(|def| &def.kind) {
                Some(Kind::Enum(values)) => json!(values.first().map_or("", |(value, _)| *value)),
                Some(Kind::Object(fields)) => {
                    let family = &named[template.len() - 1..];
                    let object = fields
                        .iter()
                        .map(|field| {
                            let ty = field.ty.replace('#', family);
                            (field.wire.to_owned(), example_named(&ty, field.wire))
                        })
                        .collect();
                    Value::Object(object)
                }
                None => Value::Null,
            }
        }
    }
}

/// `key: value` in YAML at `indent`: block style for `block_depth` levels, JSON flow below.
fn write_yaml(out: &mut String, key: &str, value: &Value, indent: usize, block_depth: usize) {
    let pad = " ".repeat(indent);
    let empty = match value {
        Value::Array(items) => items.is_empty(),
        Value::Object(entries) => entries.is_empty(),
        _ => true,
    };
    if block_depth == 0 || empty {
        let _ = writeln!(out, "{pad}{key}: {value}");
        return;
    }
    let _ = writeln!(out, "{pad}{key}:");
    match value {
        Value::Array(items) => {
            for item in items {
                let _ = writeln!(out, "{pad}  - {item}");
            }
        }
        Value::Object(entries) => {
            for (key, value) in entries {
                write_yaml(out, key, value, indent + 2, block_depth - 1);
            }
        }
        _ => {}
    }
}

/// `text` as a YAML scalar: plain when that reads back as the same string, else quoted.
fn scalar(text: &str) -> String {
    let plain = !text.is_empty()
        && !text.starts_with(|c: char| "-?:,[]{}#&*!|>'\"%@` ".contains(c))
        && !text.ends_with(' ')
        && !text.contains(": ")
        && !text.contains(" #")
        && !text.ends_with(':')
        && !matches!(text, "true" | "false" | "null" | "~" | "yes" | "no")
        && text.parse::<f64>().is_err();
    if plain {
        text.to_owned()
    } else {
        Value::String(text.to_owned()).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::Resource;

    fn count(resources: &indexmap::IndexMap<String, Resource>) -> usize {
        resources
            .values()
            .map(|resource| resource.operations.len() + count(&resource.resources))
            .sum()
    }

    #[test]
    fn specs_are_valid_and_have_exactly_the_operations_asked_for() {
        for operations in [1, 10, 11, 12, 25, 111] {
            let text = spec(operations);
            let loaded = crate::load::load("synth.yaml", &text)
                .unwrap_or_else(|e| panic!("{operations}: {e}"));
            crate::validate::validate(&loaded).unwrap_or_else(|e| panic!("{operations}: {e}"));
            assert_eq!(count(&loaded.spec.resources), operations);
            crate::generate_from_str(&text, "synth.yaml")
                .unwrap_or_else(|e| panic!("{operations}: {e}"));
        }
    }

    #[test]
    fn the_text_depends_only_on_the_count() {
        assert_eq!(spec(23), spec(23));
        assert_ne!(spec(23), spec(24));
    }

    #[test]
    fn examples_decode_like_the_real_ones() {
        let integration = example("Integration7");
        assert_eq!(integration["integration_type"], "Okta");
        assert_eq!(integration["tenant_url"], "tenant_url");
        assert_eq!(
            example("Behaviors3")["behaviors"]["foo"]["risk_level"],
            "low"
        );
        assert_eq!(
            example("list<RiskEvent0>")[0]["timestamp"],
            "2019-12-27T18:11:19.117Z"
        );
    }

    #[test]
    fn scalars_that_yaml_would_misread_are_quoted() {
        assert_eq!(scalar("Name of the user."), "Name of the user.");
        assert_eq!(scalar("E.g. \"x\""), "E.g. \"x\"");
        assert_eq!(scalar("a: b"), "\"a: b\"");
        assert_eq!(scalar("true"), "\"true\"");
        assert_eq!(scalar("1.80"), "\"1.80\"");
    }
}
