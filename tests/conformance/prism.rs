//! Prism (Stoplight's OpenAPI mock server) as a test fixture: installed with npm on first
//! use, serving a document on a free loopback port, stopped when its handle drops.
//!
//! Prism runs under a small `sh` watchdog in a process group of its own. Dropping [`Prism`]
//! kills the group. If the test process dies without dropping it (a SIGKILL, an abort,
//! Ctrl-C, which does not reach another process group), the watchdog's stdin, a pipe from
//! the test process, closes, and the watchdog kills the group: no Prism outlives the tests.

use std::collections::{BTreeMap, VecDeque};
use std::io::{BufRead, BufReader, Read};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread;
use std::time::{Duration, Instant};

/// The Prism release the suite runs. Pinned so that a new release cannot change the suite's
/// verdict unannounced; the install cache is per version.
pub const PRISM_VERSION: &str = "5.14.2";

/// How long Prism may take to listen. It starts in a few seconds; the margin is for a
/// loaded CI machine.
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// How long `npm install` may take (about 15 s with a reachable registry).
const INSTALL_TIMEOUT: Duration = Duration::from_secs(300);

/// Lines of Prism's output kept for failure messages, unless [`Prism::start_keeping`] says
/// otherwise.
const LOG_LINES: usize = 300;

/// Runs `"$@"` (Prism) with stdin from /dev/null, and a watchdog that kills the whole process group
/// when the script's own stdin reaches end of file, which happens when the test process
/// closes it or dies. When Prism exits by itself, the script exits with its status, so a
/// Prism that cannot start is noticed at once.
const WATCHDOG: &str = r#"
exec 3<&0
"$@" </dev/null &
prism=$!
(read -r _ <&3; kill -KILL 0) &
watchdog=$!
wait "$prism"
status=$?
kill "$watchdog" 2>/dev/null
exit "$status"
"#;

/// Whether Prism answers with the document's examples or with random schema-valid data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Examples, or data shaped by the schema when there are none.
    Static,
    /// `-d`: a fresh random body, valid against the schema, for every request.
    Dynamic,
}

/// A running Prism. Dropping it stops it.
pub struct Prism {
    child: Child,
    /// The watchdog's stdin; dropping it is the watchdog's signal.
    stdin: Option<ChildStdin>,
    addr: SocketAddr,
    log: Log,
}

/// The last lines of a process's output, and how many to keep.
#[derive(Clone)]
struct Log {
    lines: Arc<Mutex<VecDeque<String>>>,
    keep: usize,
}

impl Log {
    fn keeping(keep: usize) -> Log {
        Log {
            lines: Arc::default(),
            keep,
        }
    }

    fn lock(&self) -> std::sync::LockResult<std::sync::MutexGuard<'_, VecDeque<String>>> {
        self.lines.lock()
    }
}

impl Prism {
    /// Starts Prism serving `document`, installing it first if needed. Fails with Prism's
    /// output when it exits or does not listen within a minute.
    pub fn start(document: &Path, mode: Mode) -> Result<Prism, String> {
        Prism::start_keeping(document, mode, LOG_LINES)
    }

    /// [`Prism::start`], keeping the last `lines` lines of Prism's log (it writes about six
    /// per request) rather than 300.
    pub fn start_keeping(document: &Path, mode: Mode, lines: usize) -> Result<Prism, String> {
        let executable = executable()?;
        let mut last_error = String::new();
        // The port is free when chosen but could be taken before Prism binds it.
        for _ in 0..3 {
            match Prism::start_on(&executable, document, mode, free_port()?, lines) {
                Ok(prism) => return Ok(prism),
                Err(error) if error.contains("EADDRINUSE") => last_error = error,
                Err(error) => return Err(error),
            }
        }
        Err(last_error)
    }

    fn start_on(
        executable: &Path,
        document: &Path,
        mode: Mode,
        addr: SocketAddr,
        lines: usize,
    ) -> Result<Prism, String> {
        let mut command = Command::new("sh");
        command
            .args(["-c", WATCHDOG, "prism-watchdog"])
            .arg(executable)
            .args([
                "mock",
                "--host",
                &addr.ip().to_string(),
                "--port",
                &addr.port().to_string(),
            ])
            .arg(document);
        if mode == Mode::Dynamic {
            command.arg("--dynamic");
        }
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .process_group(0)
            .spawn()
            .map_err(|error| format!("cannot run sh to start Prism: {error}"))?;
        let log = Log::keeping(lines);
        if let Some(stdout) = child.stdout.take() {
            keep_lines(stdout, log.clone());
        }
        if let Some(stderr) = child.stderr.take() {
            keep_lines(stderr, log.clone());
        }
        let stdin = child.stdin.take();
        let mut prism = Prism {
            child,
            stdin,
            addr,
            log,
        };
        prism.wait_until_listening()?;
        Ok(prism)
    }

    fn wait_until_listening(&mut self) -> Result<(), String> {
        let started = Instant::now();
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                // Let the log threads read what Prism wrote before it exited.
                thread::sleep(Duration::from_millis(200));
                return Err(format!(
                    "Prism exited ({status}) before it listened on {}:\n{}",
                    self.addr,
                    self.log()
                ));
            }
            // Prism says when it listens. A connection alone proves less: another server
            // (another test's Prism) may hold the port while this one fails to bind it, and
            // the kernel may connect a socket to itself on a port of the ephemeral range.
            if self.says_it_listens() {
                if let Ok(stream) =
                    TcpStream::connect_timeout(&self.addr, Duration::from_millis(200))
                {
                    if stream.local_addr().ok() != Some(self.addr) {
                        return Ok(());
                    }
                }
            }
            if started.elapsed() > START_TIMEOUT {
                return Err(format!(
                    "Prism did not listen on {} within {START_TIMEOUT:?}:\n{}",
                    self.addr,
                    self.log()
                ));
            }
            thread::sleep(Duration::from_millis(100));
        }
    }

    /// Whether Prism has logged that it listens on this instance's port.
    fn says_it_listens(&self) -> bool {
        let listening = format!("is listening on http://{}", self.addr);
        self.log
            .lock()
            .map(|lines| lines.iter().any(|line| line.contains(&listening)))
            .unwrap_or(false)
    }

    /// `http://127.0.0.1:PORT`, to use as the client's base URL.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The last lines Prism wrote, for failure messages: its log names the rule a rejected
    /// request broke.
    pub fn log(&self) -> String {
        let lines = self
            .log
            .lock()
            .map(|lines| lines.iter().cloned().collect::<Vec<_>>())
            .unwrap_or_default();
        lines.join("\n")
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        // The watchdog made itself the leader of the group, so its pid names the group.
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill")
            .args(["-KILL", "--", &group])
            .stderr(Stdio::null())
            .status();
        drop(self.stdin.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Reads `pipe` line by line into `log`, keeping the last lines it keeps. Reading also
/// keeps the pipe drained: Prism logs every request, and a full pipe would block it.
fn keep_lines(pipe: impl Read + Send + 'static, log: Log) {
    thread::spawn(move || {
        for line in BufReader::new(pipe).lines() {
            let Ok(line) = line else { break };
            if let Ok(mut lines) = log.lock() {
                if lines.len() >= log.keep {
                    lines.pop_front();
                }
                lines.push_back(line);
            }
        }
    });
}

fn free_port() -> Result<SocketAddr, String> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map_err(|error| format!("cannot find a free loopback port: {error}"))
}

/// The Prism executable, installed once per version into the workspace's `target/prism/`.
pub fn executable() -> Result<PathBuf, String> {
    static EXECUTABLE: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    EXECUTABLE.get_or_init(install).clone()
}

fn install() -> Result<PathBuf, String> {
    let cache = tests::workspace_root().join("target/prism");
    let dir = cache.join(PRISM_VERSION);
    let executable = dir.join("node_modules/.bin/prism");
    if executable.is_file() {
        return Ok(executable);
    }
    // Installed beside the cache and renamed into place, so that a concurrent test run
    // never sees half an installation.
    let staging = cache.join(format!("installing-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&staging);
    std::fs::create_dir_all(&staging)
        .map_err(|error| format!("cannot create {}: {error}", staging.display()))?;
    let package = format!("@stoplight/prism-cli@{PRISM_VERSION}");
    let mut npm = Command::new("npm");
    npm.args(["install", "--no-audit", "--no-fund", "--prefix"])
        .arg(&staging)
        .arg(&package);
    let installed = match run_with_timeout(&mut npm, INSTALL_TIMEOUT) {
        Ok((true, _)) => Ok(()),
        Ok((false, output)) => Err(format!("`npm install {package}` failed:\n{output}")),
        Err(error) => Err(format!(
            "cannot install Prism with npm ({error}). The conformance suite needs Node.js and \
             npm on PATH (e.g. `apt-get install nodejs npm`) and access to the npm registry"
        )),
    };
    if let Err(error) = installed {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(error);
    }
    if std::fs::rename(&staging, &dir).is_err() {
        // Another run finished first; its installation is as good as ours.
        let _ = std::fs::remove_dir_all(&staging);
    }
    if executable.is_file() {
        Ok(executable)
    } else {
        Err(format!(
            "`npm install {package}` did not produce {}",
            executable.display()
        ))
    }
}

/// Runs `command`, killing it after `timeout`: whether it succeeded, and its output.
fn run_with_timeout(command: &mut Command, timeout: Duration) -> Result<(bool, String), String> {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|error| format!("cannot run {:?}: {error}", command.get_program()))?;
    let log = Log::keeping(LOG_LINES);
    if let Some(stdout) = child.stdout.take() {
        keep_lines(stdout, log.clone());
    }
    if let Some(stderr) = child.stderr.take() {
        keep_lines(stderr, log.clone());
    }
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().map_err(|error| error.to_string())? {
            break status;
        }
        if started.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!(
                "{:?} did not finish within {timeout:?}",
                command.get_program()
            ));
        }
        thread::sleep(Duration::from_millis(100));
    };
    thread::sleep(Duration::from_millis(100));
    let output = log
        .lock()
        .map(|lines| lines.iter().cloned().collect::<Vec<_>>().join("\n"))
        .unwrap_or_default();
    Ok((status.success(), output))
}

/// A Cloudflare document as Prism should read it, and what was changed.
pub struct PrismDocument {
    /// The copy to serve.
    pub path: PathBuf,
    /// How many operations had each `security` (as JSON) before it was rewritten.
    pub security: BTreeMap<String, usize>,
}

/// Cloudflare's document `name` (in `../shared/reference/`) as Prism should read it, copied
/// to `target/prism/`.
///
/// Cloudflare accepts an API token, or an email plus a key, on every operation, and every
/// official SDK reads the documents so; the documents say otherwise here and there. The
/// risk-scoring document lists `api_email`, `api_key` and `api_token` in a single requirement
/// object, which OpenAPI reads as "all three at once", so Prism rejects a request that
/// carries only a token (401); the Zero Trust one lists the token alone on some operations
/// and the email and key alone on others. The copy gives every operation the two
/// alternatives, `{api_token}` or `{api_email, api_key}`, so that what Prism checks is the
/// request's shape, not which credentials the client was built with. Nothing else is
/// changed. The caller checks [`PrismDocument::security`] against the forms it expects:
/// a document whose security reads otherwise needs a fresh look, not a silent pass.
pub fn document_for_prism(name: &str) -> Result<PrismDocument, String> {
    let original = tests::reference_document(name);
    let text = std::fs::read_to_string(&original)
        .map_err(|error| format!("{}: {error}", original.display()))?;
    let mut document: serde_json::Value =
        serde_json::from_str(&text).map_err(|error| format!("{name}: {error}"))?;
    let as_meant = serde_json::json!([{"api_token": []}, {"api_email": [], "api_key": []}]);
    let mut security = BTreeMap::new();
    let paths = document["paths"].as_object_mut().into_iter().flatten();
    for (_, item) in paths {
        let operations = item
            .as_object_mut()
            .into_iter()
            .flat_map(|item| item.iter_mut())
            .filter(|(method, _)| {
                [
                    "get", "put", "post", "delete", "options", "head", "patch", "trace",
                ]
                .contains(&method.as_str())
            });
        for (_, operation) in operations {
            let written = operation
                .get("security")
                .map_or_else(|| "(none)".to_owned(), ToString::to_string);
            *security.entry(written).or_insert(0) += 1;
            operation["security"] = as_meant.clone();
        }
    }
    let dir = tests::workspace_root().join("target/prism");
    std::fs::create_dir_all(&dir).map_err(|error| format!("{}: {error}", dir.display()))?;
    let stem = name.strip_suffix(".json").unwrap_or(name);
    let path = dir.join(format!("{stem}.prism.json"));
    // Written aside and renamed, so that a concurrent run never reads half a file.
    let staging = dir.join(format!("{stem}-{}.json", std::process::id()));
    std::fs::write(&staging, document.to_string())
        .map_err(|error| format!("{}: {error}", staging.display()))?;
    std::fs::rename(&staging, &path).map_err(|error| format!("{}: {error}", path.display()))?;
    Ok(PrismDocument { path, security })
}
