//! The dashboard at the top of `/`: who is signed in, what they may read of each kind (with
//! links to the lists), and shortcuts. Made per request (it names the user) and spliced into
//! the overview page, which is rendered once per view.

use askama::Template;
use defcoop_app::View;
use defcoop_domain::model::Kind;

use super::fields::kind_label;
use super::words::{words, Words};
use crate::auth::Who;
use crate::i18n::Lang;
use crate::links;

/// Where the dashboard goes in the overview page.
pub const MARKER: &str = "<!--dashboard-->";

pub struct KindCount {
    pub label: &'static str,
    pub href: String,
    pub count: usize,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct Dashboard {
    w: &'static Words,
    name: String,
    roles: String,
    kinds: Vec<KindCount>,
    may_write: bool,
    new_system: String,
}

/// The dashboard block for `who`.
pub fn block(lang: Lang, who: &Who, view: &View) -> Result<String, askama::Error> {
    let data = view.data();
    Dashboard {
        w: words(lang),
        name: who.actor.name().to_string(),
        roles: who
            .actor
            .roles()
            .iter()
            .map(|r| defcoop_app::render::Labelled::label(*r, lang.render()))
            .collect::<Vec<_>>()
            .join(", "),
        kinds: Kind::ALL
            .into_iter()
            .map(|k| KindCount {
                label: kind_label(lang, k, true),
                href: links::list(k),
                count: data.count(k),
            })
            .collect(),
        may_write: super::may_write(who, Kind::System),
        new_system: super::words::new_kind(lang, kind_label(lang, Kind::System, false)),
    }
    .render()
}
