//! Drift check: does `spec/` still say what Cloudflare's official OpenAPI document says?
//!
//! The spec is transcribed by hand, and Cloudflare changes its API. This crate compares the
//! two for the operations the spec covers and lists every difference: operations, path and
//! query parameters, request bodies and response `result`s field by field (presence, type,
//! format, required, nullable, enum values), `result_info`, and the upstream operations
//! under the spec's path prefix that the spec lacks. What it cannot interpret it reports as
//! such. Differences kept on purpose are explained in an [`AllowList`].
//!
//! ```no_run
//! # fn main() -> Result<(), drift::Error> {
//! let spec = drift::load_spec("spec/risk_scoring.yaml", &std::fs::read_to_string("spec/risk_scoring.yaml").unwrap())?;
//! let openapi = drift::parse_openapi(&std::fs::read_to_string("openapi.json").unwrap())?;
//! let allow = drift::AllowList::parse("spec/drift-allow.yaml", "allow: []")?;
//! let report = drift::check(&spec, &openapi, &allow);
//! println!("{report}");
//! # Ok(())
//! # }
//! ```
//!
//! How both sides meet: each is lowered into the same small type model (`node`), the spec
//! from its type expressions (`spec_side`), the document through `$ref`, `allOf` and the
//! response envelope (`upstream`); `compare` walks the two trees side by side.

mod allow;
mod compare;
mod node;
mod report;
mod spec_side;
mod upstream;

use std::fmt;

pub use allow::{AllowList, Allowance};
pub use openapi::openapiv3::OpenAPI;
pub use report::{Aspect, Difference, Finding, OperationReport, Report};

/// Why an input could not be read. The message names the input and the place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(pub String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

/// Loads and validates a spec with the generator's own stages, so the check sees exactly
/// what the generator sees.
pub fn load_spec(name: &str, text: &str) -> Result<codegen::spec::Spec, Error> {
    let loaded =
        codegen::load::load(name, text).map_err(|diagnostics| Error(diagnostics.to_string()))?;
    codegen::validate::validate(&loaded).map_err(|diagnostics| Error(diagnostics.to_string()))?;
    Ok(loaded.spec)
}

/// Parses an OpenAPI 3.0 document, JSON or YAML, with the `openapi` crate (which the
/// importer uses too); the messages name the drift check.
pub fn parse_openapi(text: &str) -> Result<OpenAPI, Error> {
    openapi::parse(text).map_err(|error| {
        Error(match error {
            openapi::ParseError::Swagger2 => {
                "Swagger 2 is not supported: the drift check reads OpenAPI 3.0".to_owned()
            }
            openapi::ParseError::UnsupportedVersion(version) => {
                format!("OpenAPI {version} is not supported: the drift check reads OpenAPI 3.0")
            }
            other => other.to_string(),
        })
    })
}

/// Compares `spec` with `openapi`, then marks the differences `allow` explains.
pub fn check(spec: &codegen::spec::Spec, openapi: &OpenAPI, allow: &AllowList) -> Report {
    let mut report = compare::compare(spec, &upstream::read(openapi));
    allow.apply(&mut report);
    report
}
