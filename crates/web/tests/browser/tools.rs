//! What the browser tests need from the machine: Chromium, chromedriver and axe-core (found
//! through `DEFCOOP_CHROMIUM`, `DEFCOOP_CHROMEDRIVER`, `DEFCOOP_AXE_JS`, else where
//! `scripts/browser-ensure.sh` puts them), chromedriver run on a free port and always ended
//! (a guard), and one headless Chromium session per user with its own throwaway profile.

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;

pub type Res<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// Set to `1` to skip the browser tests (scripts/test never sets it).
pub const SKIP: &str = "DEFCOOP_TEST_SKIP_BROWSER";

pub struct Tools {
    pub chromium: PathBuf,
    pub chromedriver: PathBuf,
    /// axe-core's `axe.min.js`, read once.
    pub axe_js: String,
}

/// The workspace's target directory: `CARGO_TARGET_DIR`, or the directory above this test
/// binary's `debug/deps`.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::current_exe()
                .ok()
                .and_then(|exe| exe.ancestors().nth(3).map(PathBuf::from))
        })
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../target")))
}

/// Where screenshots and logs go: `TARGET/browser-artifacts`.
pub fn artifacts() -> PathBuf {
    let dir = target_dir().join("browser-artifacts");
    std::fs::create_dir_all(&dir)
        .unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    dir
}

fn path_from(var: &str, default: PathBuf) -> PathBuf {
    std::env::var_os(var)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .unwrap_or(default)
}

/// The tools, or `None` when `DEFCOOP_TEST_SKIP_BROWSER=1` says to skip. Missing tools fail
/// the test, saying how to install them: a browser test that cannot run does not pass.
pub fn tools(test: &str) -> Option<Tools> {
    if std::env::var(SKIP).is_ok_and(|v| v == "1") {
        eprintln!("{test}: skipped ({SKIP}=1)");
        return None;
    }
    let chromium = path_from("DEFCOOP_CHROMIUM", PathBuf::from("/usr/bin/chromium"));
    let chromedriver = path_from(
        "DEFCOOP_CHROMEDRIVER",
        PathBuf::from("/usr/bin/chromedriver"),
    );
    let axe = path_from(
        "DEFCOOP_AXE_JS",
        target_dir().join("browser-node/node_modules/axe-core/axe.min.js"),
    );
    let mut missing = Vec::new();
    for (what, var, path) in [
        ("Chromium", "DEFCOOP_CHROMIUM", &chromium),
        ("chromedriver", "DEFCOOP_CHROMEDRIVER", &chromedriver),
        ("axe-core", "DEFCOOP_AXE_JS", &axe),
    ] {
        if !path.is_file() {
            missing.push(format!("{what} (${var} or {})", path.display()));
        }
    }
    if !missing.is_empty() {
        panic!(
            "{test}: the browser tests need {}, which are missing. Run scripts/browser-ensure.sh \
             (it installs Debian's chromium and chromium-driver with apt-get and axe-core from \
             npm into TARGET/browser-node; `eval \"$(scripts/browser-ensure.sh)\"` also exports \
             the variables), or set {SKIP}=1 to skip these tests",
            missing.join(", ")
        );
    }
    let axe_js = std::fs::read_to_string(&axe)
        .unwrap_or_else(|e| panic!("{test}: cannot read axe-core at {}: {e}", axe.display()));
    Some(Tools {
        chromium,
        chromedriver,
        axe_js,
    })
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// A running chromedriver, in a process group of its own: dropping the guard kills the group
/// (chromedriver and any browser it started), also when a test fails, and then deletes the
/// browsers' profiles.
pub struct Driver {
    child: Child,
    pub url: String,
    /// The sessions' profiles (`0`, `1`, ...), deleted after the browsers are dead.
    profiles: tempfile::TempDir,
    sessions: std::sync::atomic::AtomicUsize,
}

impl Driver {
    /// Starts chromedriver on a free port, logging to `TARGET/browser-artifacts/NAME.log`, and
    /// waits until it answers.
    pub async fn start(tools: &Tools, name: &str) -> Driver {
        let port = free_port();
        let log = artifacts().join(format!("{name}-chromedriver.log"));
        let mut child = Command::new(&tools.chromedriver);
        child
            .arg(format!("--port={port}"))
            .arg(format!("--log-path={}", log.display()))
            .arg("--log-level=WARNING")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0);
        let child = child.spawn().unwrap_or_else(|e| {
            panic!(
                "cannot start {}: {e} (run scripts/browser-ensure.sh)",
                tools.chromedriver.display()
            )
        });
        let mut driver = Driver {
            child,
            url: format!("http://127.0.0.1:{port}"),
            profiles: tempfile::tempdir().expect("a temporary directory for browser profiles"),
            sessions: Default::default(),
        };
        let client = reqwest::Client::new();
        // Readiness, not timing: chromedriver takes a moment to listen.
        for _ in 0..300 {
            if let Ok(Some(status)) = driver.child.try_wait() {
                panic!(
                    "chromedriver exited at start ({status}); see {}",
                    log.display()
                );
            }
            let ready = client
                .get(format!("{}/status", driver.url))
                .send()
                .await
                .is_ok_and(|r| r.status().is_success());
            if ready {
                return driver;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!(
            "chromedriver does not answer on port {port} after 30 s; see {}",
            log.display()
        );
    }

    /// A new headless Chromium session (its own profile in a temporary directory).
    pub async fn session(&self, tools: &Tools) -> Res<Session> {
        let n = self
            .sessions
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let profile = self.profiles.path().join(n.to_string());
        std::fs::create_dir_all(&profile)?;
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({
                "binary": tools.chromium,
                "args": [
                    "--headless=new",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--window-size=1280,900",
                    "--disable-dev-shm-usage",
                    "--no-first-run",
                    "--disable-extensions",
                    "--lang=en-US",
                    format!("--user-data-dir={}", profile.display()),
                ],
                "prefs": {
                    "download.default_directory": profile.join("downloads"),
                    "download.prompt_for_download": false,
                    "intl.accept_languages": "en-US,en",
                },
            }),
        );
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(caps)
            .connect(&self.url)
            .await?;
        client
            .update_timeouts(fantoccini::wd::TimeoutConfiguration::new(
                Some(Duration::from_secs(60)),
                Some(Duration::from_secs(60)),
                Some(Duration::ZERO),
            ))
            .await?;
        Ok(Session { client })
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        if let Ok(pid) = i32::try_from(self.child.id()) {
            // The group chromedriver leads (process_group(0)): it and the browsers it started.
            // SAFETY: kill(2) with a negative pid signals that process group only.
            unsafe {
                libc::kill(-pid, libc::SIGKILL);
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One browser session; `close` ends the browser (the driver's guard ends it otherwise).
pub struct Session {
    pub client: Client,
}

impl Session {
    pub async fn close(self) {
        if let Err(e) = self.client.close().await {
            eprintln!("closing a browser session: {e}");
        }
    }
}

/// Saves a PNG of the page as `dir/file`.
pub async fn screenshot(client: &Client, dir: &Path, file: &str) -> Res<PathBuf> {
    let png = client.screenshot().await?;
    let path = dir.join(file);
    std::fs::write(&path, png)?;
    Ok(path)
}
