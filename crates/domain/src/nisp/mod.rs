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
use crate::location::utf8;
use crate::model::{
    Domain, Lifecycle, Obligation, ObligationLevel, Profile, ProfileKind, Source, Standard,
};

mod attach;
mod build;
#[cfg(test)]
mod fixtures;
mod front;

pub use attach::{attach, Attached};
pub use build::parse_nisp;
use build::*;
use front::*;

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

#[cfg(test)]
mod tests {
    use super::*;
    use fixtures::*;

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
