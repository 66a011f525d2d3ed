//! Stage 6: the formatted files on disk, or a comparison with what is there.
//!
//! Writing touches only files whose content changed (so cargo does not rebuild what did not
//! change) and removes files an earlier run generated that this run no longer produces.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::format::MARKER;

/// A generated crate in memory: file contents by path relative to the crate root, using
/// `/` as separator on every platform.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tree {
    pub files: BTreeMap<String, String>,
}

/// What `write` did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriteReport {
    pub created: Vec<String>,
    pub updated: Vec<String>,
    pub removed: Vec<String>,
    pub unchanged: usize,
}

/// A file whose content on disk differs from what the spec gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stale {
    pub path: String,
    /// Unified diff from the file on disk to the generated text.
    pub diff: String,
}

impl Tree {
    /// Brings `dir` in line with the tree.
    pub fn write(&self, dir: &Path) -> io::Result<WriteReport> {
        let mut report = WriteReport::default();
        for (path, text) in &self.files {
            let target = dir.join(path);
            match fs::read_to_string(&target) {
                Ok(existing) if existing == *text => {
                    report.unchanged += 1;
                    continue;
                }
                Ok(_) => report.updated.push(path.clone()),
                Err(error) if error.kind() == io::ErrorKind::NotFound => {
                    report.created.push(path.clone())
                }
                Err(error) => return Err(with_path(error, &target)),
            }
            if let Some(parent) = target.parent() {
                fs::create_dir_all(parent).map_err(|e| with_path(e, parent))?;
            }
            fs::write(&target, text).map_err(|e| with_path(e, &target))?;
        }
        for path in self.leftovers(dir)? {
            let target = dir.join(&path);
            fs::remove_file(&target).map_err(|e| with_path(e, &target))?;
            remove_empty_parents(dir, &target);
            report.removed.push(path);
        }
        Ok(report)
    }

    /// Every difference between `dir` and the tree, without writing anything.
    pub fn check(&self, dir: &Path) -> io::Result<Vec<Stale>> {
        let mut stale = Vec::new();
        for (path, text) in &self.files {
            let target = dir.join(path);
            let existing = match fs::read_to_string(&target) {
                Ok(existing) => existing,
                Err(error) if error.kind() == io::ErrorKind::NotFound => String::new(),
                Err(error) => return Err(with_path(error, &target)),
            };
            if existing != *text {
                stale.push(Stale {
                    path: path.clone(),
                    diff: unified_diff(path, &existing, text),
                });
            }
        }
        for path in self.leftovers(dir)? {
            let existing = fs::read_to_string(dir.join(&path)).unwrap_or_default();
            stale.push(Stale {
                diff: unified_diff(&path, &existing, ""),
                path,
            });
        }
        Ok(stale)
    }

    /// Files under `dir` that carry the generated marker but are not part of the tree.
    fn leftovers(&self, dir: &Path) -> io::Result<Vec<String>> {
        let mut found = Vec::new();
        if dir.is_dir() {
            collect_generated(dir, dir, &mut found)?;
        }
        found.retain(|path| !self.files.contains_key(path));
        found.sort();
        Ok(found)
    }
}

fn collect_generated(root: &Path, dir: &Path, found: &mut Vec<String>) -> io::Result<()> {
    for entry in fs::read_dir(dir).map_err(|e| with_path(e, dir))? {
        let entry = entry?;
        let path = entry.path();
        let file_type = entry.file_type()?;
        if file_type.is_dir() {
            // A build directory inside the output is not ours to look through.
            if entry.file_name() != "target" {
                collect_generated(root, &path, found)?;
            }
        } else if file_type.is_file() && starts_with_marker(&path) {
            if let Ok(relative) = path.strip_prefix(root) {
                let parts: Vec<_> = relative.iter().map(|p| p.to_string_lossy()).collect();
                found.push(parts.join("/"));
            }
        }
    }
    Ok(())
}

fn starts_with_marker(path: &Path) -> bool {
    fs::read_to_string(path)
        .map(|text| {
            text.lines()
                .next()
                .is_some_and(|line| line.contains(MARKER))
        })
        .unwrap_or(false)
}

fn remove_empty_parents(root: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(current) = dir {
        if current == root || fs::remove_dir(current).is_err() {
            break;
        }
        dir = current.parent();
    }
}

fn with_path(error: io::Error, path: &Path) -> io::Error {
    io::Error::new(
        error.kind(),
        format!("{}: {error}", PathBuf::from(path).display()),
    )
}

fn unified_diff(path: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}
