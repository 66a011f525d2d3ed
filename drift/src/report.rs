//! What the check found, as text for people and as JSON for machines.

use std::fmt;

use serde::Serialize;

use crate::allow::Allowance;

/// The result of a drift check.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The path prefix the spec's operations share; upstream operations under it are compared.
    pub prefix: String,
    /// Every operation of the spec, then the upstream operations under `prefix` that the spec
    /// lacks, each with what was found about it.
    pub operations: Vec<OperationReport>,
    /// Allow-list entries that match no difference: stale, so they fail the check too.
    pub unused_allowances: Vec<Allowance>,
}

/// What was found about one operation.
#[derive(Debug, Clone, Serialize)]
pub struct OperationReport {
    /// `GET /accounts/{account_id}/zt_risk_scoring/{user_id}`: how allow-list entries name it.
    pub operation: String,
    /// The spec's qualified method name (`zero_trust.risk_scoring.get`), when the spec has it.
    pub spec_name: Option<String>,
    /// The upstream `operationId`, when the document has the operation and gives one.
    pub operation_id: Option<String>,
    pub findings: Vec<Finding>,
}

/// One difference, and whether the allow-list explains it.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    #[serde(flatten)]
    pub difference: Difference,
    /// Why the difference is kept, from the allow-list; `None` when it needs attention.
    pub allowed: Option<String>,
}

/// One way the spec and the document disagree, at a place (`result.users[].event_count`,
/// `body.tenant_url`, `path.user_id`, `query.page`, `result_info`, `operation`, …). `[]`
/// steps into the items of a list, `.*` into the values of a map.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Difference {
    /// The document has it; the spec does not. `upstream` describes it in the spec's terms.
    MissingInSpec { at: String, upstream: String },
    /// The spec has it; the document does not.
    MissingUpstream { at: String, spec: String },
    /// Both have it, and they disagree about one aspect.
    Differs {
        at: String,
        aspect: Aspect,
        spec: String,
        upstream: String,
    },
    /// The document says something the check cannot interpret, so it could not compare.
    Uninterpretable { at: String, reason: String },
}

/// The aspect two descriptions of the same thing disagree about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Aspect {
    /// The whole value (an operation id, a path template).
    Value,
    /// The kind of JSON value.
    Type,
    /// The string format (`uuid`, `date-time`, `uri`, …).
    Format,
    /// Whether it must be present.
    Required,
    /// Whether it may be `null`.
    Nullable,
    /// The allowed values.
    Enum,
    /// Whether it exists at all (`result_info`).
    Presence,
}

impl Report {
    /// No difference needs attention and no allow-list entry is stale.
    pub fn is_clean(&self) -> bool {
        self.needs_attention() == 0 && self.unused_allowances.is_empty()
    }

    /// The differences the allow-list does not explain.
    pub fn needs_attention(&self) -> usize {
        self.findings()
            .filter(|finding| finding.allowed.is_none())
            .count()
    }

    fn findings(&self) -> impl Iterator<Item = &Finding> {
        self.operations
            .iter()
            .flat_map(|operation| &operation.findings)
    }

    /// The report as pretty-printed JSON, with `clean` on top for a quick verdict.
    pub fn to_json(&self) -> String {
        #[derive(Serialize)]
        struct Json<'a> {
            clean: bool,
            #[serde(flatten)]
            report: &'a Report,
        }
        // Plain data with string keys: serialising it cannot fail.
        serde_json::to_string_pretty(&Json {
            clean: self.is_clean(),
            report: self,
        })
        .unwrap_or_default()
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "operations under {}:", self.prefix)?;
        for operation in &self.operations {
            writeln!(f)?;
            write!(f, "{}", operation.operation)?;
            let names: Vec<String> = [
                operation
                    .spec_name
                    .as_ref()
                    .map(|name| format!("spec: {name}")),
                operation
                    .operation_id
                    .as_ref()
                    .map(|id| format!("operationId: {id}")),
            ]
            .into_iter()
            .flatten()
            .collect();
            if !names.is_empty() {
                write!(f, " ({})", names.join(", "))?;
            }
            writeln!(f)?;
            if operation.findings.is_empty() {
                writeln!(f, "  ok")?;
            }
            for finding in &operation.findings {
                match &finding.allowed {
                    None => writeln!(f, "  {}", finding.difference)?,
                    Some(why) => writeln!(f, "  allowed: {}\n    why: {why}", finding.difference)?,
                }
            }
        }
        if !self.unused_allowances.is_empty() {
            writeln!(
                f,
                "\nallow-list entries that match no difference (remove them):"
            )?;
            for entry in &self.unused_allowances {
                writeln!(f, "  {}: {}", entry.operation, entry.difference)?;
            }
        }
        let total = self.findings().count();
        let ok = self
            .operations
            .iter()
            .filter(|operation| operation.findings.is_empty())
            .count();
        let to_fix = self.needs_attention();
        writeln!(
            f,
            "\n{} ({ok} without differences); {}: {} allowed, {to_fix} to fix; {}",
            count(self.operations.len(), "operation", "operations"),
            count(total, "difference", "differences"),
            total - to_fix,
            count(
                self.unused_allowances.len(),
                "stale allow-list entry",
                "stale allow-list entries"
            ),
        )
    }
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Difference::MissingInSpec { at, upstream } => {
                write!(f, "missing in spec: {at} (upstream: {upstream})")
            }
            Difference::MissingUpstream { at, spec } => {
                write!(f, "missing upstream: {at} (spec: {spec})")
            }
            Difference::Differs {
                at,
                aspect: Aspect::Value,
                spec,
                upstream,
            } => {
                write!(
                    f,
                    "differs: {at}: spec says {spec}, upstream says {upstream}"
                )
            }
            Difference::Differs {
                at,
                aspect,
                spec,
                upstream,
            } => {
                write!(
                    f,
                    "differs: {at} {aspect}: spec says {spec}, upstream says {upstream}"
                )
            }
            Difference::Uninterpretable { at, reason } => {
                write!(f, "cannot interpret: {at}: {reason}")
            }
        }
    }
}

impl fmt::Display for Aspect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Aspect::Value => "value",
            Aspect::Type => "type",
            Aspect::Format => "format",
            Aspect::Required => "required",
            Aspect::Nullable => "nullable",
            Aspect::Enum => "enum",
            Aspect::Presence => "presence",
        })
    }
}
