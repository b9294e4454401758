//! Test fixtures shared by the NISP modules' tests: small NISP files and folders.

use super::*;
pub(super) use crate::import::Incoming;
pub(super) use crate::label::Reader;
pub(super) use crate::model::Dataset;

pub(super) const ORG: &str =
    "---\nnispid: nato\nshort: NATO\nlong: North Atlantic Treaty Organization\n---\n";

pub(super) fn standard(id: &str, date: &str) -> String {
    format!(
        "---\nelement: Standard\nnispid: {id}\nnisptag: \"STD {id}\"\norgid: nato\ndocument:\n  org: nato\n  title: \"Title of {id}\"\n  date: \"{date}\"\n  version: \"\"\napplicability: >2\n    Two lines\n\n    of text: with a colon\nstatus:\n  history:\n    - flag: added\n      date: 2021-01-15\n      version: 14.0\n---\nBody text.\n"
    )
}

pub(super) fn service(id: &str, taxonomy: &str, groups: &str) -> String {
    format!(
        "---\nelement: Serviceprofile\nnispid: {id}\ntitle: Service {id}\ndescription: >\n  Folded\n  text\ntaxonomy:\n  - {taxonomy}\nrefgroup:\n{groups}status:\n  history:\n---\n"
    )
}

pub(super) fn group(obligation: &str, lifecycle: &str, desc: &str, refs: &[&str]) -> String {
    let refs: String = refs.iter().map(|r| format!("    - refid: {r}\n")).collect();
    format!("  - obligation: {obligation}\n    lifecycle: {lifecycle}\n    standards:\n{refs}    description: {desc}\n")
}

pub(super) fn node(id: &str, parent: &str, level: u32, title: &str) -> String {
    format!("---\nelement: node\nnispid: {id}\nparent: {parent}\ntitle: {title}\ndescription:\nlevel: {level}\n---\n")
}
pub(super) fn fixture() -> Vec<(String, String)> {
    let sub = |refs: &[(&str, &str)]| -> String {
        let mut s = String::from("subprofiles:\n");
        for (r, t) in refs {
            s.push_str(&format!(
                "  - refid: {r}\n    type: {t}\n    title: {}\n",
                if t.is_empty() { "" } else { "T" }
            ));
        }
        s
    };
    vec![
        ("organization/nato.md".into(), ORG.into()),
        ("standard/a.md".into(), standard("a", "2020-01-02")),
        ("standard/b.md".into(), standard("b", "2006-06")),
        ("standard/c.md".into(), standard("c", "")),
        ("standard/d.md".into(), standard("d", "1998")),
        (
            "coverdoc/cd.md".into(),
            "---\nelement: Cover Document\nnispid: cd\nnisptag: \"STANAG 1 Ed 1\"\norgid: nato-e\ndocument:\n  org: nato-e\n  title: \"\"\n  date: \"\"\n  version: \"Ed 1\"\ncoverstandards:\n    - refid: b\n    - refid: a\n---\n".into(),
        ),
        ("node/n0.md".into(), node("n0", "", 0, "C3 Taxonomy")),
        ("node/n5.md".into(), node("n5", "n0", 5, "Core Services")),
        ("node/n6a.md".into(), node("n6a", "n5", 6, "Geospatial Services")),
        ("node/n6b.md".into(), node("n6b", "n5", 6, "Air Domain Services")),
        ("node/n7.md".into(), node("n7", "n6a", 7, "Map Rendering Services")),
        (
            "serviceprofile/s1.md".into(),
            service(
                "s1",
                "n7",
                &(group("mandatory", "current", "First.", &["a", "b"])
                    + &group("recommended", "candidate", "Again.", &["a"])),
            ),
        ),
        (
            "serviceprofile/s2.md".into(),
            service(
                "s2",
                "n6b",
                &(group("mandatory", "current", "", &["b"])
                    + &group("optional", "candidate", "Maybe.", &["c"])),
            ),
        ),
        (
            "serviceprofile/s3.md".into(),
            service("s3", "n0", &group("mandatory", "current", "x", &["c"])),
        ),
        (
            "profile/p.md".into(),
            format!("---\nnispid: p\ntitle: A profile\n{}---\n", sub(&[("s1", "serviceprofile"), ("s2", "serviceprofile"), ("cap", "capabilityprofile")])),
        ),
        (
            "capabilityprofile/cap.md".into(),
            format!("---\nnispid: cap\ntitle: FMN Spiral 9\n{}---\n", sub(&[("p", "profile"), ("gone", "")])),
        ),
    ]
}

pub(super) fn as_input(f: &[(String, String)]) -> Vec<(String, Vec<u8>)> {
    f.iter()
        .map(|(p, t)| (p.clone(), t.clone().into_bytes()))
        .collect()
}

pub(super) fn parse_fixture(f: &[(String, String)]) -> Result<Nisp, Vec<String>> {
    parse_nisp(&as_input(f)).map_err(|ps| ps.iter().map(ToString::to_string).collect())
}

pub(super) fn with(path: &str, text: &str) -> Vec<(String, String)> {
    let mut f = fixture();
    match f.iter_mut().find(|(p, _)| p == path) {
        Some(e) => e.1 = text.to_string(),
        None => f.push((path.to_string(), text.to_string())),
    }
    f
}

/// Reads every file under `dir`, paths relative to `root` with '/'.
pub(super) fn read_tree(
    root: &std::path::Path,
    dir: &std::path::Path,
    out: &mut Vec<(String, Vec<u8>)>,
) {
    let entries =
        std::fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()));
    for entry in entries {
        let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
        if path.is_dir() {
            read_tree(root, &path, out);
        } else {
            let rel = path.strip_prefix(root).unwrap_or(&path);
            let rel: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            let bytes = std::fs::read(&path)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
            out.push((rel.join("/"), bytes));
        }
    }
}
