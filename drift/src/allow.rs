//! The allow-list: differences kept on purpose, each with the reason.
//!
//! An entry names a difference exactly as the report prints it, both sides included, so a
//! further change upstream no longer matches and surfaces again instead of hiding behind an
//! old excuse. Entries that match nothing are reported as stale.

use serde::{Deserialize, Serialize};

use crate::report::Report;
use crate::Error;

/// The parsed allow-list file (`spec/drift-allow.yaml`).
#[derive(Debug, Clone, Default)]
pub struct AllowList {
    entries: Vec<Allowance>,
}

/// One difference kept on purpose.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Allowance {
    /// The operation as the report heads it: `GET /accounts/{account_id}/zt_risk_scoring`.
    pub operation: String,
    /// The difference as the report prints it: `differs: result.x format: spec says …`.
    pub difference: String,
    /// Why the spec keeps it.
    pub why: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    allow: Vec<Allowance>,
}

impl AllowList {
    /// Parses the YAML of an allow-list; `name` names the file in errors.
    pub fn parse(name: &str, text: &str) -> Result<AllowList, Error> {
        let file: File =
            serde_yaml::from_str(text).map_err(|error| Error(format!("{name}: {error}")))?;
        for (i, entry) in file.allow.iter().enumerate() {
            if entry.why.trim().is_empty() {
                return Err(Error(format!(
                    "{name}: entry {} ({}) gives no reason in `why`",
                    i + 1,
                    entry.difference
                )));
            }
            if file.allow[..i].contains(entry) {
                return Err(Error(format!(
                    "{name}: entry {} repeats an earlier entry",
                    i + 1
                )));
            }
        }
        Ok(AllowList {
            entries: file.allow,
        })
    }

    /// Marks every finding of `report` that an entry explains, and records the entries that
    /// explain nothing.
    pub(crate) fn apply(&self, report: &mut Report) {
        let mut used = vec![false; self.entries.len()];
        for operation in &mut report.operations {
            for finding in &mut operation.findings {
                let line = finding.difference.to_string();
                let entry = self.entries.iter().position(|entry| {
                    entry.operation == operation.operation && entry.difference == line
                });
                if let Some(index) = entry {
                    used[index] = true;
                    finding.allowed = Some(self.entries[index].why.trim().to_owned());
                }
            }
        }
        report.unused_allowances = self
            .entries
            .iter()
            .zip(used)
            .filter(|(_, used)| !used)
            .map(|(entry, _)| entry.clone())
            .collect();
    }
}
