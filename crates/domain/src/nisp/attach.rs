//! One record per real standard: NISP standards that a registry standard already describes
//! (its `aliases` hold the NISP id or the NISP tag, compared by [`alias_key`]) are not imported
//! as a second record. Instead the registry's record gains NISP's catalogue fields it lacks
//! (`tag`, `date`, `version`, `covers`; a value it has is kept) and NISP as a source, and every
//! NISP reference to the NISP id (profile obligations, covered standards) names the registry's
//! record, so its conformances count for NISP's profiles. Its id, title, body and domain stay
//! the registry's.

use std::collections::{BTreeMap, HashMap};

use crate::import::alias_key;
use crate::model::Standard;

use super::{build::merge, Nisp};

/// A NISP standard attached to a registry standard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attached {
    pub nisp: String,
    pub standard: String,
}

/// Attaches `nisp`'s standards to `existing` (the registry's, as the importer sees them),
/// rewriting `nisp` in place; returns what was attached, by NISP id.
pub fn attach(nisp: &mut Nisp, existing: &[Standard]) -> Vec<Attached> {
    let mut by_alias: HashMap<String, &Standard> = HashMap::new();
    for s in existing {
        for a in &s.aliases {
            by_alias.entry(alias_key(a)).or_insert(s);
        }
    }
    if by_alias.is_empty() {
        return vec![];
    }
    let mut extended: BTreeMap<String, Standard> = BTreeMap::new();
    let mut moved: HashMap<String, String> = HashMap::new();
    let mut kept = Vec::with_capacity(nisp.standards.len());
    for s in std::mem::take(&mut nisp.standards) {
        let target = std::iter::once(&s.id)
            .chain(s.tag.as_ref())
            .find_map(|k| by_alias.get(&alias_key(k)))
            .filter(|t| t.id != s.id);
        let Some(t) = target else {
            kept.push(s);
            continue;
        };
        let r = extended
            .entry(t.id.clone())
            .or_insert_with(|| Standard::clone(t));
        r.tag = r.tag.take().or(s.tag);
        r.date = r.date.take().or(s.date);
        r.version = r.version.take().or(s.version);
        if r.covers.is_empty() {
            r.covers = s.covers;
        }
        for src in s.sources {
            if !r.sources.contains(&src) {
                r.sources.push(src);
            }
        }
        moved.insert(s.id, t.id.clone());
    }
    kept.extend(extended.into_values());
    let rename = |id: &mut String| {
        if let Some(to) = moved.get(id.as_str()) {
            id.clone_from(to);
        }
    };
    for s in &mut kept {
        s.covers.iter_mut().for_each(rename);
        let own = s.id.clone();
        s.covers.retain(|c| *c != own);
        s.covers.sort();
        s.covers.dedup();
    }
    for p in &mut nisp.profiles {
        let mut by_standard: BTreeMap<String, crate::model::Obligation> = BTreeMap::new();
        for mut o in std::mem::take(&mut p.obligations) {
            rename(&mut o.standard);
            match by_standard.get_mut(&o.standard) {
                Some(old) => merge(old, o),
                None => {
                    by_standard.insert(o.standard.clone(), o);
                }
            }
        }
        p.obligations = by_standard.into_values().collect();
    }
    kept.sort_by(|a, b| a.id.cmp(&b.id));
    nisp.standards = kept;
    let mut out: Vec<Attached> = moved
        .into_iter()
        .map(|(nisp, standard)| Attached { nisp, standard })
        .collect();
    out.sort_by(|a, b| a.nisp.cmp(&b.nisp));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Obligation, ObligationLevel, Profile, ProfileKind, Source};

    fn standard(id: &str, tag: Option<&str>, aliases: &[&str]) -> Standard {
        Standard {
            id: id.into(),
            title: format!("title of {id}"),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            body: "NATO".into(),
            domain: "tactical-data-link".into(),
            tag: tag.map(Into::into),
            date: None,
            version: None,
            covers: vec![],
            label: None,
            sources: vec![Source {
                title: format!("source of {id}"),
                url: None,
            }],
            illustrative: false,
        }
    }

    #[test]
    fn an_aliased_nisp_standard_fills_the_registry_record_and_its_references_follow() {
        let mut ed4 = standard("nato-stanag5516ed4", Some("STANAG 5516 Ed 4"), &[]);
        ed4.domain = "nisp-tdl".into();
        ed4.date = Some("2008-09-29".into());
        ed4.version = Some("Ed 4".into());
        let mut cover = standard("nato-cover", None, &[]);
        cover.covers = vec!["nato-stanag5516ed4".into()];
        let obligation = |s: &str, level| Obligation {
            standard: s.into(),
            obligation: level,
            lifecycle: None,
            description: None,
        };
        let mut nisp = Nisp {
            domains: vec![],
            standards: vec![ed4, cover, standard("other", None, &[])],
            profiles: vec![Profile {
                id: "p".into(),
                kind: ProfileKind::Service,
                title: "P".into(),
                description: None,
                subprofiles: vec![],
                obligations: vec![
                    obligation("nato-stanag5516ed4", ObligationLevel::Mandatory),
                    obligation("other", ObligationLevel::Optional),
                ],
                label: None,
                sources: vec![],
                illustrative: false,
            }],
            summary: Default::default(),
        };
        let mut demo = standard("STANAG-5516", None, &["NATO-STANAG5516ED4"]);
        demo.version = Some("kept".into());
        let got = attach(&mut nisp, &[demo]);
        assert_eq!(
            got,
            [Attached {
                nisp: "nato-stanag5516ed4".into(),
                standard: "STANAG-5516".into()
            }]
        );
        let ids: Vec<&str> = nisp.standards.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["STANAG-5516", "nato-cover", "other"]);
        let s = &nisp.standards[0];
        assert_eq!(s.domain, "tactical-data-link");
        assert_eq!(s.title, "title of STANAG-5516");
        assert_eq!(s.tag.as_deref(), Some("STANAG 5516 Ed 4"));
        assert_eq!(s.date.as_deref(), Some("2008-09-29"));
        assert_eq!(s.version.as_deref(), Some("kept"));
        assert_eq!(s.sources.len(), 2);
        assert_eq!(nisp.standards[1].covers, ["STANAG-5516"]);
        let obligated: Vec<&str> = nisp.profiles[0]
            .obligations
            .iter()
            .map(|o| o.standard.as_str())
            .collect();
        assert_eq!(obligated, ["STANAG-5516", "other"]);
        // Matched by tag too.
        let mut nisp2 = Nisp {
            domains: vec![],
            standards: vec![standard("x-ed4", Some("STANAG 9999 Ed 4"), &[])],
            profiles: vec![],
            summary: Default::default(),
        };
        let got = attach(
            &mut nisp2,
            &[standard("STANAG-9999", None, &["stanag 9999 ed 4"])],
        );
        assert_eq!(got.len(), 1);
        assert_eq!(nisp2.standards[0].id, "STANAG-9999");
    }
}
