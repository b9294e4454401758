//! From the folder's files to registry records: each file's front matter read into raw
//! elements, references resolved, duplicates merged, domains derived from the C3 taxonomy.

use super::*;

/// Reads the NISP folder. `files` are `(path relative to the folder with '/', bytes)`.
/// Every problem found is returned; nothing is returned when there is one.
pub fn parse_nisp(files: &[(String, Vec<u8>)]) -> Result<Nisp, Vec<Problem>> {
    let mut summary = NispSummary {
        files: files.len(),
        ..NispSummary::default()
    };
    let mut problems = Vec::new();
    let mut order: Vec<usize> = (0..files.len()).collect();
    order.sort_by(|a, b| files[*a].0.cmp(&files[*b].0));

    let mut standards: Vec<RawStandard> = Vec::new();
    let mut profiles: Vec<RawProfile> = Vec::new();
    let mut orgs: HashMap<String, String> = HashMap::new();
    let mut nodes: BTreeMap<String, RawNode> = BTreeMap::new();
    let mut unreadable: HashSet<String> = HashSet::new();

    for i in order {
        let (path, bytes) = &files[i];
        if path == "_index.md" {
            summary.index_files += 1;
            continue;
        }
        let Some((dir, name)) = path.split_once('/') else {
            summary.other_files += 1;
            continue;
        };
        let folder = folder_of(dir);
        if name.contains('/') || !name.ends_with(".md") {
            summary.other_files += 1;
            continue;
        }
        if name == "_index.md" {
            summary.index_files += 1;
            continue;
        }
        let Some(folder) = folder else {
            if UNUSED_FOLDERS.contains(&dir) {
                summary.unused_files += 1;
            } else {
                summary.other_files += 1;
            }
            continue;
        };
        // A file that cannot be read is named after its element (as every file of the NISP
        // export is): references to it are not reported as unknown too.
        let stem = to_id(name.trim_end_matches(".md"));
        let text = match utf8(bytes) {
            Ok(t) => t,
            Err(p) => {
                problems.push(Problem::new(format!("{path}: {}", p.location), p.message));
                unreadable.insert(stem);
                continue;
            }
        };
        let Some(root) = front_matter(path, text, &mut problems) else {
            unreadable.insert(stem);
            continue;
        };
        let mut f = File {
            path,
            problems: &mut problems,
        };
        let Some((nispid, line)) = f.text(&root, "nispid") else {
            f.problem(1, "missing nispid");
            unreadable.insert(stem);
            continue;
        };
        match folder {
            Folder::Standard | Folder::Coverdoc => {
                standards.push(f.standard(&root, nispid, line, folder == Folder::Coverdoc))
            }
            Folder::Capability | Folder::Profile | Folder::Service => {
                let kind = match folder {
                    Folder::Capability => ProfileKind::Capability,
                    Folder::Profile => ProfileKind::Profile,
                    _ => ProfileKind::Service,
                };
                profiles.push(f.profile(&root, nispid, line, kind));
            }
            Folder::Organization => {
                summary.organizations += 1;
                if let Some((short, _)) = f.text(&root, "short") {
                    orgs.insert(nispid, short);
                }
            }
            Folder::Node => {
                summary.taxonomy_nodes += 1;
                if let Some(node) = f.node(&root) {
                    nodes.insert(nispid, node);
                }
            }
        }
    }

    // Ids: the registry's rule, rewrites listed, one record per id.
    let mut rewritten = BTreeSet::new();
    for (nispid, id, path, line) in standards
        .iter()
        .map(|s| (&s.nispid, &s.id, &s.path, s.line))
        .chain(profiles.iter().map(|p| (&p.nispid, &p.id, &p.path, p.line)))
    {
        if nispid != id {
            rewritten.insert((nispid.clone(), id.clone()));
        }
        if let Err(e) = import::id(id) {
            problems.push(Problem::new(
                format!("{path}:{line}"),
                format!("nispid: {e}"),
            ));
        }
    }
    summary.ids_rewritten = rewritten.into_iter().collect();
    duplicates(
        standards.iter().map(|s| (&s.id, &s.path, s.line)),
        &mut problems,
    );
    duplicates(
        profiles.iter().map(|p| (&p.id, &p.path, p.line)),
        &mut problems,
    );

    // Deleted elements.
    let deleted_std: HashSet<String> = standards
        .iter()
        .filter(|s| s.deleted)
        .map(|s| s.id.clone())
        .collect();
    let deleted_prof: HashSet<String> = profiles
        .iter()
        .filter(|p| p.deleted)
        .map(|p| p.id.clone())
        .collect();
    summary.deleted_skipped = deleted_std.len() + deleted_prof.len();
    standards.retain(|s| !s.deleted);
    profiles.retain(|p| !p.deleted);
    let std_ids: HashSet<&str> = standards.iter().map(|s| s.id.as_str()).collect();
    let prof_ids: HashSet<&str> = profiles.iter().map(|p| p.id.as_str()).collect();

    // Profiles: resolve references, merge duplicates.
    let mut out_profiles = Vec::with_capacity(profiles.len());
    for p in &profiles {
        let at = |line: usize| format!("{}:{line}", p.path);
        let mut subprofiles: Vec<String> = Vec::new();
        for r in &p.subprofiles {
            if prof_ids.contains(r.id.as_str()) {
                if !subprofiles.contains(&r.id) {
                    subprofiles.push(r.id.clone());
                }
            } else if deleted_prof.contains(&r.id) {
                summary.deleted_refs_dropped += 1;
            } else if unreadable.contains(&r.id) {
                // Reported where it could not be read.
            } else if r.typed {
                problems.push(Problem::new(
                    at(r.line),
                    format!("unknown subprofile \"{}\"", r.id),
                ));
            } else {
                summary.skipped_refs.push(Problem::new(
                    at(r.line),
                    format!(
                        "subprofile \"{}\" skipped: not in the database (the export left its type empty)",
                        r.id
                    ),
                ));
            }
        }
        let mut obligations: Vec<Obligation> = Vec::new();
        for g in &p.groups {
            for r in &g.standards {
                if !std_ids.contains(r.id.as_str()) {
                    if deleted_std.contains(&r.id) {
                        summary.deleted_refs_dropped += 1;
                    } else if !unreadable.contains(&r.id) {
                        summary.skipped_refs.push(Problem::new(
                            at(r.line),
                            format!("standard \"{}\" skipped: not in the database", r.id),
                        ));
                    }
                    continue;
                }
                let new = Obligation {
                    standard: r.id.clone(),
                    obligation: g.obligation,
                    lifecycle: g.lifecycle,
                    description: g.description.clone(),
                };
                match obligations.iter_mut().find(|o| o.standard == r.id) {
                    None => obligations.push(new),
                    Some(old) => {
                        summary.duplicate_obligations_merged += 1;
                        merge(old, new);
                    }
                }
            }
        }
        for o in &obligations {
            *summary.obligations.entry(o.obligation).or_default() += 1;
        }
        *summary.profiles.entry(p.kind).or_default() += 1;
        out_profiles.push(Profile {
            id: p.id.clone(),
            kind: p.kind,
            title: p.title.clone().unwrap_or_else(|| p.id.clone()),
            description: p.description.clone(),
            subprofiles,
            obligations,
            label: None,
            sources: vec![source()],
            illustrative: false,
        });
    }

    // Cover documents: what they cover.
    let mut covers: HashMap<String, Vec<String>> = HashMap::new();
    for s in standards.iter().filter(|s| s.cover) {
        let mut list = BTreeSet::new();
        for r in &s.covers {
            if std_ids.contains(r.id.as_str()) && r.id != s.id {
                list.insert(r.id.clone());
            } else if deleted_std.contains(&r.id) {
                summary.deleted_refs_dropped += 1;
            } else if !unreadable.contains(&r.id) {
                problems.push(Problem::new(
                    format!("{}:{}", s.path, r.line),
                    format!("cover document covers unknown standard \"{}\"", r.id),
                ));
            }
        }
        covers.insert(s.id.clone(), list.into_iter().collect());
    }

    // Domains.
    let codes = node_codes(&nodes);
    let mut votes: HashMap<&str, HashMap<&str, usize>> = HashMap::new();
    for (p, out) in profiles.iter().zip(&out_profiles) {
        let mut areas = BTreeSet::new();
        for t in &p.taxonomy {
            match nodes.get(&t.id) {
                None => summary.skipped_refs.push(Problem::new(
                    format!("{}:{}", p.path, t.line),
                    format!("taxonomy node \"{}\" skipped: not in node/", t.id),
                )),
                Some(n) if n.level < MIN_AREA_LEVEL => {}
                Some(_) => {
                    if let Some(a) = area(&nodes, &t.id) {
                        areas.insert(a);
                    }
                }
            }
        }
        for o in &out.obligations {
            let v = votes.entry(o.standard.as_str()).or_default();
            for a in &areas {
                *v.entry(codes[*a].as_str()).or_default() += 1;
            }
        }
    }
    for (id, n) in &nodes {
        if let Some(parent) = &n.parent {
            if !nodes.contains_key(&parent.id) {
                summary.skipped_refs.push(Problem::new(
                    format!("{}:{}", n.path, parent.line),
                    format!(
                        "parent \"{}\" of node \"{id}\" not in node/; taken as a root",
                        parent.id
                    ),
                ));
            }
        }
    }
    let mut domain_of: HashMap<&str, String> = HashMap::new();
    for s in standards.iter().filter(|s| !s.cover) {
        domain_of.insert(&s.id, winner(votes.get(s.id.as_str())));
    }
    for s in standards.iter().filter(|s| s.cover) {
        let mut v: HashMap<&str, usize> = HashMap::new();
        for c in covers.get(&s.id).into_iter().flatten() {
            if let Some(d) = domain_of.get(c.as_str()) {
                if d != UNASSIGNED {
                    *v.entry(d.as_str()).or_default() += 1;
                }
            }
        }
        let d = if v.is_empty() {
            winner(votes.get(s.id.as_str()))
        } else {
            winner(Some(&v))
        };
        domain_of.insert(&s.id, d);
    }
    let names: HashMap<&str, &str> = codes
        .iter()
        .map(|(id, code)| (code.as_str(), nodes[*id].title.as_str()))
        .collect();
    let mut per_domain: BTreeMap<String, usize> = BTreeMap::new();
    for d in domain_of.values() {
        *per_domain.entry(d.clone()).or_default() += 1;
    }
    let domains: Vec<Domain> = per_domain
        .keys()
        .map(|code| Domain {
            code: code.clone(),
            name: if code == UNASSIGNED {
                UNASSIGNED_NAME.to_string()
            } else {
                names
                    .get(code.as_str())
                    .copied()
                    .unwrap_or(code)
                    .to_string()
            },
            label: None,
            sources: vec![source()],
            illustrative: false,
        })
        .collect();
    let mut per: Vec<(String, usize)> = per_domain.into_iter().collect();
    per.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    summary.standards_per_domain = per;

    // Standards.
    let mut out_standards = Vec::with_capacity(standards.len());
    for s in &standards {
        if s.cover {
            summary.cover_documents += 1;
        } else {
            summary.standards += 1;
        }
        let body = match &s.orgid {
            Some(o) => orgs.get(o).cloned().unwrap_or_else(|| o.to_uppercase()),
            None => {
                problems.push(Problem::new(
                    format!("{}:{}", s.path, s.line),
                    "missing orgid (the issuing organization)",
                ));
                continue;
            }
        };
        let date = match s.date.as_deref() {
            None => {
                summary.dates_empty += 1;
                None
            }
            Some(d) if import::date_or_year(d).is_ok() => Some(d.to_string()),
            Some(_) => {
                summary.dates_rejected += 1;
                None
            }
        };
        out_standards.push(Standard {
            aliases: vec![],
            id: s.id.clone(),
            title: s
                .title
                .clone()
                .or_else(|| s.tag.clone())
                .unwrap_or_else(|| s.id.clone()),
            body,
            domain: domain_of
                .get(s.id.as_str())
                .cloned()
                .unwrap_or_else(|| UNASSIGNED.to_string()),
            tag: s.tag.clone(),
            date,
            version: s.version.clone(),
            covers: covers.remove(&s.id).unwrap_or_default(),
            label: None,
            sources: vec![source()],
            illustrative: false,
        });
    }

    if !problems.is_empty() {
        return Err(problems);
    }
    out_standards.sort_by(|a, b| a.id.cmp(&b.id));
    out_profiles.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(Nisp {
        domains,
        standards: out_standards,
        profiles: out_profiles,
        summary,
    })
}

pub(super) fn source() -> Source {
    Source {
        title: SOURCE_TITLE.to_string(),
        url: None,
    }
}

/// Keeps the stronger of two obligations for one standard in one profile (see the module docs).
pub(super) fn merge(old: &mut Obligation, new: Obligation) {
    let rank = |l: Option<Lifecycle>| match l {
        Some(Lifecycle::Current) => 0,
        Some(Lifecycle::Candidate) => 1,
        None => 2,
    };
    let old_key = (old.obligation, rank(old.lifecycle));
    let new_key = (new.obligation, rank(new.lifecycle));
    if new_key < old_key {
        *old = Obligation {
            standard: std::mem::take(&mut old.standard),
            ..new
        };
    } else if new_key == old_key {
        match (&mut old.description, new.description) {
            (Some(a), Some(b)) if !a.split('\n').any(|l| l == b) => {
                a.push('\n');
                a.push_str(&b);
            }
            (a @ None, b) => *a = b,
            _ => {}
        }
    }
}

/// Reports every id used by more than one record, naming the first.
pub(super) fn duplicates<'a>(
    records: impl Iterator<Item = (&'a String, &'a String, usize)>,
    problems: &mut Vec<Problem>,
) {
    let mut first: HashMap<&str, (&str, usize)> = HashMap::new();
    for (id, path, line) in records {
        if let Some((p, l)) = first.get(id.as_str()) {
            problems.push(Problem::new(
                format!("{path}:{line}"),
                format!("nispid \"{id}\" is also used by {p}:{l}"),
            ));
        } else {
            first.insert(id, (path, line));
        }
    }
}

/// The node a taxonomy node stands for as a domain: its ancestor at [`DOMAIN_LEVEL`], or
/// itself when not deeper (or when its parent chain breaks).
pub(super) fn area<'n>(nodes: &'n BTreeMap<String, RawNode>, id: &str) -> Option<&'n str> {
    let (mut id, mut node) = nodes.get_key_value(id)?;
    for _ in 0..nodes.len() {
        if node.level <= DOMAIN_LEVEL {
            break;
        }
        match node
            .parent
            .as_ref()
            .and_then(|p| nodes.get_key_value(&p.id))
        {
            Some((pid, parent)) => (id, node) = (pid, parent),
            None => break,
        }
    }
    Some(id)
}

/// A unique kebab code for every node, from its title.
pub(super) fn node_codes(nodes: &BTreeMap<String, RawNode>) -> HashMap<&str, String> {
    let mut bases: Vec<(String, &str)> = nodes
        .iter()
        .map(|(id, n)| {
            let mut base = kebab_of(&n.title);
            if base.is_empty() {
                base = kebab_of(id);
            }
            (base, id.as_str())
        })
        .collect();
    bases.sort();
    let mut used: HashSet<String> = HashSet::from([UNASSIGNED.to_string()]);
    let mut codes = HashMap::with_capacity(bases.len());
    for (base, id) in bases {
        let mut code = base.clone();
        let mut n = 1;
        while used.contains(&code) {
            n += 1;
            let suffix = format!("-{n}");
            code = format!("{}{suffix}", cut(&base, 64 - suffix.len()));
        }
        used.insert(code.clone());
        codes.insert(id, code);
    }
    codes
}

/// Lower-case ASCII letters and digits, other runs as one '-', at most 64 characters.
pub(super) fn kebab_of(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    cut(&out, 64).to_string()
}

/// At most `n` bytes of an ASCII kebab code, without a trailing '-'.
pub(super) fn cut(s: &str, n: usize) -> &str {
    s.get(..n.min(s.len())).unwrap_or(s).trim_end_matches('-')
}

/// The most voted domain code, ties to the smallest; [`UNASSIGNED`] without votes.
pub(super) fn winner(votes: Option<&HashMap<&str, usize>>) -> String {
    votes
        .into_iter()
        .flatten()
        .min_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)))
        .map_or_else(|| UNASSIGNED.to_string(), |(code, _)| code.to_string())
}

/// A registry id from a nispid: characters outside `[A-Za-z0-9._-]` become '-'.
pub(super) fn to_id(nispid: &str) -> String {
    nispid
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '-'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use super::*;

    #[test]
    fn reads_a_small_folder() {
        let n = parse_fixture(&fixture()).unwrap_or_else(|ps| panic!("{ps:#?}"));
        let ids: Vec<&str> = n.standards.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "c", "cd", "d"]);
        let a = &n.standards[0];
        assert_eq!(
            (
                a.title.as_str(),
                a.body.as_str(),
                a.tag.as_deref(),
                a.date.as_deref(),
                a.version.as_deref()
            ),
            (
                "Title of a",
                "NATO",
                Some("STD a"),
                Some("2020-01-02"),
                None
            )
        );
        assert_eq!(a.sources, vec![source()]);
        // A year-month date and a year are kept; an empty one gives no date.
        assert_eq!(n.standards[1].date.as_deref(), Some("2006-06"));
        assert_eq!(n.standards[2].date, None);
        assert_eq!(n.standards[4].date.as_deref(), Some("1998"));
        assert_eq!((n.summary.dates_empty, n.summary.dates_rejected), (2, 0));
        // The cover document: blank title -> tag; unknown organization -> upper-cased orgid.
        let cd = &n.standards[3];
        assert_eq!(cd.title, "STANAG 1 Ed 1");
        assert_eq!(cd.body, "NATO-E");
        assert_eq!(cd.version.as_deref(), Some("Ed 1"));
        assert_eq!(cd.covers, ["a", "b"]);

        // Domains: a via n7 -> n6a; b ties n6a/n6b -> smallest code; c only via s2 (s3 is
        // tagged with the root, which does not vote); d in no profile; cd ties -> air.
        let dom: Vec<(&str, &str)> = n
            .standards
            .iter()
            .map(|s| (s.id.as_str(), s.domain.as_str()))
            .collect();
        assert_eq!(
            dom,
            [
                ("a", "geospatial-services"),
                ("b", "air-domain-services"),
                ("c", "air-domain-services"),
                ("cd", "air-domain-services"),
                ("d", UNASSIGNED),
            ]
        );
        let domains: Vec<(&str, &str)> = n
            .domains
            .iter()
            .map(|d| (d.code.as_str(), d.name.as_str()))
            .collect();
        assert_eq!(
            domains,
            [
                ("air-domain-services", "Air Domain Services"),
                ("geospatial-services", "Geospatial Services"),
                (UNASSIGNED, UNASSIGNED_NAME),
            ]
        );
        assert_eq!(
            n.summary.standards_per_domain,
            [
                ("air-domain-services".to_string(), 3),
                ("geospatial-services".to_string(), 1),
                (UNASSIGNED.to_string(), 1)
            ]
        );

        // Profiles.
        let ids: Vec<&str> = n.profiles.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, ["cap", "p", "s1", "s2", "s3"]);
        let s1 = &n.profiles[2];
        assert_eq!(s1.kind, ProfileKind::Service);
        assert_eq!(s1.description.as_deref(), Some("Folded text"));
        assert_eq!(
            s1.obligations,
            vec![
                Obligation {
                    standard: "a".into(),
                    obligation: ObligationLevel::Mandatory,
                    lifecycle: Some(Lifecycle::Current),
                    description: Some("First.".into()),
                },
                Obligation {
                    standard: "b".into(),
                    obligation: ObligationLevel::Mandatory,
                    lifecycle: Some(Lifecycle::Current),
                    description: Some("First.".into()),
                },
            ]
        );
        assert_eq!(n.profiles[3].obligations[0].description, None);
        assert_eq!(n.profiles[1].subprofiles, ["s1", "s2", "cap"]);
        assert_eq!(n.profiles[0].kind, ProfileKind::Capability);
        assert_eq!(n.profiles[0].subprofiles, ["p"]);
        let s = &n.summary;
        assert_eq!((s.standards, s.cover_documents), (4, 1));
        assert_eq!(
            s.profiles,
            BTreeMap::from([
                (ProfileKind::Capability, 1),
                (ProfileKind::Profile, 1),
                (ProfileKind::Service, 3)
            ])
        );
        assert_eq!(
            s.obligations,
            BTreeMap::from([
                (ObligationLevel::Mandatory, 4),
                (ObligationLevel::Optional, 1)
            ])
        );
        assert_eq!(s.duplicate_obligations_merged, 1);
        assert_eq!((s.organizations, s.taxonomy_nodes), (1, 5));
        let skipped: Vec<String> = s.skipped_refs.iter().map(ToString::to_string).collect();
        assert_eq!(
            skipped,
            ["capabilityprofile/cap.md:8: subprofile \"gone\" skipped: not in the database (the export left its type empty)"]
        );

        // Mandatory standards through subprofiles, cycle cap -> p -> cap included.
        assert_eq!(
            mandatory_standards(&n.profiles, "cap"),
            Some(vec!["a".to_string(), "b".to_string()])
        );
        assert_eq!(
            mandatory_standards(&n.profiles, "s3"),
            Some(vec!["c".to_string()])
        );
        assert_eq!(mandatory_standards(&n.profiles, "nope"), None);
    }

    #[test]
    fn duplicates_keep_the_strongest_and_join_descriptions() {
        let groups = group("recommended", "current", "Weak.", &["a"])
            + &group("mandatory", "candidate", "Strong.", &["a", "b"])
            + &group("mandatory", "current", "Stronger.", &["a"])
            + &group("mandatory", "current", "Also.", &["a"])
            + &group("mandatory", "current", "Stronger.", &["a"]);
        let n = parse_fixture(&with("serviceprofile/s1.md", &service("s1", "n7", &groups)))
            .unwrap_or_else(|ps| panic!("{ps:#?}"));
        let s1 = &n.profiles[2];
        assert_eq!(s1.obligations.len(), 2);
        assert_eq!(s1.obligations[0].standard, "a");
        assert_eq!(s1.obligations[0].obligation, ObligationLevel::Mandatory);
        assert_eq!(s1.obligations[0].lifecycle, Some(Lifecycle::Current));
        assert_eq!(
            s1.obligations[0].description.as_deref(),
            Some("Stronger.\nAlso.")
        );
        assert_eq!(n.summary.duplicate_obligations_merged, 4);
    }

    #[test]
    fn ignored_files_are_counted() {
        let mut f = fixture();
        for p in [
            "README.md",
            "_index.md",
            "standard/_index.md",
            "responsibleparty/acp.md",
            "profilespec/x.md",
            "standard/sub/x.md",
            "standard/notes.txt",
            "other/x.md",
        ] {
            f.push((p.into(), "not front matter".into()));
        }
        let n = parse_fixture(&f).unwrap_or_else(|ps| panic!("{ps:#?}"));
        let s = &n.summary;
        assert_eq!(s.files, fixture().len() + 8);
        assert_eq!((s.index_files, s.unused_files, s.other_files), (2, 2, 4));
    }

    #[test]
    fn missing_nispid_and_bad_ids() {
        let ps =
            parse_fixture(&with("standard/a.md", "---\ntitle: x\nnispid:\n---\n")).unwrap_err();
        // References to the unreadable file (named a.md) are not reported as unknown too.
        assert_eq!(ps, ["standard/a.md:1: missing nispid"]);
        let ps = parse_fixture(&with("standard/x.md", &standard("a", ""))).unwrap_err();
        assert_eq!(
            ps,
            ["standard/x.md:3: nispid \"a\" is also used by standard/a.md:3"]
        );
        let ps = parse_fixture(&with("standard/x.md", &standard("/x", ""))).unwrap_err();
        assert_eq!(ps.len(), 1);
        assert!(
            ps[0].starts_with("standard/x.md:3: nispid: \"-x\" is not a valid id"),
            "{ps:?}"
        );
    }

    #[test]
    fn ids_the_registry_refuses_are_rewritten() {
        let mut f = with("standard/x.md", &standard("iso:2020", ""));
        f = f
            .into_iter()
            .map(|(p, t)| {
                let t = if p == "serviceprofile/s2.md" {
                    t.replace("refid: c", "refid: iso:2020")
                } else {
                    t
                };
                (p, t)
            })
            .collect();
        let n = parse_fixture(&f).unwrap_or_else(|ps| panic!("{ps:#?}"));
        assert!(n.standards.iter().any(|s| s.id == "iso-2020"));
        assert_eq!(n.profiles[3].obligations[1].standard, "iso-2020");
        assert_eq!(
            n.summary.ids_rewritten,
            [("iso:2020".to_string(), "iso-2020".to_string())]
        );
    }

    #[test]
    fn unknown_obligation_and_lifecycle_are_located() {
        let groups =
            group("must", "current", "", &["a"]) + &group("mandatory", "retired", "", &["a"]);
        let ps = parse_fixture(&with("serviceprofile/s1.md", &service("s1", "n7", &groups)))
            .unwrap_err();
        assert_eq!(
            ps,
            [
                "serviceprofile/s1.md:11: unknown obligation \"must\" (expected mandatory, conditional, recommended, optional or none)",
                "serviceprofile/s1.md:17: unknown lifecycle \"retired\" (expected current or candidate)",
            ]
        );
        let ps = parse_fixture(&with(
            "serviceprofile/s1.md",
            "---\nnispid: s1\nrefgroup:\n  - lifecycle: current\n---\n",
        ))
        .unwrap_err();
        assert_eq!(
            ps,
            ["serviceprofile/s1.md:4: refgroup without an obligation"]
        );
    }

    #[test]
    fn dangling_references() {
        // A typed subprofile that does not resolve is a problem.
        let text = "---\nnispid: p\ntitle: P\nsubprofiles:\n  - refid: s1\n    type: serviceprofile\n  - refid: s9\n    type: serviceprofile\n    title: Nine\n---\n";
        let ps = parse_fixture(&with("profile/p.md", text)).unwrap_err();
        assert_eq!(ps, ["profile/p.md:7: unknown subprofile \"s9\""]);
        // A cover document covering an unknown standard is a problem.
        let text = "---\nnispid: cd\norgid: nato\ndocument:\n  title: T\ncoverstandards:\n  - refid: zz\n---\n";
        let ps = parse_fixture(&with("coverdoc/cd.md", text)).unwrap_err();
        assert_eq!(
            ps,
            ["coverdoc/cd.md:7: cover document covers unknown standard \"zz\""]
        );
        // A refgroup standard that is not in the database, and an unknown taxonomy node, are
        // skipped and listed.
        let n = parse_fixture(&with(
            "serviceprofile/s3.md",
            &service(
                "s3",
                "n99",
                &group("mandatory", "current", "", &["c", "zz"]),
            ),
        ))
        .unwrap_or_else(|ps| panic!("{ps:#?}"));
        let skipped: Vec<String> = n
            .summary
            .skipped_refs
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            skipped,
            [
                "capabilityprofile/cap.md:8: subprofile \"gone\" skipped: not in the database (the export left its type empty)",
                "serviceprofile/s3.md:15: standard \"zz\" skipped: not in the database",
                "serviceprofile/s3.md:9: taxonomy node \"n99\" skipped: not in node/",
            ]
        );
        assert_eq!(n.profiles[4].obligations.len(), 1);
    }

    #[test]
    fn deleted_elements_are_skipped_and_references_dropped() {
        let deleted = standard("b", "").replace(
            "      version: 14.0\n",
            "      version: 14.0\n    - flag: deleted\n      date: 2022-01-01\n",
        );
        let n =
            parse_fixture(&with("standard/b.md", &deleted)).unwrap_or_else(|ps| panic!("{ps:#?}"));
        assert!(n.standards.iter().all(|s| s.id != "b"));
        assert_eq!(n.summary.deleted_skipped, 1);
        // s1 and s2 list b; cd covers it.
        assert_eq!(n.summary.deleted_refs_dropped, 3);
        assert_eq!(
            n.standards
                .iter()
                .find(|s| s.id == "cd")
                .map(|s| s.covers.clone()),
            Some(vec!["a".to_string()])
        );
        // Deleted, then changed again: live.
        let revived = deleted.replace(
            "    - flag: deleted\n      date: 2022-01-01\n",
            "    - flag: deleted\n      date: 2022-01-01\n    - flag: changed\n",
        );
        let n =
            parse_fixture(&with("standard/b.md", &revived)).unwrap_or_else(|ps| panic!("{ps:#?}"));
        assert!(n.standards.iter().any(|s| s.id == "b"));
        assert_eq!(n.summary.deleted_skipped, 0);
    }

    #[test]
    fn domain_codes_are_kebab_unique_and_bounded() {
        let mut nodes = BTreeMap::new();
        for (id, title) in [
            ("x1", "Geospatial Services"),
            ("x2", "Geospatial  services!"),
            ("x3", "NISP unassigned"),
            ("x4", "Consult, Command & Control"),
            ("x5", &"Very long title ".repeat(8)),
            ("x6", &"Very long title ".repeat(9)),
            ("x7", "Ünïcode"),
        ] {
            nodes.insert(
                id.to_string(),
                RawNode {
                    path: String::new(),
                    parent: None,
                    level: 6,
                    title: title.to_string(),
                },
            );
        }
        let codes = node_codes(&nodes);
        assert_eq!(codes["x1"], "geospatial-services");
        assert_eq!(codes["x2"], "geospatial-services-2");
        assert_eq!(codes["x3"], "nisp-unassigned-2");
        assert_eq!(codes["x4"], "consult-command-control");
        assert_eq!(codes["x7"], "n-code");
        for code in codes.values() {
            assert!(import::kebab(code).is_ok(), "{code}");
        }
        assert_eq!(codes.values().collect::<HashSet<_>>().len(), codes.len());
        assert_ne!(codes["x5"], codes["x6"]);
    }

    #[test]
    fn output_does_not_depend_on_input_order() {
        let f = fixture();
        let mut rev = f.clone();
        rev.reverse();
        let a = parse_fixture(&f).unwrap_or_else(|ps| panic!("{ps:#?}"));
        let b = parse_fixture(&rev).unwrap_or_else(|ps| panic!("{ps:#?}"));
        assert_eq!(a, b);
    }
}
