//! The interoperability and flows pages: `/interop/pair`, `/interop/matrix` (and a cell's
//! pairs), `/interop/whatif`, `/interop/plan` with its background jobs, and `/flows`.
//!
//! Every page reads its query string as (name, value) pairs like the API (`interop.rs`), with
//! the same parsing (`interop_api.rs`), refuses unknown parameters, and shows a banner over the
//! labels of the records its answer draws on ([`Marks`]).

mod flows;
mod heat;
pub mod jobs;
mod matrix;
mod pair;
mod plan;
mod whatif;
mod words;

use std::collections::HashSet;

use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use defcoop_domain::label::Policies;
use defcoop_domain::marking::Banner;
use defcoop_domain::model::Dataset;

pub use flows::flows;
pub use jobs::PlanJobs;
pub use matrix::{cell, matrix};
pub use pair::pair;
pub use plan::{job, job_csv, job_json, plan};
pub use whatif::whatif;

use crate::api::ApiError;
use crate::i18n::{text, Lang, Text};
use words::{words, Words};

/// The language of a page and how its links keep it: `&lang=ko` only when the query asked
/// for Korean (otherwise the language is the browser's or the remembered one).
#[derive(Clone, Copy)]
pub(crate) struct Ctx {
    pub lang: Lang,
    /// `""` or `"&lang=ko"`/`"&lang=en"`, appended to links' query strings.
    pub keep: &'static str,
}

impl Ctx {
    pub fn new(q: &[(String, String)], headers: &HeaderMap) -> Ctx {
        let asked = q
            .iter()
            .rev()
            .find(|(k, _)| k == "lang")
            .map(|(_, v)| v.as_str());
        let keep = match asked {
            Some("ko") => "&lang=ko",
            Some("en") => "&lang=en",
            _ => "",
        };
        Ctx {
            lang: Lang::pick(asked, headers),
            keep,
        }
    }

    pub fn t(self) -> &'static Text {
        text(self.lang)
    }

    pub fn w(self) -> &'static Words {
        words(self.lang)
    }

    pub fn render_lang(self) -> defcoop_app::render::Lang {
        match self.lang {
            Lang::En => defcoop_app::render::Lang::En,
            Lang::Ko => defcoop_app::render::Lang::Ko,
        }
    }

    /// `path?query` with the language kept; `query` is already encoded.
    pub fn link(self, path: &str, query: &str) -> String {
        match (query.is_empty(), self.keep.is_empty()) {
            (true, true) => path.to_string(),
            (true, false) => format!("{path}?{}", &self.keep[1..]),
            _ => format!("{path}?{query}{}", self.keep),
        }
    }
}

/// A path segment, percent-encoded (everything but unreserved characters).
pub(crate) fn seg(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A query string from pairs.
pub(crate) fn qs(pairs: &[(&str, &str)]) -> String {
    serde_urlencoded::to_string(pairs).unwrap_or_default()
}

/// A record page's link: `/{plural}/{key}`.
pub(crate) fn record(ctx: Ctx, plural: &str, key: &str) -> String {
    ctx.link(&format!("/{plural}/{}", seg(key)), "")
}

/// The parameters a page knows, besides `lang`: an unknown one is a 400 page.
pub(crate) fn known(q: &[(String, String)], names: &[&str]) -> Result<(), ApiError> {
    let mut all = names.to_vec();
    all.push("lang");
    crate::interop::known(q, &all)
}

/// A page answer.
pub(crate) fn page(status: StatusCode, html: String) -> Response {
    (status, Html(html)).into_response()
}

/// The labels a page's answer draws on, gathered into its banner.
pub(crate) struct Marks<'a> {
    data: &'a Dataset,
    policies: Policies,
    banner: Banner,
}

impl<'a> Marks<'a> {
    pub fn new(data: &'a Dataset) -> Marks<'a> {
        Marks {
            data,
            policies: Policies::new(&data.policies),
            banner: Banner::default(),
        }
    }

    fn add(&mut self, label: Option<&defcoop_domain::Label>) {
        self.banner.add(label, &self.policies);
    }

    /// Every visible system (a page listing them all, e.g. in a choice list).
    pub fn all_systems(&mut self) {
        for s in &self.data.systems {
            self.banner.add(s.label.as_ref(), &self.policies);
        }
    }

    /// What a fleet question draws on: the systems of both fleets and their origin nations,
    /// the chosen domains with their standards and gateways, and the fleets' conformances in
    /// them.
    pub fn fleets(&mut self, systems: &HashSet<&str>, domains: &HashSet<&str>) {
        let data = self.data;
        let mut origins = HashSet::new();
        for s in data
            .systems
            .iter()
            .filter(|s| systems.contains(s.id.as_str()))
        {
            origins.insert(s.origin.as_str());
            self.add(s.label.as_ref());
        }
        for n in data
            .nations
            .iter()
            .filter(|n| origins.contains(n.code.as_str()))
        {
            self.add(n.label.as_ref());
        }
        for d in data
            .domains
            .iter()
            .filter(|d| domains.contains(d.code.as_str()))
        {
            self.add(d.label.as_ref());
        }
        let mut standards = HashSet::new();
        for s in data
            .standards
            .iter()
            .filter(|s| domains.contains(s.domain.as_str()))
        {
            standards.insert(s.id.as_str());
            self.add(s.label.as_ref());
        }
        for g in data
            .gateways
            .iter()
            .filter(|g| domains.contains(g.domain.as_str()))
        {
            self.add(g.label.as_ref());
        }
        for c in data.conformances.iter().filter(|c| {
            systems.contains(c.system.as_str()) && standards.contains(c.standard.as_str())
        }) {
            self.add(c.label.as_ref());
        }
    }

    pub fn system(&mut self, id: &str) {
        let data = self.data;
        if let Some(s) = data.systems.iter().find(|s| s.id == id) {
            self.add(s.label.as_ref());
        }
    }

    pub fn standard(&mut self, id: &str) {
        let data = self.data;
        if let Some(s) = data.standards.iter().find(|s| s.id == id) {
            self.add(s.label.as_ref());
        }
    }

    pub fn gateway(&mut self, id: &str) {
        let data = self.data;
        if let Some(g) = data.gateways.iter().find(|g| g.id == id) {
            self.add(g.label.as_ref());
        }
    }

    pub fn domain(&mut self, code: &str) {
        let data = self.data;
        if let Some(d) = data.domains.iter().find(|d| d.code == code) {
            self.add(d.label.as_ref());
        }
    }

    /// Every visible transfer and nation (what a flows answer may count and name).
    pub fn transfers(&mut self) {
        let data = self.data;
        for t in &data.transfers {
            self.add(t.label.as_ref());
        }
        for n in &data.nations {
            self.add(n.label.as_ref());
        }
        for b in &data.blocs {
            self.add(b.label.as_ref());
        }
    }

    /// The records an action names.
    pub fn action(&mut self, a: &defcoop_engine::Action) {
        use defcoop_engine::Action as A;
        match a {
            A::Test { system, standard } | A::Adopt { system, standard } => {
                self.system(system);
                self.standard(standard);
            }
            A::Field { gateway } => self.gateway(gateway),
            A::Gateway { domain, from, to } => {
                self.domain(domain);
                self.standard(from);
                self.standard(to);
            }
        }
    }

    pub fn text(&self) -> Option<String> {
        self.banner.text()
    }
}

/// A what-if or plan action as its CLI argument (`test:k9:STANAG-4425`).
pub(crate) fn action_arg(a: &defcoop_engine::Action) -> String {
    use defcoop_engine::Action as A;
    match a {
        A::Test { system, standard } => format!("test:{system}:{standard}"),
        A::Adopt { system, standard } => format!("adopt:{system}:{standard}"),
        A::Field { gateway } => format!("field:{gateway}"),
        A::Gateway { domain, from, to } => format!("gateway:{domain}:{from}:{to}"),
    }
}

/// An action as people read it, in the page's language.
pub(crate) fn action_text(a: &defcoop_engine::Action, ctx: Ctx) -> String {
    defcoop_app::render::action_text(a, ctx.render_lang())
}

/// The fleet fields of a form, as typed (echoed back into the form).
#[derive(Default, Clone)]
pub(crate) struct FleetForm {
    pub left: String,
    pub right: String,
    pub domains: String,
    pub on: String,
}

impl FleetForm {
    pub fn of(q: &[(String, String)]) -> FleetForm {
        let join = |name: &str| {
            q.iter()
                .filter(|(k, _)| k == name)
                .map(|(_, v)| v.trim())
                .filter(|v| !v.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        };
        FleetForm {
            left: join("left"),
            right: join("right"),
            domains: join("domain"),
            on: join("on"),
        }
    }

    /// Whether the form was filled in (a question was asked).
    pub fn asked(q: &[(String, String)]) -> bool {
        q.iter().any(|(k, _)| k == "left" || k == "right")
    }
}

/// The fleet question of a page, with domains given space-separated in one field. A form's
/// date left empty (`on=`) means no date, as if the field were not sent.
pub(crate) fn fleet_query(q: &[(String, String)]) -> Result<defcoop_app::MatrixQuery, ApiError> {
    crate::interop_api::fleet_query(&form_pairs(q), true)
}

/// A fleet form's pairs as the API reads them: domains split, an empty date dropped.
pub(crate) fn form_pairs(q: &[(String, String)]) -> Vec<(String, String)> {
    let mut pairs = expand(q, "domain");
    pairs.retain(|(k, v)| k != "on" || !v.trim().is_empty());
    pairs
}

/// `q` with every value of `name` split on whitespace into several (a text field holding a
/// list), and empty values of it dropped.
pub(crate) fn expand(q: &[(String, String)], name: &str) -> Vec<(String, String)> {
    let mut out = Vec::with_capacity(q.len());
    for (k, v) in q {
        if k == name {
            out.extend(v.split_whitespace().map(|p| (k.clone(), p.to_string())));
        } else {
            out.push((k.clone(), v.clone()));
        }
    }
    out
}

/// The normalized query of a fleet question: one filter per value, `on` resolved.
pub(crate) fn fleet_pairs(q: &defcoop_app::MatrixQuery) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for f in &q.left {
        out.push(("left".to_string(), f.clone()));
    }
    for f in &q.right {
        out.push(("right".to_string(), f.clone()));
    }
    for d in &q.domains {
        out.push(("domain".to_string(), d.clone()));
    }
    if let Some(on) = q.on {
        out.push(("on".to_string(), on.to_string()));
    }
    out
}

/// A query string of owned pairs.
pub(crate) fn qs_owned(pairs: &[(String, String)]) -> String {
    serde_urlencoded::to_string(pairs).unwrap_or_default()
}
