//! `/workspace`: the hub — upcoming and recent meetings, proposals by state, action items with
//! their computed state, recent engagements, and links to the registry's lists and forms of
//! the workspace's kinds.

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use defcoop_app::workspace::{ActionState, MeetingQuery};
use defcoop_domain::account::Permission;
use defcoop_domain::marking::Banner;
use defcoop_domain::model::Kind;
use defcoop_domain::workspace::{MeetingStatus, ProposalStatus};

use super::actions::{action_row, ActionRow};
use super::{ctx_of, html, page_link, say, when, Words};
use crate::api::ApiError;
use crate::auth::Who;
use crate::i18n::Text;
use crate::interop::pairs;
use crate::interop_pages::known;
use crate::registry::fields::kind_label;
use crate::registry::show::{Cell, Lookup};
use crate::{links, AppState};

/// Most meetings, engagements and action items each part of the hub lists.
const MAX_LISTED: usize = 10;

pub struct MeetingRow {
    pub title: Cell,
    pub when: String,
    pub place: String,
    pub status: &'static str,
    pub marking: Option<String>,
}

pub struct ProposalGroup {
    pub status: &'static str,
    pub items: Vec<(Cell, Option<String>)>,
}

pub struct EngagementRow {
    pub title: Cell,
    pub when: String,
    pub place: String,
    pub people: Vec<Cell>,
}

pub struct KindLink {
    pub label: &'static str,
    pub list: String,
    /// The new-record form, and its link's words ("New meeting").
    pub new: Option<(String, String)>,
    pub count: usize,
}

#[derive(Template)]
#[template(path = "ws_hub.html")]
struct HubPage {
    lang: &'static str,
    t: &'static Text,
    w: &'static Words,
    banner: Option<String>,
    upcoming: Vec<MeetingRow>,
    recent: Vec<MeetingRow>,
    proposals: Vec<ProposalGroup>,
    actions: Vec<ActionRow>,
    /// The action table's status buttons are the actions page's, not the hub's.
    show_buttons: bool,
    csrf: String,
    owner: String,
    state: String,
    actions_total: usize,
    overdue: usize,
    actions_href: String,
    engagements: Vec<EngagementRow>,
    kinds: Vec<KindLink>,
    network_href: String,
}

/// `GET /workspace`.
pub async fn hub(
    State(state): State<AppState>,
    who: Who,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let q = pairs(raw)?;
    let ctx = ctx_of(&q, &headers);
    known(&q, &[])?;
    let w = ctx.w_ws();
    // Everything: an action item done in the registry links a conformance or a gateway,
    // whose label the banner covers.
    let data = state
        .app
        .view(&who.actor, defcoop_store::Parts::All)
        .await?
        .data_arc();
    let look = Lookup::new(&data, ctx.lang);
    let mut banner = Banner::default();
    let today = state.app.today().to_string();

    let meetings = state
        .app
        .meetings(&who.actor, &MeetingQuery::default())
        .await?;
    let row = |m: &defcoop_domain::Meeting, banner: &mut Banner| {
        banner.add(m.label.as_ref(), &look.policies);
        MeetingRow {
            title: super::cell(m.title.clone(), page_link(ctx, "meetings", &m.id)),
            when: when(&m.start, &m.time_zone),
            place: m.place.clone().unwrap_or_default(),
            status: say(ctx, m.status),
            marking: look.marking(m.label.as_ref()),
        }
    };
    let (soon, past): (Vec<_>, Vec<_>) = meetings.iter().partition(|m| {
        m.status == MeetingStatus::Planned && m.start.get(..10).unwrap_or("") >= today.as_str()
    });
    let upcoming = soon
        .into_iter()
        .take(MAX_LISTED)
        .map(|m| row(m, &mut banner))
        .collect();
    let recent = past
        .into_iter()
        .rev()
        .take(MAX_LISTED)
        .map(|m| row(m, &mut banner))
        .collect();

    let proposals = ProposalStatus::ALL
        .iter()
        .map(|s| ProposalGroup {
            status: say(ctx, *s),
            items: data
                .proposals
                .iter()
                .filter(|p| p.status == *s)
                .map(|p| {
                    banner.add(p.label.as_ref(), &look.policies);
                    (
                        super::cell(p.title.clone(), page_link(ctx, "proposals", &p.id)),
                        look.marking(p.label.as_ref()),
                    )
                })
                .collect(),
        })
        .filter(|g| !g.items.is_empty())
        .collect();

    let all_actions = state.app.action_items(&who.actor, None, None).await?;
    let overdue = all_actions
        .iter()
        .filter(|a| a.state == ActionState::Overdue)
        .count();
    // Open work first (overdue, done in the registry, open), then the rest.
    let mut ordered: Vec<_> = all_actions.iter().collect();
    ordered.sort_by_key(|a| match a.state {
        ActionState::Overdue => 0,
        ActionState::DoneInRegistry => 1,
        ActionState::Open => 2,
        ActionState::Done => 3,
        ActionState::Cancelled => 4,
    });
    let actions = ordered
        .into_iter()
        .take(MAX_LISTED)
        .map(|a| action_row(ctx, &look, &mut banner, a))
        .collect();
    for a in &all_actions {
        banner.add(a.item.label.as_ref(), &look.policies);
    }

    let mut engagements: Vec<&defcoop_domain::Engagement> = data.engagements.iter().collect();
    engagements.sort_by(|a, b| (&b.start, &b.id).cmp(&(&a.start, &a.id)));
    let engagements = engagements
        .into_iter()
        .take(MAX_LISTED)
        .map(|e| {
            banner.add(e.label.as_ref(), &look.policies);
            EngagementRow {
                title: look.link(Kind::Engagement, &e.id, &mut banner),
                when: when(&e.start, &e.time_zone),
                place: e.place.clone().unwrap_or_default(),
                people: e
                    .participants
                    .iter()
                    .map(|p| {
                        let mut c = look.link(Kind::Person, p, &mut banner);
                        c.note = None;
                        c.href = Some(ctx.link(
                            "/workspace/timeline",
                            &crate::interop_pages::qs(&[("person", p)]),
                        ));
                        c
                    })
                    .collect(),
            }
        })
        .collect();
    super::cover_workspace(&data, &look, &mut banner);

    let kinds = [
        Kind::Body,
        Kind::Meeting,
        Kind::Minutes,
        Kind::Proposal,
        Kind::Decision,
        Kind::ActionItem,
        Kind::Engagement,
    ]
    .into_iter()
    .map(|k| KindLink {
        label: kind_label(ctx.lang, k, true),
        list: ctx.link(&links::list(k), ""),
        new: who.actor.may(Permission::to_write(k)).then(|| {
            (
                format!("{}/new", links::list(k)),
                crate::registry::words::new_kind(ctx.lang, kind_label(ctx.lang, k, false)),
            )
        }),
        count: data.count(k),
    })
    .collect();

    let page = HubPage {
        lang: ctx.lang.code(),
        t: ctx.t(),
        w,
        banner: banner.text(),
        upcoming,
        recent,
        proposals,
        actions,
        show_buttons: false,
        csrf: String::new(),
        owner: String::new(),
        state: String::new(),
        actions_total: all_actions.len(),
        overdue,
        actions_href: ctx.link("/workspace/actions", ""),
        engagements,
        kinds,
        network_href: ctx.link("/workspace/network", ""),
    };
    html(StatusCode::OK, page.render())
}
