//! Stage 6: the formatted files on disk, or a comparison with what is there.
//!
//! A write replaces the output directory as a whole. The new tree is built beside it, in a
//! staging directory on the same file system, and then swapped in with two renames: the
//! previous tree moves aside, the new one takes its place, and the previous one is deleted.
//! A write that fails, or a process killed before the swap, leaves the previous tree exactly
//! as it was. A process killed between the two renames (a window of two system calls)
//! leaves the previous tree complete beside the output directory, and the next write puts
//! it back before doing anything else.
//!
//! Unchanged files are hard links to the previous ones (copies, with their modification
//! time, where the file system has no hard links), so cargo does not rebuild what did not
//! change. Files that an earlier run generated and this one does not are left out of the
//! new tree. Everything else in the output directory (a hand-added file, a `target/`
//! directory) is carried over the same way as unchanged files.
//!
//! One write per output directory at a time: the staging and aside directories have fixed
//! names, which is what lets a later write find and repair what a killed one left.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::{self, Read};
use std::path::{Component, Path, PathBuf};

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

impl WriteReport {
    fn changes_nothing(&self) -> bool {
        self.created.is_empty() && self.updated.is_empty() && self.removed.is_empty()
    }
}

/// A file whose content on disk differs from what the spec gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stale {
    pub path: String,
    /// Unified diff from the file on disk to the generated text.
    pub diff: String,
}

impl Tree {
    /// Makes `dir` hold exactly this tree plus whatever in it was not generated, replacing
    /// it as a whole (see the module docs). When nothing would change, nothing is touched.
    pub fn write(&self, dir: &Path) -> io::Result<WriteReport> {
        self.write_with(dir, &mut |_| Ok(()))
    }

    /// [`Tree::write`], calling `interrupt` at each [`Step`] so that tests can make the
    /// write fail, or stop as if the process had been killed, at any point.
    fn write_with(
        &self,
        dir: &Path,
        interrupt: &mut dyn FnMut(Step) -> Result<(), Interruption>,
    ) -> io::Result<WriteReport> {
        let dir = resolve(dir)?;
        let aside = Aside::of(&dir)?;
        aside.recover(&dir)?;
        let existing = Existing::scan(&dir)?;
        let plan = self.plan(&dir, &existing)?;
        if plan.report.changes_nothing() {
            return Ok(plan.report);
        }
        match aside.stage_and_swap(&dir, &plan, &existing, interrupt) {
            Ok(()) => Ok(plan.report),
            Err(Interruption::Fail(error)) => {
                aside.roll_back(&dir);
                Err(error)
            }
            Err(Interruption::Die) => Err(io::Error::other("write stopped by a simulated kill")),
        }
    }

    /// Every difference between `dir` and the tree, without writing anything.
    pub fn check(&self, dir: &Path) -> io::Result<Vec<Stale>> {
        let mut stale = Vec::new();
        for (path, text) in &self.files {
            let target = dir.join(relative(path)?);
            let existing = read_if_present(&target)?.unwrap_or_default();
            if existing != *text {
                stale.push(Stale {
                    path: path.clone(),
                    diff: unified_diff(path, &existing, text),
                });
            }
        }
        for path in self.leftovers(&Existing::scan(dir)?) {
            let existing = fs::read_to_string(dir.join(&path)).unwrap_or_default();
            stale.push(Stale {
                diff: unified_diff(&path, &existing, ""),
                path,
            });
        }
        Ok(stale)
    }

    /// Files an earlier run generated that are not part of this tree, sorted.
    fn leftovers(&self, existing: &Existing) -> Vec<String> {
        let generated = existing.generated.iter();
        generated
            .filter(|path| !self.files.contains_key(*path))
            .cloned()
            .collect()
    }

    /// Decides, file by file, what the new tree takes from the previous one.
    fn plan<'t>(&'t self, dir: &Path, existing: &Existing) -> io::Result<Plan<'t>> {
        let mut plan = Plan {
            files: Vec::new(),
            report: WriteReport::default(),
        };
        for (path, text) in &self.files {
            let relative = relative(path)?;
            let source = match read_if_present(&dir.join(&relative))? {
                Some(previous) if previous == *text => {
                    plan.report.unchanged += 1;
                    Source::Previous
                }
                Some(_) => {
                    plan.report.updated.push(path.clone());
                    Source::Text(text)
                }
                None => {
                    plan.report.created.push(path.clone());
                    Source::Text(text)
                }
            };
            plan.files.push((relative, source));
        }
        plan.report.removed = self.leftovers(existing);
        Ok(plan)
    }
}

/// A point in a write at which a test can interrupt it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    /// One more entry is in the staging directory.
    Staged,
    /// The previous tree has been moved aside; the new one is not in place yet.
    Swapping,
    /// The new tree is in place: the write has succeeded, only tidying up is left.
    Swapped,
}

/// Why a write stopped early.
#[derive(Debug)]
enum Interruption {
    /// An error: the write undoes what it did and reports it.
    Fail(io::Error),
    /// The process died: nothing after this point runs, not even the clean-up. Only tests
    /// ask for this.
    #[cfg_attr(not(test), allow(dead_code))]
    Die,
}

impl From<io::Error> for Interruption {
    fn from(error: io::Error) -> Self {
        Interruption::Fail(error)
    }
}

/// The new tree, as instructions for filling the staging directory.
struct Plan<'t> {
    files: Vec<(PathBuf, Source<'t>)>,
    report: WriteReport,
}

enum Source<'t> {
    /// Identical to the file already there: linked, so its modification time is kept.
    Previous,
    Text(&'t str),
}

/// What the output directory holds before a write, by path relative to it.
#[derive(Debug, Default)]
struct Existing {
    /// Files whose first line carries the generated marker, `/`-separated, sorted.
    generated: BTreeSet<String>,
    /// Everything else, carried over by a write unless the tree has a file of that name.
    foreign: Vec<(PathBuf, Kind)>,
    /// Every directory, parents before children, to give the new tree the same permissions.
    dirs: Vec<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    File,
    Symlink,
    /// A directory with nothing in it: kept, as no file would recreate it.
    EmptyDir,
    /// A build directory (`target/`): nothing in it is ours, so it is neither searched for
    /// generated files nor walked until it has to be carried over, as a whole.
    BuildDir,
}

impl Existing {
    fn scan(dir: &Path) -> io::Result<Existing> {
        let mut existing = Existing::default();
        if dir.is_dir() {
            existing.visit(dir, Path::new(""))?;
        }
        Ok(existing)
    }

    fn visit(&mut self, root: &Path, relative: &Path) -> io::Result<()> {
        let dir = root.join(relative);
        let mut empty = true;
        for entry in fs::read_dir(&dir).map_err(|e| with_path(e, &dir))? {
            empty = false;
            let entry = entry.map_err(|e| with_path(e, &dir))?;
            let path = relative.join(entry.file_name());
            let file_type = entry.file_type().map_err(|e| with_path(e, &entry.path()))?;
            if file_type.is_symlink() {
                self.foreign.push((path, Kind::Symlink));
            } else if file_type.is_dir()
                && entry.file_name() == "target"
                && relative.as_os_str().is_empty()
            {
                // Cargo's build directory sits at the crate's root; a `target` deeper down
                // (a resource module of that name) is the generator's own.
                self.foreign.push((path, Kind::BuildDir));
            } else if file_type.is_dir() {
                self.dirs.push(path.clone());
                self.visit(root, &path)?;
            } else if file_type.is_file() {
                match slash_separated(&path) {
                    Some(name) if starts_with_marker(&entry.path()) => {
                        self.generated.insert(name);
                    }
                    _ => self.foreign.push((path, Kind::File)),
                }
            } else {
                return Err(not_carried(&entry.path()));
            }
        }
        if empty && !relative.as_os_str().is_empty() {
            self.foreign.push((relative.to_owned(), Kind::EmptyDir));
        }
        Ok(())
    }
}

/// The two siblings of an output directory that a write uses: where the new tree is built,
/// and where the previous one waits while the new one takes its place.
struct Aside {
    staging: PathBuf,
    previous: PathBuf,
}

impl Aside {
    fn of(dir: &Path) -> io::Result<Aside> {
        let (Some(parent), Some(name)) = (dir.parent(), dir.file_name()) else {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "{}: not a directory a tree can be written to",
                    dir.display()
                ),
            ));
        };
        let sibling = |suffix: &str| {
            let mut sibling = std::ffi::OsString::from(".");
            sibling.push(name);
            sibling.push(suffix);
            parent.join(sibling)
        };
        Ok(Aside {
            staging: sibling(".codegen-staging"),
            previous: sibling(".codegen-previous"),
        })
    }

    /// Repairs what a killed write left: puts the previous tree back if it was moved aside
    /// and not replaced, and deletes a half-built staging directory.
    fn recover(&self, dir: &Path) -> io::Result<()> {
        if self.previous.exists() {
            if dir.exists() {
                // Killed after the swap: the new tree is complete and in place.
                remove_dir_all(&self.previous)?;
            } else {
                // Killed between the two renames.
                rename(&self.previous, dir)?;
            }
        }
        if self.staging.exists() {
            remove_dir_all(&self.staging)?;
        }
        Ok(())
    }

    fn stage_and_swap(
        &self,
        dir: &Path,
        plan: &Plan,
        existing: &Existing,
        interrupt: &mut dyn FnMut(Step) -> Result<(), Interruption>,
    ) -> Result<(), Interruption> {
        let staging = &self.staging;
        if let Some(parent) = staging.parent() {
            fs::create_dir_all(parent).map_err(|e| with_path(e, parent))?;
        }
        fs::create_dir(staging).map_err(|e| with_path(e, staging))?;
        for (path, source) in &plan.files {
            let target = staging.join(path);
            create_parent(&target)?;
            match source {
                Source::Previous => link_or_copy(&dir.join(path), &target)?,
                Source::Text(text) => {
                    fs::write(&target, text).map_err(|e| with_path(e, &target))?
                }
            }
            interrupt(Step::Staged)?;
        }
        let in_tree: BTreeSet<&Path> = plan.files.iter().map(|(path, _)| path.as_path()).collect();
        for (path, kind) in &existing.foreign {
            if in_tree.contains(path.as_path()) {
                continue;
            }
            let (source, target) = (dir.join(path), staging.join(path));
            create_parent(&target)?;
            match kind {
                Kind::File => link_or_copy(&source, &target)?,
                Kind::Symlink => copy_symlink(&source, &target)?,
                // A tree file may have created it already.
                Kind::EmptyDir => fs::create_dir_all(&target).map_err(|e| with_path(e, &target))?,
                Kind::BuildDir => link_dir(&source, &target)?,
            }
            interrupt(Step::Staged)?;
        }
        // Permissions last: a read-only directory could not have been filled.
        let root = Path::new("");
        for path in existing.dirs.iter().map(PathBuf::as_path).chain([root]) {
            let target = staging.join(path);
            if let (Ok(previous), true) = (fs::metadata(dir.join(path)), target.is_dir()) {
                fs::set_permissions(&target, previous.permissions())
                    .map_err(|e| with_path(e, &target))?;
            }
        }

        if dir.exists() {
            rename(dir, &self.previous)?;
        }
        interrupt(Step::Swapping)?;
        rename(staging, dir)?;
        // The new tree is in place: the write has succeeded, and failing to delete the
        // previous tree must not undo it (the next write deletes it).
        if let Err(Interruption::Die) = interrupt(Step::Swapped) {
            return Err(Interruption::Die);
        }
        let _ = fs::remove_dir_all(&self.previous);
        Ok(())
    }

    /// Undoes a failed write: the previous tree back in place if it had been moved aside,
    /// the staging directory gone. Best effort: what it cannot do, the next write's
    /// [`Aside::recover`] does.
    fn roll_back(&self, dir: &Path) {
        if self.previous.exists() && !dir.exists() {
            let _ = fs::rename(&self.previous, dir);
        }
        let _ = fs::remove_dir_all(&self.staging);
    }
}

/// `dir` made absolute, through a symbolic link if it is one (the link stays, its target
/// is replaced), with a parent that exists.
fn resolve(dir: &Path) -> io::Result<PathBuf> {
    let is_link = fs::symlink_metadata(dir).is_ok_and(|meta| meta.file_type().is_symlink());
    let dir = if is_link {
        fs::canonicalize(dir)
    } else {
        std::path::absolute(dir)
    }
    .map_err(|e| with_path(e, dir))?;
    if dir.exists() && !dir.is_dir() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{}: exists and is not a directory", dir.display()),
        ));
    }
    if let Some(parent) = dir.parent() {
        fs::create_dir_all(parent).map_err(|e| with_path(e, parent))?;
    }
    Ok(dir)
}

/// A tree path as a relative path that cannot leave the output directory.
fn relative(path: &str) -> io::Result<PathBuf> {
    let relative = PathBuf::from(path);
    let inside = relative
        .components()
        .all(|component| matches!(component, Component::Normal(_)));
    if inside && !path.is_empty() {
        Ok(relative)
    } else {
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("'{path}' is not a relative path inside the output directory"),
        ))
    }
}

/// `a/b.rs` for a relative path, or `None` if a part of it is not UTF-8 (no tree path is).
fn slash_separated(path: &Path) -> Option<String> {
    let parts: Option<Vec<&str>> = path.iter().map(|part| part.to_str()).collect();
    parts.map(|parts| parts.join("/"))
}

fn read_if_present(path: &Path) -> io::Result<Option<String>> {
    match fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(None),
        // Not text, so not what the tree holds: it is replaced.
        Err(error) if error.kind() == io::ErrorKind::InvalidData => Ok(Some(String::new())),
        Err(error) => Err(with_path(error, path)),
    }
}

/// Whether the first line of the file carries the generated marker. Only the start of the
/// file is read: a foreign file may be large, or not text.
fn starts_with_marker(path: &Path) -> bool {
    let mut start = Vec::new();
    let read = fs::File::open(path).and_then(|file| file.take(1024).read_to_end(&mut start));
    let first_line = start
        .split(|&byte| byte == b'\n')
        .next()
        .unwrap_or_default();
    read.is_ok() && String::from_utf8_lossy(first_line).contains(MARKER)
}

fn create_parent(path: &Path) -> io::Result<()> {
    match path.parent() {
        Some(parent) => fs::create_dir_all(parent).map_err(|e| with_path(e, parent)),
        None => Ok(()),
    }
}

/// A copy of the directory `source` at `target` made of hard links (see [`link_or_copy`]).
fn link_dir(source: &Path, target: &Path) -> io::Result<()> {
    fs::create_dir(target).map_err(|e| with_path(e, target))?;
    for entry in fs::read_dir(source).map_err(|e| with_path(e, source))? {
        let entry = entry.map_err(|e| with_path(e, source))?;
        let (from, to) = (entry.path(), target.join(entry.file_name()));
        let file_type = entry.file_type().map_err(|e| with_path(e, &from))?;
        if file_type.is_symlink() {
            copy_symlink(&from, &to)?;
        } else if file_type.is_dir() {
            link_dir(&from, &to)?;
        } else if file_type.is_file() {
            link_or_copy(&from, &to)?;
        } else {
            return Err(not_carried(&from));
        }
    }
    let permissions = fs::metadata(source).map_err(|e| with_path(e, source))?;
    fs::set_permissions(target, permissions.permissions()).map_err(|e| with_path(e, target))
}

/// The error for a socket, a FIFO or a device node in the output directory.
fn not_carried(path: &Path) -> io::Error {
    io::Error::new(
        io::ErrorKind::Unsupported,
        format!(
            "{}: neither a file, a directory nor a symbolic link, so a write could not keep it",
            path.display()
        ),
    )
}

/// A hard link to `source`, or where the file system has none, a copy with the same
/// modification time: either way cargo sees the file as unchanged.
fn link_or_copy(source: &Path, target: &Path) -> io::Result<()> {
    if fs::hard_link(source, target).is_ok() {
        return Ok(());
    }
    fs::copy(source, target).map_err(|e| with_path(e, source))?;
    let modified = fs::metadata(source)
        .and_then(|meta| meta.modified())
        .map_err(|e| with_path(e, source))?;
    fs::File::options()
        .write(true)
        .open(target)
        .and_then(|file| file.set_modified(modified))
        .map_err(|e| with_path(e, target))
}

#[cfg(unix)]
fn copy_symlink(source: &Path, target: &Path) -> io::Result<()> {
    let points_to = fs::read_link(source).map_err(|e| with_path(e, source))?;
    std::os::unix::fs::symlink(points_to, target).map_err(|e| with_path(e, target))
}

#[cfg(not(unix))]
fn copy_symlink(source: &Path, _target: &Path) -> io::Result<()> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        format!(
            "{}: symbolic links in the output directory are kept only on Unix",
            source.display()
        ),
    ))
}

fn rename(from: &Path, to: &Path) -> io::Result<()> {
    fs::rename(from, to).map_err(|error| {
        let message = format!("moving {} to {}: {error}", from.display(), to.display());
        io::Error::new(error.kind(), message)
    })
}

fn remove_dir_all(path: &Path) -> io::Result<()> {
    fs::remove_dir_all(path).map_err(|e| with_path(e, path))
}

fn with_path(error: io::Error, path: &Path) -> io::Error {
    io::Error::new(error.kind(), format!("{}: {error}", path.display()))
}

fn unified_diff(path: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}

// The tests use Unix symlinks and inode numbers to see exactly what a write kept.
#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::MetadataExt;

    /// A directory of its own under the system's temporary directory, removed on drop.
    struct Scratch(PathBuf);

    impl Scratch {
        fn new(name: &str) -> Scratch {
            let root =
                std::env::temp_dir().join(format!("codegen-write-{name}-{}", std::process::id()));
            let _ = fs::remove_dir_all(&root);
            fs::create_dir_all(&root).unwrap();
            Scratch(root)
        }

        fn out(&self) -> PathBuf {
            self.0.join("generated")
        }

        /// Everything in the scratch directory except the output: where a write's
        /// staging or aside directory would linger.
        fn siblings(&self) -> Vec<String> {
            let mut names: Vec<String> = fs::read_dir(&self.0)
                .unwrap()
                .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
                .filter(|name| name != "generated")
                .collect();
            names.sort();
            names
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    #[derive(Debug, PartialEq, Eq)]
    enum Entry {
        File(Vec<u8>),
        Dir,
        Symlink(PathBuf),
    }

    /// Every entry under `dir` with its content: equal snapshots mean byte-identical trees.
    fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Entry> {
        fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Entry>) {
            for entry in fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                let relative = path.strip_prefix(root).unwrap().to_owned();
                let file_type = fs::symlink_metadata(&path).unwrap().file_type();
                if file_type.is_symlink() {
                    out.insert(relative, Entry::Symlink(fs::read_link(&path).unwrap()));
                } else if file_type.is_dir() {
                    out.insert(relative, Entry::Dir);
                    walk(root, &path, out);
                } else {
                    out.insert(relative, Entry::File(fs::read(&path).unwrap()));
                }
            }
        }
        let mut out = BTreeMap::new();
        walk(dir, dir, &mut out);
        out
    }

    fn generated(text: &str) -> String {
        format!("// {MARKER} from spec.yaml; do not edit by hand.\n\n{text}\n")
    }

    fn tree(files: &[(&str, &str)]) -> Tree {
        Tree {
            files: files
                .iter()
                .map(|(path, text)| (path.to_string(), generated(text)))
                .collect(),
        }
    }

    fn old_tree() -> Tree {
        tree(&[
            ("Cargo.toml", "old manifest"),
            ("src/lib.rs", "old lib"),
            ("src/gone/mod.rs", "a module the new spec drops"),
            ("src/same.rs", "unchanged"),
        ])
    }

    fn new_tree() -> Tree {
        tree(&[
            ("Cargo.toml", "new manifest"),
            ("src/lib.rs", "old lib"),
            ("src/new.rs", "a new module"),
            ("src/same.rs", "unchanged"),
        ])
    }

    /// The old tree written, plus what a person or cargo may have added beside it.
    fn previous_output(scratch: &Scratch) -> PathBuf {
        let out = scratch.out();
        old_tree().write(&out).unwrap();
        fs::write(out.join("NOTES.md"), "kept: no marker\n").unwrap();
        fs::create_dir_all(out.join("target/debug/deps")).unwrap();
        fs::write(out.join("target/debug/deps/libx.rlib"), [0, 159, 146, 150]).unwrap();
        // A build directory is not searched: this is not a leftover to remove.
        fs::write(out.join("target/copy.rs"), generated("inside target")).unwrap();
        fs::create_dir_all(out.join("empty")).unwrap();
        std::os::unix::fs::symlink("../NOTES.md", out.join("src/notes-link")).unwrap();
        out
    }

    #[test]
    fn a_module_named_target_is_generated_like_any_other() {
        let scratch = Scratch::new("target-module");
        let out = scratch.out();
        let with_target = tree(&[
            ("src/lib.rs", "lib"),
            ("src/devices/target.rs", "a resource called target"),
            ("src/devices/target/rules.rs", "its child"),
        ]);
        with_target.write(&out).unwrap();
        // Written again over itself, and then without the module: no build directory in
        // the way, and the module's files are the generator's to remove.
        with_target.write(&out).unwrap();
        tree(&[("src/lib.rs", "lib")]).write(&out).unwrap();
        assert!(!out.join("src/devices/target").exists());
        assert!(!out.join("src/devices/target.rs").exists());
    }

    #[test]
    fn a_write_replaces_generated_files_and_keeps_everything_else() {
        let scratch = Scratch::new("replace");
        let out = previous_output(&scratch);
        let before = snapshot(&out);

        let report = new_tree().write(&out).unwrap();

        assert_eq!(report.created, ["src/new.rs"]);
        assert_eq!(report.updated, ["Cargo.toml"]);
        assert_eq!(report.removed, ["src/gone/mod.rs"]);
        assert_eq!(report.unchanged, 2);
        let after = snapshot(&out);
        for kept in [
            "NOTES.md",
            "target/debug/deps/libx.rlib",
            "target/copy.rs",
            "empty",
            "src/notes-link",
            "src/same.rs",
        ] {
            assert_eq!(
                after.get(Path::new(kept)),
                before.get(Path::new(kept)),
                "{kept}"
            );
        }
        assert!(
            !out.join("src/gone").exists(),
            "the emptied directory goes too"
        );
        assert!(new_tree().check(&out).unwrap().is_empty());
        assert!(scratch.siblings().is_empty(), "{:?}", scratch.siblings());
    }

    #[test]
    fn unchanged_files_keep_their_inode_and_modification_time() {
        let scratch = Scratch::new("mtimes");
        let out = previous_output(&scratch);
        let identity = |path: &str| {
            let meta = fs::metadata(out.join(path)).unwrap();
            (meta.ino(), meta.modified().unwrap())
        };
        let same = identity("src/same.rs");
        let build_output = identity("target/debug/deps/libx.rlib");
        std::thread::sleep(std::time::Duration::from_millis(20));

        new_tree().write(&out).unwrap();

        assert_eq!(identity("src/same.rs"), same);
        assert_eq!(identity("target/debug/deps/libx.rlib"), build_output);
    }

    #[test]
    fn a_write_that_changes_nothing_touches_nothing() {
        let scratch = Scratch::new("noop");
        let out = previous_output(&scratch);
        let inode = fs::metadata(&out).unwrap().ino();

        let report = old_tree().write(&out).unwrap();

        assert!(report.changes_nothing());
        assert_eq!(report.unchanged, old_tree().files.len());
        assert_eq!(fs::metadata(&out).unwrap().ino(), inode, "not swapped");
    }

    /// How many times a write of the new tree over the previous output reaches each step.
    fn steps() -> Vec<Step> {
        let scratch = Scratch::new("steps");
        let out = previous_output(&scratch);
        let mut steps = Vec::new();
        new_tree()
            .write_with(&out, &mut |step| {
                steps.push(step);
                Ok(())
            })
            .unwrap();
        steps
    }

    /// Runs a write of the new tree over the previous output that `interruption` stops at
    /// the `n`th step; returns the scratch directory and the previous output's snapshot.
    fn interrupted(
        n: usize,
        interruption: fn() -> Interruption,
    ) -> (Scratch, BTreeMap<PathBuf, Entry>) {
        let kind = match interruption() {
            Interruption::Fail(_) => "failed",
            Interruption::Die => "killed",
        };
        let scratch = Scratch::new(&format!("{kind}-at-{n}"));
        let out = previous_output(&scratch);
        let before = snapshot(&out);
        let mut seen = 0;
        let result = new_tree().write_with(&out, &mut |_| {
            seen += 1;
            if seen == n {
                Err(interruption())
            } else {
                Ok(())
            }
        });
        assert!(result.is_err(), "step {n} must stop the write");
        (scratch, before)
    }

    #[test]
    fn a_write_failing_at_any_step_before_the_swap_leaves_the_previous_tree_as_it_was() {
        let steps = steps();
        let staged = steps.iter().filter(|step| **step == Step::Staged).count();
        // NOTES.md, target/ (as one), empty/ and src/notes-link are kept.
        assert_eq!(
            staged,
            new_tree().files.len() + 4,
            "tree files and kept entries"
        );
        assert!(steps.contains(&Step::Swapping) && steps.contains(&Step::Swapped));
        for (n, step) in steps.iter().enumerate() {
            if *step == Step::Swapped {
                continue; // the write has succeeded by then
            }
            let (scratch, before) =
                interrupted(n + 1, || Interruption::Fail(io::Error::other("disk full")));
            assert_eq!(
                snapshot(&scratch.out()),
                before,
                "failed at {step:?} (step {n})"
            );
            assert!(
                scratch.siblings().is_empty(),
                "{step:?}: {:?}",
                scratch.siblings()
            );
        }
    }

    #[test]
    fn after_a_kill_at_any_step_the_previous_tree_is_intact_and_the_next_write_completes() {
        for (n, step) in steps().iter().enumerate() {
            let (scratch, before) = interrupted(n + 1, || Interruption::Die);
            let out = scratch.out();
            match step {
                Step::Staged => assert_eq!(snapshot(&out), before),
                // Between the two renames: the previous tree waits, complete, beside it.
                Step::Swapping => {
                    assert!(!out.exists());
                    let previous = scratch.0.join(".generated.codegen-previous");
                    assert_eq!(snapshot(&previous), before);
                    Aside::of(&out).unwrap().recover(&out).unwrap();
                    assert_eq!(snapshot(&out), before, "recovered");
                }
                Step::Swapped => assert!(new_tree().check(&out).unwrap().is_empty()),
            }
            new_tree().write(&out).unwrap();
            assert!(new_tree().check(&out).unwrap().is_empty(), "{step:?}");
            assert!(out.join("NOTES.md").exists() && out.join("target/copy.rs").exists());
            assert!(
                scratch.siblings().is_empty(),
                "{step:?}: {:?}",
                scratch.siblings()
            );
        }
    }

    #[test]
    fn writes_into_a_directory_that_does_not_exist_yet() {
        let scratch = Scratch::new("fresh");
        let out = scratch.0.join("nested/deeper/crate");
        let report = new_tree().write(&out).unwrap();
        assert_eq!(report.created.len(), new_tree().files.len());
        assert!(new_tree().check(&out).unwrap().is_empty());
    }

    #[test]
    fn a_symlinked_output_directory_stays_a_symlink() {
        let scratch = Scratch::new("symlink");
        let real = scratch.0.join("real");
        old_tree().write(&real).unwrap();
        let link = scratch.out();
        std::os::unix::fs::symlink(&real, &link).unwrap();

        new_tree().write(&link).unwrap();

        assert!(fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert!(new_tree().check(&real).unwrap().is_empty());
    }

    #[test]
    fn a_file_where_the_output_directory_should_be_is_left_alone() {
        let scratch = Scratch::new("file");
        fs::write(scratch.out(), "not a directory\n").unwrap();
        let error = new_tree().write(&scratch.out()).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::InvalidInput);
        assert_eq!(
            fs::read_to_string(scratch.out()).unwrap(),
            "not a directory\n"
        );
        assert!(scratch.siblings().is_empty(), "{:?}", scratch.siblings());
    }

    #[test]
    fn paths_leaving_the_output_directory_are_refused_before_anything_is_written() {
        let scratch = Scratch::new("escape");
        let out = previous_output(&scratch);
        let before = snapshot(&out);
        for path in ["../escaped.rs", "/etc/escaped.rs", "", "src/../../x.rs"] {
            let mut evil = new_tree();
            evil.files.insert(path.to_owned(), "x".to_owned());
            let error = evil.write(&out).unwrap_err();
            assert_eq!(error.kind(), io::ErrorKind::InvalidInput, "{path}");
            assert_eq!(snapshot(&out), before, "{path}");
        }
        assert!(scratch.siblings().is_empty(), "{:?}", scratch.siblings());
    }
}
