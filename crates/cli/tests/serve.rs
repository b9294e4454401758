//! End to end: `defcoop serve`.

mod common;

use common::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::Stdio;

#[test]
fn serve_demo_answers_on_its_port() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("serve.db");
    let mut child = bin()
        .args(["serve", "--demo", "--bind", "127.0.0.1:0", "--db", s(&db)])
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("spawn serve");
    let stderr = child.stderr.take().expect("stderr");
    let mut addr = None;
    for line in BufReader::new(stderr).lines() {
        let line = line.expect("line");
        if let Some(rest) = line.strip_prefix("defcoop: serving http://") {
            addr = rest.split('/').next().map(str::to_string);
            break;
        }
    }
    let addr = addr.expect("serve printed its address");
    let get = |path: &str| {
        let mut stream = std::net::TcpStream::connect(&addr).expect("connect");
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut body = String::new();
        stream.read_to_string(&mut body).unwrap();
        body
    };
    let health = get("/healthz");
    let page = get("/");
    let _ = child.kill();
    let _ = child.wait();
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    assert!(page.contains("K9 Thunder"), "demo loaded and listed");
}
