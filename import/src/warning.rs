//! What the importer could not map, where, and what it did instead. Warnings are values,
//! collected in document order, never printed from deep inside; the command prints them.

use std::collections::BTreeMap;
use std::fmt;

use openapi::Pointer;

/// The kinds of warning, for the summary and for `--strict`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// A `$ref` that does not resolve, points elsewhere or loops.
    UnresolvedRef,
    /// A name listed twice in `required`.
    DuplicateRequired,
    /// A name in `required` that no property defines.
    UnknownRequired,
    /// A schema construct the spec format cannot express (`not`, an `enum` of objects, …).
    UnsupportedSchema,
    /// An `allOf` whose parts cannot be merged into one object.
    AllOfConflict,
    /// A parameter the format cannot express (cookies, objects in the query, `content`).
    UnsupportedParameter,
    /// A path parameter used in the path and not declared, or declared and not used.
    PathParameter,
    /// A request body or response in a form the format cannot express, or several of them.
    UnsupportedContent,
    /// An operation without a success response.
    NoSuccessResponse,
    /// A security requirement naming a scheme that `components.securitySchemes` lacks.
    UndefinedSecurityScheme,
    /// An enum value that cannot be written (empty, repeated, a fraction).
    EnumValue,
    /// Two operations that would take the same name.
    NameCollision,
    /// A names-file entry that matches nothing in the document.
    UnusedName,
    /// A path item given as `$ref`.
    UnreadablePath,
    /// An HTTP method the format has no room for (HEAD, OPTIONS, TRACE).
    UnsupportedMethod,
    /// A value for the conformance test's values file that could not be made valid for
    /// the document's schema or the spec's type.
    NoExample,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::UnresolvedRef => "unresolved_ref",
            Kind::DuplicateRequired => "duplicate_required",
            Kind::UnknownRequired => "unknown_required",
            Kind::UnsupportedSchema => "unsupported_schema",
            Kind::AllOfConflict => "all_of_conflict",
            Kind::UnsupportedParameter => "unsupported_parameter",
            Kind::PathParameter => "path_parameter",
            Kind::UnsupportedContent => "unsupported_content",
            Kind::NoSuccessResponse => "no_success_response",
            Kind::UndefinedSecurityScheme => "undefined_security_scheme",
            Kind::EnumValue => "enum_value",
            Kind::NameCollision => "name_collision",
            Kind::UnusedName => "unused_name",
            Kind::UnreadablePath => "unreadable_path",
            Kind::UnsupportedMethod => "unsupported_method",
            Kind::NoExample => "no_example",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One thing the importer could not map.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Warning {
    /// Where in the document (or, for [`Kind::UnusedName`], in the names file).
    pub at: String,
    pub kind: Kind,
    /// What was found.
    pub what: String,
    /// What the importer did instead.
    pub instead: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "warning: {}: {}; {}", self.at, self.what, self.instead)
    }
}

/// Collects warnings; the same warning reported twice (a shared schema met from two places
/// is lowered once, but a parameter component may be read by many operations) is kept once.
#[derive(Debug, Clone, Default)]
pub struct Warnings {
    list: Vec<Warning>,
    seen: std::collections::HashSet<Warning>,
}

impl Warnings {
    pub fn push(
        &mut self,
        at: &Pointer,
        kind: Kind,
        what: impl Into<String>,
        instead: impl Into<String>,
    ) {
        self.push_at(at.as_str(), kind, what, instead);
    }

    pub fn push_at(
        &mut self,
        at: &str,
        kind: Kind,
        what: impl Into<String>,
        instead: impl Into<String>,
    ) {
        let warning = Warning {
            at: at.to_owned(),
            kind,
            what: what.into(),
            instead: instead.into(),
        };
        if self.seen.insert(warning.clone()) {
            self.list.push(warning);
        }
    }

    pub fn into_vec(self) -> Vec<Warning> {
        self.list
    }
}

/// How many warnings of each kind, in kind order.
pub fn counts(warnings: &[Warning]) -> BTreeMap<Kind, usize> {
    let mut counts = BTreeMap::new();
    for warning in warnings {
        *counts.entry(warning.kind).or_insert(0) += 1;
    }
    counts
}

/// `12 warnings: 3 duplicate_required, 9 unsupported_schema` (or `no warnings`).
pub fn summary(warnings: &[Warning]) -> String {
    if warnings.is_empty() {
        return "no warnings".to_owned();
    }
    let parts: Vec<String> = counts(warnings)
        .into_iter()
        .map(|(kind, count)| format!("{count} {kind}"))
        .collect();
    format!("{} warnings: {}", warnings.len(), parts.join(", "))
}
