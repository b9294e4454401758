//! The NATO Interoperability Standards and Profiles (NISP, ADatP-34) database, as exported by
//! nisp-tools into one Markdown file per element with YAML front matter, read into defcoop
//! records: [`Standard`]s (standards and cover documents), [`Profile`]s (capability profiles,
//! profiles, service profiles, with obligations) and the [`Domain`]s the standards fall into.
//! Pure: the caller reads the folder and passes `(relative path, bytes)` pairs.
//!
//! # The folder
//! `standard/`, `coverdoc/`, `capabilityprofile/`, `profile/`, `serviceprofile/`,
//! `organization/` and `node/` (the C3 taxonomy) are read; every element file starts with YAML
//! front matter between `---` lines (the Markdown after it is not used) and names itself by
//! `nispid`; references are `refid`s (or bare node ids in `taxonomy`). `_index.md` files (folder
//! indexes), the element folders this reader does not need (`responsibleparty/`,
//! `profilespec/`, `bsp/`) and files elsewhere are ignored and counted in [`NispSummary`].
//!
//! # Records
//! - A standard (`standard/`) or cover document (`coverdoc/`, e.g. a STANAG promulgating other
//!   documents) becomes a [`Standard`]: `id` = nispid, `title` = `document.title` (the tag when
//!   blank, the id when both are), `body` = the `short` name of organization `orgid` (the orgid
//!   upper-cased when there is no such organization), `tag` = `nisptag`, `date` =
//!   `document.date` when it is a year or a valid `YYYY-MM-DD` (the Jan 2023 extract also has 523
//!   `YYYY-MM` dates and 67 empty ones: those give no date and are counted), `version` =
//!   `document.version` when not blank, `covers` = the cover document's `coverstandards`.
//! - Profiles keep their nispid; `obligations` come from each `refgroup` (obligation,
//!   lifecycle, the group's description) for each standard it lists.
//! - Ids are nispids. One nispid in the extract (`iso-iec-9594-8:2020`) has a `:`, which the
//!   registry's id rule refuses: characters outside `[A-Za-z0-9._-]` become `-`, everywhere the
//!   id is used, and every such rewrite is listed in [`NispSummary::ids_rewritten`].
//!
//! # Domains
//! A standard's domain comes from the C3 taxonomy: the service profiles that list it carry
//! `taxonomy` node ids; each node is mapped to its ancestor at level [`DOMAIN_LEVEL`] (6), or to
//! itself when it is not deeper. The standard takes the node that most of those service
//! profiles point to (each profile votes once per node; ties go to the smallest code). Level 6
//! was chosen by looking at the taxonomy: levels 0-3 are the root and broad branches ("CIS
//! Capabilities", "Technical Services"); level 4 has only three service branches
//! ("Communications Services", "Core Services", "COI Services"), which would put nearly 90% of
//! the assigned standards in three buckets; level 5 is still coarse ("Business Support Services"
//! holds 257 standards mixing collaboration, information management and more); level 6 names
//! the areas a standardisation officer works in ("Communication and Collaboration Services",
//! "Geospatial Services", "Air Domain Services", "Wireless LOS Mobile Transmission Services",
//! "Message-Oriented Middleware Services"): 57 domains in the Jan 2023 extract. Nodes above level
//! [`MIN_AREA_LEVEL`] (the root "C3 Taxonomy", which 46 service profiles list, and the two
//! level-1 branches) say nothing about a service area and do not vote.
//!
//! A domain's code is the node title in kebab case (`geospatial-services`), at most 64
//! characters; titles giving the same code get `-2`, `-3`... in order of node id. A cover
//! document takes the domain most of the standards it covers are in (unassigned ones aside),
//! else its own votes. Standards with no vote go to [`UNASSIGNED`]: in the Jan 2023 extract 395
//! of 1,349 records, nearly all standards that no service profile lists, the rest listed only by
//! profiles tagged with the taxonomy root (no guess is made from the responsible party or the
//! organization).
//!
//! # Choices
//! - **Deleted elements**: an element whose `status.history` ends with `flag: deleted` is
//!   skipped, and references to it are dropped and counted
//!   ([`NispSummary::deleted_refs_dropped`]). Elements deleted once and changed later (86 in the
//!   extract) are live and kept; no element of the Jan 2023 extract ends deleted.
//! - **Dangling references**: a cover document covering an unknown standard, or a subprofile
//!   entry naming its `type` that does not resolve, is a problem. The NISP export marks a
//!   subprofile it could not resolve itself by an empty `type:` and `title:` (2 in the extract,
//!   in `sip-rest` and `sip-rest-msg`); such entries, and refgroup standards that are not in the
//!   database (3 in FMN Spiral 5 service profiles: `mip-v4.2`, `xmpp-xep-0128`,
//!   `xmpp-xep-0131`), are skipped and listed, located, in [`NispSummary::skipped_refs`]. So is
//!   an unknown taxonomy node or node parent (none in the extract).
//! - **Duplicates**: a standard listed twice in one profile (23 times in 15 profiles) is kept
//!   once, at its first place, with the strongest obligation (mandatory > conditional >
//!   recommended > optional > none, then current > candidate > no lifecycle); the descriptions
//!   of the entries at that strength are joined by a line break when they differ.
//! - Records are sorted by id; obligations keep the file order. Every problem is reported,
//!   located `path:line` (the line of the offending key, or 1).
//!
//! # YAML
//! The front matter is read with [`saphyr`] (0.3): a pure-Rust YAML 1.2 library, the maintained
//! successor of yaml-rust/yaml-rust2 (same authors), that passes the YAML test suite and loads
//! into [`MarkedYaml`], where every key and value carries its line: problems can name the line
//! of the offending key, which serde-based readers cannot. `serde_yaml` is deprecated,
//! `serde_yml` has had soundness problems, and `serde_norway` (a serde_yaml fork on a C-to-Rust
//! libyaml port) gives positions only for syntax errors. Every file of the Jan 2023 extract
//! parses with it, including the `>2` block scalars and unquoted dates and versions (YAML 1.2
//! core schema: `2021-01-15` is a string). Numbers are read as text where text is expected (an
//! unquoted `1.10` would read `1.1`; the fields read here are quoted in the export).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use saphyr::{MarkedYaml, Scalar, YamlData, YamlLoader};
use saphyr_parser::{Event, Parser, SpannedEventReceiver};

use crate::import::{self, Problem};
use crate::json::utf8;
use crate::model::{
    Domain, Lifecycle, Obligation, ObligationLevel, Profile, ProfileKind, Source, Standard,
};

/// The source every record derived from the NISP names (see `data/sources/README.md`).
pub const SOURCE_TITLE: &str = "NATO Interoperability Standards and Profiles (NISP) database, \
     extract of Jan 2023 (MIT licence, (c) NATO Open Systems Working Group and Interoperability \
     Profiles Capability Team)";
/// The domain of standards without a C3 taxonomy service area.
pub const UNASSIGNED: &str = "nisp-unassigned";
/// The name of [`UNASSIGNED`].
pub const UNASSIGNED_NAME: &str = "NISP standards without a C3 taxonomy service area";
/// The C3 taxonomy level whose nodes are domains.
pub const DOMAIN_LEVEL: u32 = 6;
/// Taxonomy nodes above this level (the root and its two branches) do not vote for a domain.
pub const MIN_AREA_LEVEL: u32 = 2;

/// The NISP as registry records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Nisp {
    /// The domains used by `standards`, sorted by code.
    pub domains: Vec<Domain>,
    /// Standards and cover documents, sorted by id.
    pub standards: Vec<Standard>,
    /// Sorted by id.
    pub profiles: Vec<Profile>,
    pub summary: NispSummary,
}

/// What was read, kept, skipped and ignored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NispSummary {
    /// Files given.
    pub files: usize,
    /// `_index.md` folder indexes (ignored).
    pub index_files: usize,
    /// Files of NISP element folders this reader does not need (`responsibleparty/`,
    /// `profilespec/`, `bsp/`; ignored).
    pub unused_files: usize,
    /// Files outside the element folders (README.md, ...; ignored).
    pub other_files: usize,
    /// Standards (from `standard/`) kept.
    pub standards: usize,
    /// Cover documents kept.
    pub cover_documents: usize,
    /// Profiles kept, by kind.
    pub profiles: BTreeMap<ProfileKind, usize>,
    /// Obligations kept (after merging duplicates), by level.
    pub obligations: BTreeMap<ObligationLevel, usize>,
    pub organizations: usize,
    pub taxonomy_nodes: usize,
    /// Elements whose history ends with `deleted`, skipped.
    pub deleted_skipped: usize,
    /// References to those, dropped.
    pub deleted_refs_dropped: usize,
    /// Repeated (profile, standard) entries merged into one obligation.
    pub duplicate_obligations_merged: usize,
    /// Standards and cover documents with an empty `document.date`.
    pub dates_empty: usize,
    /// Dates that are neither a year nor a valid `YYYY-MM-DD` (e.g. `2006-06`), left out.
    pub dates_rejected: usize,
    /// `(nispid, id)` for nispids the registry's id rule refuses.
    pub ids_rewritten: Vec<(String, String)>,
    /// References skipped: unresolved subprofiles marked so by the export, refgroup standards
    /// that are not in the database, unknown taxonomy nodes. Located like problems.
    pub skipped_refs: Vec<Problem>,
    /// Standards (and cover documents) per domain code, most first, then by code.
    pub standards_per_domain: Vec<(String, usize)>,
}

/// The element folders read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Folder {
    Standard,
    Coverdoc,
    Capability,
    Profile,
    Service,
    Organization,
    Node,
}

fn folder_of(dir: &str) -> Option<Folder> {
    Some(match dir {
        "standard" => Folder::Standard,
        "coverdoc" => Folder::Coverdoc,
        "capabilityprofile" => Folder::Capability,
        "profile" => Folder::Profile,
        "serviceprofile" => Folder::Service,
        "organization" => Folder::Organization,
        "node" => Folder::Node,
        _ => return None,
    })
}

const UNUSED_FOLDERS: [&str; 3] = ["responsibleparty", "profilespec", "bsp"];

/// A reference from one element to another, where it was written.
#[derive(Debug, Clone)]
struct Ref {
    id: String,
    line: usize,
    /// The subprofile entry names the target's `type` (the export resolved it).
    typed: bool,
}

struct RawStandard {
    path: String,
    line: usize,
    nispid: String,
    id: String,
    cover: bool,
    deleted: bool,
    title: Option<String>,
    tag: Option<String>,
    orgid: Option<String>,
    date: Option<String>,
    version: Option<String>,
    covers: Vec<Ref>,
}

struct RawGroup {
    obligation: ObligationLevel,
    lifecycle: Option<Lifecycle>,
    description: Option<String>,
    standards: Vec<Ref>,
}

struct RawProfile {
    path: String,
    line: usize,
    nispid: String,
    id: String,
    kind: ProfileKind,
    deleted: bool,
    title: Option<String>,
    description: Option<String>,
    subprofiles: Vec<Ref>,
    groups: Vec<RawGroup>,
    taxonomy: Vec<Ref>,
}

struct RawNode {
    path: String,
    parent: Option<Ref>,
    level: u32,
    title: String,
}

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

/// The mandatory standards of profile `id` and, transitively, of its subprofiles (cycles are
/// followed once), sorted and without repeats; `None` if there is no such profile.
pub fn mandatory_standards(profiles: &[Profile], id: &str) -> Option<Vec<String>> {
    mandatory_standards_in(&profiles_by_id(profiles), id)
}

/// Profiles by id, for [`mandatory_standards_in`].
pub fn profiles_by_id(profiles: &[Profile]) -> HashMap<&str, &Profile> {
    profiles.iter().map(|p| (p.id.as_str(), p)).collect()
}

/// [`mandatory_standards`] over an index built once, for callers that expand many profiles.
pub fn mandatory_standards_in(by_id: &HashMap<&str, &Profile>, id: &str) -> Option<Vec<String>> {
    let start = by_id.get(id)?;
    let mut seen: HashSet<&str> = HashSet::from([start.id.as_str()]);
    let mut stack = vec![*start];
    let mut out = BTreeSet::new();
    while let Some(p) = stack.pop() {
        out.extend(
            p.obligations
                .iter()
                .filter(|o| o.obligation == ObligationLevel::Mandatory)
                .map(|o| o.standard.clone()),
        );
        for s in &p.subprofiles {
            if let Some(sub) = by_id.get(s.as_str()) {
                if seen.insert(sub.id.as_str()) {
                    stack.push(sub);
                }
            }
        }
    }
    Some(out.into_iter().collect())
}

fn source() -> Source {
    Source {
        title: SOURCE_TITLE.to_string(),
        url: None,
    }
}

/// Keeps the stronger of two obligations for one standard in one profile (see the module docs).
fn merge(old: &mut Obligation, new: Obligation) {
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
fn duplicates<'a>(
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
fn area<'n>(nodes: &'n BTreeMap<String, RawNode>, id: &str) -> Option<&'n str> {
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
fn node_codes(nodes: &BTreeMap<String, RawNode>) -> HashMap<&str, String> {
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
fn kebab_of(s: &str) -> String {
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
fn cut(s: &str, n: usize) -> &str {
    s.get(..n.min(s.len())).unwrap_or(s).trim_end_matches('-')
}

/// The most voted domain code, ties to the smallest; [`UNASSIGNED`] without votes.
fn winner(votes: Option<&HashMap<&str, usize>>) -> String {
    votes
        .into_iter()
        .flatten()
        .min_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)))
        .map_or_else(|| UNASSIGNED.to_string(), |(code, _)| code.to_string())
}

/// A registry id from a nispid: characters outside `[A-Za-z0-9._-]` become '-'.
fn to_id(nispid: &str) -> String {
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

/// The YAML front matter of a Markdown file: between a first line `---` and the next `---`.
fn front_matter<'a>(
    path: &str,
    text: &'a str,
    problems: &mut Vec<Problem>,
) -> Option<MarkedYaml<'a>> {
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if first.trim_end() != "---" {
        problems.push(Problem::new(
            format!("{path}:1"),
            "missing front matter (the file must start with a '---' line)",
        ));
        return None;
    }
    let start = first.len();
    let mut end = None;
    let mut at = start;
    for line in lines {
        if line.trim_end() == "---" {
            end = Some(at);
            break;
        }
        at += line.len();
    }
    let Some(end) = end else {
        problems.push(Problem::new(
            format!("{path}:1"),
            "front matter not closed by a '---' line",
        ));
        return None;
    };
    let yaml = &text[start..end];
    match load_yaml(yaml) {
        Err((line, message)) => {
            problems.push(Problem::new(
                format!("{path}:{}", line + 1),
                format!("front matter is not valid YAML: {message}"),
            ));
            None
        }
        Ok(docs) => match docs.into_iter().next() {
            Some(root) if root.data.is_mapping() => Some(root),
            _ => {
                problems.push(Problem::new(
                    format!("{path}:2"),
                    "front matter is not a YAML mapping of fields",
                ));
                None
            }
        },
    }
}

/// How deep YAML collections may nest in front matter (NISP's nest 3 deep).
const MAX_YAML_DEPTH: usize = 64;

/// Loads YAML documents as `MarkedYaml::load_from_str` does, refusing collections nested deeper
/// than [`MAX_YAML_DEPTH`] (an alias counts as deep as the node it copies) before they are built:
/// saphyr's `Parser::load` recurses once per level and its trees are cloned and dropped
/// recursively, so the events are fed to the loader here, in a loop. The error is (line in
/// `yaml`, 1-based; message).
fn load_yaml(yaml: &str) -> Result<Vec<MarkedYaml<'_>>, (usize, String)> {
    let mut parser = Parser::new_from_str(yaml);
    let mut loader: YamlLoader<'_, MarkedYaml<'_>> = YamlLoader::default();
    // Per open collection: its anchor id (0: none) and the height of its tallest child so far.
    let mut open: Vec<(usize, usize)> = Vec::new();
    // The height of each anchored node: a scalar 0, a collection 1 + its tallest child.
    let mut heights: HashMap<usize, usize> = HashMap::new();
    let too_deep = |line: usize| {
        (
            line,
            format!("YAML nested deeper than {MAX_YAML_DEPTH} levels"),
        )
    };
    while let Some(next) = parser.next_event() {
        let (event, span) = next.map_err(|e| (e.marker().line(), e.info().to_string()))?;
        match &event {
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if open.len() >= MAX_YAML_DEPTH {
                    return Err(too_deep(span.start.line()));
                }
                open.push((*anchor, 0));
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some((anchor, tallest)) = open.pop() {
                    completed(&mut open, &mut heights, anchor, tallest + 1);
                }
            }
            Event::Scalar(_, _, anchor, _) => completed(&mut open, &mut heights, *anchor, 0),
            Event::Alias(id) => {
                let height = heights.get(id).copied().unwrap_or(0);
                if open.len() + height > MAX_YAML_DEPTH {
                    return Err(too_deep(span.start.line()));
                }
                completed(&mut open, &mut heights, 0, height);
            }
            _ => {}
        }
        loader.on_event(event, span);
    }
    match loader.error() {
        Some(e) => Err((e.marker().line(), e.info().to_string())),
        None => Ok(loader.into_documents()),
    }
}

/// A node of `height` is complete: it is recorded under its anchor (if any, not 0), and its
/// parent's tallest child may grow.
fn completed(
    open: &mut [(usize, usize)],
    heights: &mut HashMap<usize, usize>,
    anchor: usize,
    height: usize,
) {
    if anchor > 0 {
        heights.insert(anchor, height);
    }
    if let Some(parent) = open.last_mut() {
        parent.1 = parent.1.max(height);
    }
}

/// Reading the fields of one file's front matter.
struct File<'p> {
    path: &'p str,
    problems: &'p mut Vec<Problem>,
}

/// The file line of a node (the front matter starts on line 2).
fn line_of(node: &MarkedYaml<'_>) -> usize {
    node.span.start.line() + 1
}

fn field<'n, 'a>(
    map: &'n MarkedYaml<'a>,
    key: &str,
) -> Option<(&'n MarkedYaml<'a>, &'n MarkedYaml<'a>)> {
    match &map.data {
        YamlData::Mapping(m) => m.iter().find(|(k, _)| match &k.data {
            YamlData::Value(Scalar::String(s)) => s == key,
            _ => false,
        }),
        _ => None,
    }
}

impl File<'_> {
    fn problem(&mut self, line: usize, message: impl Into<String>) {
        self.problems
            .push(Problem::new(format!("{}:{line}", self.path), message));
    }

    /// A scalar field as trimmed text and the line of its key; `None` when absent, null or
    /// blank. A list or mapping instead is a problem.
    fn text(&mut self, map: &MarkedYaml<'_>, key: &str) -> Option<(String, usize)> {
        let (k, v) = field(map, key)?;
        let line = line_of(k);
        let s = match &v.data {
            YamlData::Value(Scalar::String(s)) => s.to_string(),
            YamlData::Value(Scalar::Null) => return None,
            YamlData::Value(Scalar::Boolean(b)) => b.to_string(),
            YamlData::Value(Scalar::Integer(i)) => i.to_string(),
            YamlData::Value(Scalar::FloatingPoint(f)) => f.to_string(),
            _ => {
                self.problem(line, format!("{key}: expected text"));
                return None;
            }
        };
        let s = s.trim();
        (!s.is_empty()).then(|| (s.to_string(), line))
    }

    /// A sequence field's items; none when absent or null. Anything else is a problem.
    fn list<'n, 'a>(&mut self, map: &'n MarkedYaml<'a>, key: &str) -> &'n [MarkedYaml<'a>] {
        let Some((k, v)) = field(map, key) else {
            return &[];
        };
        match &v.data {
            YamlData::Sequence(items) => items,
            YamlData::Value(Scalar::Null) => &[],
            _ => {
                self.problem(line_of(k), format!("{key}: expected a list"));
                &[]
            }
        }
    }

    /// `refid` entries of a list field.
    fn refs(&mut self, map: &MarkedYaml<'_>, key: &str) -> Vec<Ref> {
        let mut out = Vec::new();
        for item in self.list(map, key) {
            match self.text(item, "refid") {
                Some((id, line)) => out.push(Ref {
                    id: to_id(&id),
                    line,
                    typed: self.text(item, "type").is_some(),
                }),
                None => self.problem(line_of(item), format!("{key}: an entry without refid")),
            }
        }
        out
    }

    /// Whether the last entry of `status.history` is `flag: deleted`.
    fn deleted(&mut self, root: &MarkedYaml<'_>) -> bool {
        let Some((_, status)) = field(root, "status") else {
            return false;
        };
        let history = self.list(status, "history");
        history
            .last()
            .and_then(|h| self.text(h, "flag"))
            .is_some_and(|(f, _)| f == "deleted")
    }

    fn standard(
        &mut self,
        root: &MarkedYaml<'_>,
        nispid: String,
        line: usize,
        cover: bool,
    ) -> RawStandard {
        let document = field(root, "document").map(|(_, d)| d);
        let doc = |f: &mut Self, key: &str| document.and_then(|d| f.text(d, key)).map(|t| t.0);
        let orgid = self
            .text(root, "orgid")
            .map(|t| t.0)
            .or_else(|| doc(self, "org"));
        RawStandard {
            path: self.path.to_string(),
            line,
            id: to_id(&nispid),
            nispid,
            cover,
            deleted: self.deleted(root),
            title: doc(self, "title"),
            tag: self.text(root, "nisptag").map(|t| t.0),
            orgid,
            date: doc(self, "date"),
            version: doc(self, "version"),
            covers: if cover {
                self.refs(root, "coverstandards")
            } else {
                Vec::new()
            },
        }
    }

    fn profile(
        &mut self,
        root: &MarkedYaml<'_>,
        nispid: String,
        line: usize,
        kind: ProfileKind,
    ) -> RawProfile {
        let mut groups = Vec::new();
        for g in self.list(root, "refgroup") {
            let obligation = match self.text(g, "obligation") {
                None => {
                    self.problem(line_of(g), "refgroup without an obligation");
                    None
                }
                Some((o, l)) => {
                    let parsed = ObligationLevel::parse(&o);
                    if parsed.is_none() {
                        self.problem(
                            l,
                            format!("unknown obligation \"{o}\" (expected mandatory, conditional, recommended, optional or none)"),
                        );
                    }
                    parsed
                }
            };
            let lifecycle = match self.text(g, "lifecycle") {
                None => Some(None),
                Some((l, line)) => {
                    let parsed = Lifecycle::parse(&l);
                    if parsed.is_none() {
                        self.problem(
                            line,
                            format!("unknown lifecycle \"{l}\" (expected current or candidate)"),
                        );
                    }
                    parsed.map(Some)
                }
            };
            let description = self.text(g, "description").map(|t| t.0);
            let standards = self.refs(g, "standards");
            if let (Some(obligation), Some(lifecycle)) = (obligation, lifecycle) {
                groups.push(RawGroup {
                    obligation,
                    lifecycle,
                    description,
                    standards,
                });
            }
        }
        let mut taxonomy = Vec::new();
        if let Some((k, _)) = field(root, "taxonomy") {
            let key_line = line_of(k);
            for item in self.list(root, "taxonomy") {
                match &item.data {
                    YamlData::Value(Scalar::String(s)) if !s.trim().is_empty() => {
                        taxonomy.push(Ref {
                            id: s.trim().to_string(),
                            line: line_of(item),
                            typed: true,
                        })
                    }
                    _ => self.problem(key_line, "taxonomy: expected node ids"),
                }
            }
        }
        RawProfile {
            path: self.path.to_string(),
            line,
            id: to_id(&nispid),
            nispid,
            kind,
            deleted: self.deleted(root),
            title: self.text(root, "title").map(|t| t.0),
            description: self.text(root, "description").map(|t| t.0),
            subprofiles: self.refs(root, "subprofiles"),
            groups,
            taxonomy,
        }
    }

    fn node(&mut self, root: &MarkedYaml<'_>) -> Option<RawNode> {
        let level = match self.text(root, "level") {
            None => {
                self.problem(1, "taxonomy node without a level");
                None
            }
            Some((l, line)) => {
                let parsed = l.parse::<u32>().ok();
                if parsed.is_none() {
                    self.problem(line, format!("level \"{l}\" is not a whole number"));
                }
                parsed
            }
        }?;
        let parent = self.text(root, "parent").map(|(id, line)| Ref {
            id,
            line,
            typed: true,
        });
        let title = match self.text(root, "title") {
            Some((t, _)) => t,
            None => {
                self.problem(1, "taxonomy node without a title");
                return None;
            }
        };
        Some(RawNode {
            path: self.path.to_string(),
            parent,
            level,
            title,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::Incoming;
    use crate::label::Reader;
    use crate::model::Dataset;

    const ORG: &str =
        "---\nnispid: nato\nshort: NATO\nlong: North Atlantic Treaty Organization\n---\n";

    fn standard(id: &str, date: &str) -> String {
        format!(
            "---\nelement: Standard\nnispid: {id}\nnisptag: \"STD {id}\"\norgid: nato\ndocument:\n  org: nato\n  title: \"Title of {id}\"\n  date: \"{date}\"\n  version: \"\"\napplicability: >2\n    Two lines\n\n    of text: with a colon\nstatus:\n  history:\n    - flag: added\n      date: 2021-01-15\n      version: 14.0\n---\nBody text.\n"
        )
    }

    fn service(id: &str, taxonomy: &str, groups: &str) -> String {
        format!(
            "---\nelement: Serviceprofile\nnispid: {id}\ntitle: Service {id}\ndescription: >\n  Folded\n  text\ntaxonomy:\n  - {taxonomy}\nrefgroup:\n{groups}status:\n  history:\n---\n"
        )
    }

    fn group(obligation: &str, lifecycle: &str, desc: &str, refs: &[&str]) -> String {
        let refs: String = refs.iter().map(|r| format!("    - refid: {r}\n")).collect();
        format!("  - obligation: {obligation}\n    lifecycle: {lifecycle}\n    standards:\n{refs}    description: {desc}\n")
    }

    fn node(id: &str, parent: &str, level: u32, title: &str) -> String {
        format!("---\nelement: node\nnispid: {id}\nparent: {parent}\ntitle: {title}\ndescription:\nlevel: {level}\n---\n")
    }
    fn fixture() -> Vec<(String, String)> {
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

    fn as_input(f: &[(String, String)]) -> Vec<(String, Vec<u8>)> {
        f.iter()
            .map(|(p, t)| (p.clone(), t.clone().into_bytes()))
            .collect()
    }

    fn parse_fixture(f: &[(String, String)]) -> Result<Nisp, Vec<String>> {
        parse_nisp(&as_input(f)).map_err(|ps| ps.iter().map(ToString::to_string).collect())
    }

    fn with(path: &str, text: &str) -> Vec<(String, String)> {
        let mut f = fixture();
        match f.iter_mut().find(|(p, _)| p == path) {
            Some(e) => e.1 = text.to_string(),
            None => f.push((path.to_string(), text.to_string())),
        }
        f
    }

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
    fn broken_yaml_is_located() {
        let text = "---\nnispid: a\ndocument:\n  title: [unclosed\n  date: \"\"\n---\n";
        let ps = parse_fixture(&with("standard/a.md", text)).unwrap_err();
        assert_eq!(ps.len(), 1, "{ps:?}");
        assert!(
            ps[0].starts_with("standard/a.md:5: front matter is not valid YAML"),
            "{ps:?}"
        );
        let text = "---\nnispid: a\n  bad: indent\n---\n";
        let ps = parse_fixture(&with("standard/a.md", text)).unwrap_err();
        assert!(
            ps[0].starts_with("standard/a.md:3: front matter is not valid YAML"),
            "{ps:?}"
        );
    }

    /// Front matter nested 100,000 deep, in flow and in block style, and through aliases: one
    /// located problem, no stack overflow.
    #[test]
    fn deeply_nested_yaml_is_refused() {
        let deep = |inner: String| format!("---\nnispid: a\ndocument: {inner}\n---\n");
        // saphyr's scanner may refuse flow collections itself, past 255 levels (it looks
        // ahead for keys).
        let flow = "recursion limit exceeded";
        let ours = "YAML nested deeper than 64 levels";
        for (text, line, block) in [
            (deep("[".repeat(100_000)), 3, false),
            (deep("{a: ".repeat(100_000)), 3, false),
            (deep(format!("\n{}x", "- ".repeat(100_000))), 4, true),
            (
                deep(format!("\n{}{}", "- ".repeat(50), "[".repeat(100_000))),
                4,
                false,
            ),
        ] {
            let ps = parse_fixture(&with("standard/a.md", &text)).unwrap_err();
            let at = format!("standard/a.md:{line}: front matter is not valid YAML: ");
            let expected: Vec<String> = [ours, flow]
                .iter()
                .take(if block { 1 } else { 2 })
                .map(|m| format!("{at}{m}"))
                .collect();
            assert!(ps.len() == 1 && expected.contains(&ps[0]), "{ps:?}");
        }
        // Each alias copies a node 40 deep into one 40 deep: 80 levels.
        let nest = |n: usize| format!("{}x{}", "[".repeat(n), "]".repeat(n));
        let text = format!(
            "---\nnispid: a\nx: &a {}\ny: {}*a{}\n---\n",
            nest(40),
            "[".repeat(40),
            "]".repeat(40)
        );
        let ps = parse_fixture(&with("standard/a.md", &text)).unwrap_err();
        assert_eq!(
            ps,
            ["standard/a.md:4: front matter is not valid YAML: YAML nested deeper than 64 levels"]
        );
        // 64 levels are fine (a mapping of one field holding 63 nested lists).
        let text = format!("---\nnispid: a\nx: {}\n---\n", nest(63));
        assert!(front_matter("a.md", &text, &mut Vec::new()).is_some());
        let text = format!("---\nnispid: a\nx: {}\n---\n", nest(64));
        assert!(front_matter("a.md", &text, &mut Vec::new()).is_none());
    }

    #[test]
    fn front_matter_must_be_there() {
        let ps = parse_fixture(&with("standard/a.md", "nispid: a\n")).unwrap_err();
        assert_eq!(
            ps,
            ["standard/a.md:1: missing front matter (the file must start with a '---' line)"]
        );
        let ps = parse_fixture(&with("standard/a.md", "---\nnispid: a\n")).unwrap_err();
        assert_eq!(
            ps,
            ["standard/a.md:1: front matter not closed by a '---' line"]
        );
        let ps = parse_fixture(&with("standard/a.md", "---\n- a\n---\n")).unwrap_err();
        assert_eq!(
            ps,
            ["standard/a.md:2: front matter is not a YAML mapping of fields"]
        );
        let ps = parse_fixture(&with("standard/a.md", "---\n---\n")).unwrap_err();
        assert_eq!(
            ps,
            ["standard/a.md:2: front matter is not a YAML mapping of fields"]
        );
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

    #[test]
    fn non_utf8_is_located() {
        let mut input = as_input(&fixture());
        input.push((
            "standard/z.md".into(),
            b"---\nnispid: z\ntitle: \xFF\n---\n".to_vec(),
        ));
        let ps = parse_nisp(&input).unwrap_err();
        assert_eq!(ps.len(), 1);
        assert!(
            ps[0].location == "standard/z.md: line 3, column 8",
            "{ps:?}"
        );
    }

    /// Reads every file under `dir`, paths relative to `root` with '/'.
    fn read_tree(root: &std::path::Path, dir: &std::path::Path, out: &mut Vec<(String, Vec<u8>)>) {
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

    /// The real database, `data/sources/nisp`.
    #[test]
    fn the_real_nisp_folder() {
        let dir = crate::testdata::shared("nisp");
        let root = dir.as_path();
        assert!(
            root.is_dir(),
            "cannot find the NISP database at {}",
            dir.display()
        );
        let mut input = Vec::new();
        read_tree(root, root, &mut input);
        let start = std::time::Instant::now();
        let n = parse_nisp(&input).unwrap_or_else(|ps| {
            panic!(
                "{} problems, first: {:#?}",
                ps.len(),
                &ps[..ps.len().min(20)]
            )
        });
        let elapsed = start.elapsed();
        let s = &n.summary;
        println!("parse_nisp: {} files in {elapsed:?}", s.files);
        println!("{s:#?}");

        // README: 1,258 standards, 93 cover documents, 36 capability profiles, 414 service
        // profiles: each folder count includes its _index.md.
        assert_eq!(s.files, 2687);
        assert_eq!((s.index_files, s.unused_files, s.other_files), (11, 78, 1));
        assert_eq!((s.standards, s.cover_documents), (1257, 92));
        assert_eq!(
            s.profiles,
            BTreeMap::from([
                (ProfileKind::Capability, 35),
                (ProfileKind::Profile, 95),
                (ProfileKind::Service, 413)
            ])
        );
        assert_eq!((s.organizations, s.taxonomy_nodes), (73, 632));
        assert_eq!(
            s.obligations,
            BTreeMap::from([
                (ObligationLevel::Mandatory, 1742),
                (ObligationLevel::Conditional, 119),
                (ObligationLevel::Recommended, 28),
                (ObligationLevel::Optional, 36),
            ])
        );
        // The five refgroups with obligation `none` (FMN Spiral 5) list no standard.
        assert_eq!((s.deleted_skipped, s.deleted_refs_dropped), (0, 0));
        assert_eq!(s.duplicate_obligations_merged, 23);
        // The 523 year-month dates (`2006-06`) pass the date rule.
        assert_eq!((s.dates_empty, s.dates_rejected), (67, 0));
        assert_eq!(
            s.ids_rewritten,
            [(
                "iso-iec-9594-8:2020".to_string(),
                "iso-iec-9594-8-2020".to_string()
            )]
        );
        let skipped: Vec<String> = s.skipped_refs.iter().map(ToString::to_string).collect();
        assert_eq!(skipped.len(), 5, "{skipped:#?}");
        for id in [
            "sip-rest-msg-rest-messaging",
            "sip-rest-rest-security",
            "mip-v4.2",
            "xmpp-xep-0128",
            "xmpp-xep-0131",
        ] {
            assert!(
                skipped.iter().any(|p| p.contains(&format!("\"{id}\""))),
                "{id}"
            );
        }

        // Sorted, unique ids.
        assert!(n.standards.windows(2).all(|w| w[0].id < w[1].id));
        assert!(n.profiles.windows(2).all(|w| w[0].id < w[1].id));
        assert_eq!(n.standards.len(), 1349);
        assert_eq!(n.profiles.len(), 543);

        // A known standard.
        let Some(nvg) = n.standards.iter().find(|s| s.id == "act-nvg-2.0.2") else {
            panic!("no act-nvg-2.0.2")
        };
        assert_eq!(
            (
                nvg.title.as_str(),
                nvg.body.as_str(),
                nvg.tag.as_deref(),
                nvg.date.as_deref(),
                nvg.version.as_deref()
            ),
            (
                "NATO Vector Graphics (NVG) 2.0.2",
                "NATO",
                Some("NVG 2.0.2"),
                Some("2015-05-23"),
                None
            )
        );
        // Cover documents cover parsed standards.
        let Some(cd) = n.standards.iter().find(|s| s.id == "nato-e-stanag5516ed9") else {
            panic!("no nato-e-stanag5516ed9")
        };
        assert_eq!(cd.covers, ["nato-e-atdlp-5.16-ed.c-v1"]);
        assert_eq!(
            n.standards.iter().filter(|s| !s.covers.is_empty()).count(),
            92
        );

        // FMN Spiral profiles with obligations and mandatory standards.
        for (id, title) in [
            ("fmn3", "FMN Spiral 3 - Standards Profile"),
            ("fmn4", "FMN Spiral 4 Standards Profile"),
            ("fmn5", "FMN Spiral 5 Standards Profile"),
        ] {
            let Some(p) = n.profiles.iter().find(|p| p.title == title) else {
                panic!("no profile {title}")
            };
            assert_eq!(p.kind, ProfileKind::Capability);
            let m = mandatory_standards(&n.profiles, &p.id).unwrap_or_default();
            println!("{id} ({}): {} mandatory standards", p.id, m.len());
            assert!(m.len() > 50, "{id}: {}", m.len());
            assert!(m.windows(2).all(|w| w[0] < w[1]));
        }
        assert!(n
            .profiles
            .iter()
            .filter(|p| p.id.starts_with("fmn4-") && p.kind == ProfileKind::Service)
            .all(|p| !p.obligations.is_empty() || p.id.is_empty()));

        // Domains.
        println!("{} domains; standards per domain:", n.domains.len());
        for (code, count) in &s.standards_per_domain {
            println!("{count:6}  {code}");
        }
        assert_eq!(
            s.standards_per_domain.iter().map(|d| d.1).sum::<usize>(),
            1349
        );
        assert_eq!(n.domains.len(), 58);
        assert_eq!(s.standards_per_domain[0], (UNASSIGNED.to_string(), 395));
        assert_eq!(
            s.standards_per_domain[1],
            ("communication-and-collaboration-services".to_string(), 177)
        );

        // The records pass import validation.
        let ds = Dataset {
            domains: n.domains.clone(),
            standards: n.standards.clone(),
            ..Dataset::default()
        };
        if let Err(ps) = crate::plan_import(
            &Incoming::from_dataset(ds),
            &Dataset::default(),
            &Reader::Full,
        ) {
            panic!(
                "{} problems, first: {:#?}",
                ps.len(),
                &ps[..ps.len().min(20)]
            );
        }

        // Deterministic whatever the order of the files.
        input.reverse();
        assert_eq!(parse_nisp(&input).ok().as_ref(), Some(&n));
    }
}
