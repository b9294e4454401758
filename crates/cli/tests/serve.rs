//! End to end: `defcoop serve --demo`, signing in as a demo persona with the password it
//! printed.

mod common;

use common::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::Stdio;

/// One HTTP/1.1 request over a fresh connection; the whole answer as text.
fn http(addr: &str, request: &str) -> String {
    let mut stream = std::net::TcpStream::connect(addr).expect("connect");
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer
}

fn get(addr: &str, path: &str, cookie: &str) -> String {
    http(
        addr,
        &format!(
            "GET {path} HTTP/1.1\r\nHost: {addr}\r\nCookie: {cookie}\r\nConnection: close\r\n\r\n"
        ),
    )
}

/// The value `Set-Cookie` gives `name` in an answer.
fn set_cookie(answer: &str, name: &str) -> String {
    let mark = format!("set-cookie: {name}=");
    let lower = answer.to_ascii_lowercase();
    let at = lower
        .find(&mark)
        .unwrap_or_else(|| panic!("no {name} cookie in {answer}"))
        + mark.len();
    answer[at..].split(';').next().unwrap().to_string()
}

#[test]
fn serve_demo_prints_personas_who_can_sign_in() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("serve.db");
    let mut child = bin()
        .args(["serve", "--demo", "--bind", "127.0.0.1:0", "--db", s(&db)])
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("spawn serve");
    let stderr = child.stderr.take().expect("stderr");
    let mut lines = BufReader::new(stderr).lines();
    let mut addr = None;
    let mut password = None;
    for line in lines.by_ref() {
        let line = line.expect("line");
        if let Some(rest) = line.strip_prefix("defcoop: serving http://") {
            addr = rest.split('/').next().map(str::to_string);
        }
        if let Some(rest) = line.trim_start().strip_prefix("dapa-officer") {
            password = rest.split_whitespace().next().map(str::to_string);
        }
        if line.trim_start().starts_with("admin ") {
            break;
        }
    }
    // Keep reading what the server says, so it never writes into a closed pipe.
    std::thread::spawn(move || for _ in lines {});
    let addr = addr.expect("serve printed its address");
    let password = password.expect("serve printed the DAPA officer's password");

    let health = get(&addr, "/healthz", "");
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    let anonymous = get(&addr, "/", "");
    assert!(anonymous.starts_with("HTTP/1.1 303"), "{anonymous}");
    assert!(anonymous.contains("/signin?next=%2F"), "{anonymous}");

    let form = get(&addr, "/signin", "");
    let form_cookie = set_cookie(&form, "defcoop_form");
    let csrf = form
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .expect("csrf field")
        .to_string();
    let body = format!("name=dapa-officer&password={password}&csrf={csrf}&next=%2F");
    let signed = http(
        &addr,
        &format!(
            "POST /signin HTTP/1.1\r\nHost: {addr}\r\nOrigin: http://{addr}\r\n\
             Cookie: defcoop_form={form_cookie}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ),
    );
    assert!(signed.starts_with("HTTP/1.1 303"), "{signed}");
    let session = set_cookie(&signed, "defcoop_session");
    let page = get(&addr, "/", &format!("defcoop_session={session}"));
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        page.contains("K9 Thunder"),
        "demo loaded and listed: {page}"
    );
    assert!(page.contains("<b>dapa-officer</b>"), "signed in");
}
