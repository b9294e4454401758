//! The OpenAPI document: the committed copy (`docs/openapi.json`) is the generated one, the
//! server serves it, and the router and the document name the same routes and methods.

use std::path::PathBuf;

fn committed() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/openapi.json")
}

#[test]
fn committed_document_is_the_generated_one() {
    let generated = defcoop_web::openapi_json();
    let path = committed();
    if std::env::var_os("DEFCOOP_BLESS").is_some_and(|v| v == "1") {
        std::fs::write(&path, &generated).expect("write docs/openapi.json");
        return;
    }
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        on_disk == generated,
        "docs/openapi.json is not the API's description: regenerate it with \
         `DEFCOOP_BLESS=1 cargo test -p defcoop-web --test openapi` and commit it"
    );
}
