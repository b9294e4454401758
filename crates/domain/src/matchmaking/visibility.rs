//! What a reader may see of matchmaking (called by [`crate::visible`]). A need or an offer is
//! hidden when its own label, its capability area or its owner is; its systems and standards
//! lists drop hidden entries. An instrument is hidden when its label or any bloc or nation its
//! rules name is: rules read without one of their countries would say something else.

use std::collections::HashSet;

use crate::label::Label;
use crate::model::Dataset;

use super::{Countries, Party};

/// Filters `data`'s matchmaking records in place. `can` is the label rule; the sets are what
/// the reader sees of the registry.
pub(crate) struct Seen<'a> {
    pub nations: &'a HashSet<String>,
    pub blocs: &'a HashSet<String>,
    pub orgs: &'a HashSet<String>,
    pub systems: &'a HashSet<String>,
    pub standards: &'a HashSet<String>,
}

pub(crate) fn retain(data: &mut Dataset, can: &dyn Fn(Option<&Label>) -> bool, seen: &Seen) {
    data.capability_areas.retain(|a| can(a.label.as_ref()));
    let areas: HashSet<String> = data.capability_areas.iter().map(|a| a.id.clone()).collect();
    let owner = |p: &Party| {
        p.bloc.as_ref().is_none_or(|b| seen.blocs.contains(b))
            && p.nation.as_ref().is_none_or(|n| seen.nations.contains(n))
            && p.organization
                .as_ref()
                .is_none_or(|o| seen.orgs.contains(o))
    };
    data.needs
        .retain(|x| can(x.label.as_ref()) && areas.contains(&x.area) && owner(&x.owner));
    data.offers
        .retain(|x| can(x.label.as_ref()) && areas.contains(&x.area) && owner(&x.owner));
    for x in &mut data.needs {
        x.systems.retain(|s| seen.systems.contains(s));
        x.standards.retain(|s| seen.standards.contains(s));
    }
    for x in &mut data.offers {
        x.systems.retain(|s| seen.systems.contains(s));
        x.standards.retain(|s| seen.standards.contains(s));
    }
    let whole = |c: &Countries| {
        c.blocs.iter().all(|b| seen.blocs.contains(&b.bloc))
            && c.nations.iter().all(|n| seen.nations.contains(n))
    };
    data.instruments
        .retain(|i| can(i.label.as_ref()) && whole(&i.rules.eligible) && whole(&i.rules.partners));
}
