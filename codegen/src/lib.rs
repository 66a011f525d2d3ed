//! Generates the Cloudflare risk-scoring client crate from a YAML spec.
//!
//! The pipeline reads top to bottom, one module per stage:
//!
//! 1. [`load`]: YAML text → [`spec::Spec`] plus a source map (syntax and shape errors);
//! 2. [`validate`]: semantic checks, every problem reported at once with `file:line:col`;
//! 3. [`lower`]: spec → [`ir::Api`], where every Rust name is decided;
//! 4. [`emit`]: IR → tokens (`quote!`) and text per file;
//! 5. [`format`]: tokens → `syn` → `prettyplease`, plus a header on every file;
//! 6. [`write`]: the [`Tree`] on disk, or a diff against it.

pub mod compose;
pub mod diagnostic;
pub mod emit;
pub mod format;
pub mod ir;
pub mod load;
pub mod lower;
pub mod names;
pub mod path_template;
pub mod runtime;
pub mod spec;
pub mod synth;
pub mod validate;
pub mod write;

use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

pub use diagnostic::{Diagnostic, Diagnostics};
pub use write::{Stale, Tree, WriteReport};

/// Why generation failed.
#[derive(Debug)]
pub enum Error {
    /// The spec (or a file beside it) could not be read.
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The spec is invalid; every problem found, located.
    Spec(Diagnostics),
    /// The generator produced something it cannot format: a bug in the generator.
    Internal(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Io { path, source } => write!(f, "{}: {source}", path.display()),
            Error::Spec(diagnostics) => write!(f, "{diagnostics}"),
            Error::Internal(message) => write!(f, "internal generator error: {message}"),
        }
    }
}

impl std::error::Error for Error {}

/// Generates the crate for the spec at `spec_path`. `spec_name` is how messages and file
/// headers name the spec (a path relative to the workspace keeps output identical on every
/// machine). Example programs in an `examples/` folder beside the spec are copied into the
/// crate's `examples/`.
pub fn generate(spec_path: &Path, spec_name: &str) -> Result<Tree, Error> {
    let bytes = fs::read(spec_path).map_err(|source| Error::Io {
        path: spec_path.to_owned(),
        source,
    })?;
    let mut tree = generate_from_bytes(&bytes, spec_name)?;
    let examples = spec_path
        .parent()
        .unwrap_or(Path::new("."))
        .join("examples");
    for (name, source) in read_examples(&examples)? {
        let header = format!(
            "// {}: copied from {}; do not edit by hand.\n\n",
            format::MARKER,
            Path::new(spec_name)
                .parent()
                .map(|dir| dir.join("examples").join(&name))
                .unwrap_or_else(|| PathBuf::from(&name))
                .to_string_lossy()
                .replace('\\', "/")
        );
        tree.files
            .insert(format!("examples/{name}"), header + &source);
    }
    Ok(tree)
}

/// Generates the crate from the bytes of a spec file (no examples): text that is not UTF-8
/// is a located diagnostic like any other mistake. Never panics, whatever `bytes` are.
pub fn generate_from_bytes(bytes: &[u8], spec_name: &str) -> Result<Tree, Error> {
    generate_from_str(
        load::utf8(spec_name, bytes).map_err(Error::Spec)?,
        spec_name,
    )
}

/// Generates the crate from spec text alone (no examples). Never panics, whatever `text` is.
pub fn generate_from_str(text: &str, spec_name: &str) -> Result<Tree, Error> {
    let loaded = load::load(spec_name, text).map_err(Error::Spec)?;
    validate::validate(&loaded).map_err(Error::Spec)?;
    let api = lower::lower(&loaded.spec, spec_name).map_err(Error::Internal)?;
    let files = format::format_planned(emit::plan(&api), spec_name).map_err(Error::Internal)?;
    Ok(Tree { files })
}

/// `*.rs` files of `dir` by name, sorted; none when the folder does not exist.
fn read_examples(dir: &Path) -> Result<Vec<(String, String)>, Error> {
    let io_error = |source| Error::Io {
        path: dir.to_owned(),
        source,
    };
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut examples = Vec::new();
    for entry in fs::read_dir(dir).map_err(io_error)? {
        let path = entry.map_err(io_error)?.path();
        if path.extension().is_some_and(|ext| ext == "rs") {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let source = fs::read_to_string(&path).map_err(|source| Error::Io {
                path: path.clone(),
                source,
            })?;
            examples.push((name, source));
        }
    }
    examples.sort();
    Ok(examples)
}
