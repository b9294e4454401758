//! Out of file descriptors: half-open connections take every descriptor the process may open.
//! The server must not stop or spin: it closes the idle connections after the header time-out,
//! retries accepting, and answers `/healthz` again. Its own test binary, because it lowers the
//! process's limit of open files.

#![cfg(target_os = "linux")]

use std::time::Duration;

use defcoop_app::App as Cached;
use defcoop_store::Store;
use defcoop_web::{Application, Limits};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

fn open_files() -> u64 {
    std::fs::read_dir("/proc/self/fd").map_or(0, |d| d.count() as u64)
}

fn set_open_files_limit(soft: u64) {
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: plain system calls on a local struct.
    unsafe {
        assert_eq!(libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim), 0);
        lim.rlim_cur = soft.min(lim.rlim_max);
        assert_eq!(libc::setrlimit(libc::RLIMIT_NOFILE, &lim), 0);
    }
}

async fn healthz(addr: std::net::SocketAddr) -> Result<String, String> {
    let mut s = TcpStream::connect(addr).await.map_err(|e| e.to_string())?;
    let req = format!("GET /healthz HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    s.write_all(req.as_bytes())
        .await
        .map_err(|e| e.to_string())?;
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(3), s.read_to_end(&mut answer))
        .await
        .map_err(|_| "no answer in 3 s".to_string())?
        .map_err(|e| e.to_string())?;
    Ok(String::from_utf8_lossy(&answer).into_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn half_open_connections_that_exhaust_descriptors_do_not_stop_the_server() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(&dir.path().join("fd.db").display().to_string())
        .await
        .expect("open store");
    let cached = Cached::cached(store).await.expect("cache");
    let app = Application::build(cached, "127.0.0.1:0".parse().expect("addr"))
        .await
        .expect("bind")
        .limits(Limits {
            max_connections: 10_000,
            header_read_timeout: Duration::from_secs(1),
            ..Limits::default()
        });
    let addr = app.local_addr().expect("addr");
    let server = tokio::spawn(app.run_until(std::future::pending()));
    assert!(healthz(addr).await.expect("answers").ends_with("ok\n"));

    set_open_files_limit(open_files() + 100);
    // Connect and send nothing until the process has no descriptor left (bounded).
    let mut idle = Vec::new();
    let mut exhausted = false;
    for _ in 0..2000 {
        match TcpStream::connect(addr).await {
            Ok(s) => idle.push(s),
            Err(_) => {
                exhausted = true;
                break;
            }
        }
    }
    assert!(exhausted, "{} connections and descriptors left", idle.len());
    // The idle connections stay open on our side; the server closes its side after the header
    // time-out, which frees its descriptors, and it accepts again.
    let mut last = String::new();
    let mut answered = false;
    for _ in 0..50 {
        match healthz(addr).await {
            Ok(a) if a.starts_with("HTTP/1.1 200") && a.ends_with("ok\n") => {
                answered = true;
                break;
            }
            Ok(a) => last = a,
            Err(e) => last = e,
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(answered, "/healthz never answered again: {last}");
    assert!(!server.is_finished(), "the server goes on");
    drop(idle);
}
