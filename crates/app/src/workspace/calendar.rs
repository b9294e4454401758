//! Calendars as iCalendar (RFC 5545; docs/WORKSPACE.md#calendars): a body's meetings, a
//! person's meetings and engagements, one meeting, or every meeting and engagement a reader
//! sees. Each is computed over the reader's view, so a hidden meeting is in no calendar and
//! an unknown or hidden body, person or meeting is "not found"; every zone the events use
//! gets its `VTIMEZONE` (`defcoop_domain::workspace::ics`), and `DTSTAMP` is the application's
//! clock.
//!
//! **Feeds.** Calendar programs fetch a subscription without signing in, so a user's
//! personal calendar is also served at a secret URL: a calendar feed is a token of scope
//! `calendar` (stored as its SHA-256, listed and revoked like API tokens, each write audited),
//! good for nothing but that user's calendar — every meeting and engagement the user may read,
//! their view exactly — while an API token opens no feed. A disabled user's feeds, and
//! revoked or expired ones, are refused with the same words as any bad credential.

use defcoop_domain::account::TokenScope;
use defcoop_domain::model::{Dataset, Kind};
use defcoop_domain::workspace::ics::{self, Event};
use defcoop_store::TokenInfo;

use super::{not_found, zones};
use crate::accounts::NewToken;
use crate::readmodel::find;
use crate::{compute, Actor, App, AppError, Result};

/// Which calendar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CalendarScope {
    /// A body's meetings.
    Body(String),
    /// A person's meetings and engagements.
    Person(String),
    /// One meeting.
    Meeting(String),
    /// Every meeting and engagement the reader sees.
    Everything,
}

/// Where a feed is served, below the server's public URL: `/calendar/feed/SECRET.ics`.
pub fn feed_path(secret: &str) -> String {
    format!("/calendar/feed/{secret}.ics")
}

impl App {
    /// A calendar of what `actor` sees: a body's meetings, a person's meetings and
    /// engagements, one meeting, or everything. Events are in order of their start (in
    /// absolute time), then of their UID.
    pub async fn calendar(&self, actor: &Actor, scope: &CalendarScope) -> Result<String> {
        let data = self.workspace(actor).await?;
        let who = actor.name().to_string();
        let scope = scope.clone();
        let stamp = self.now();
        compute(move || {
            let (name, events) = chosen(&data, &scope, &who)?;
            // Stored times exist in their zones (validation refuses the others).
            ics::calendar(&name, &events, stamp).map_err(AppError::Internal)
        })
        .await
    }

    /// A new calendar feed of `user`'s personal calendar: any user for themself, admins for
    /// anyone. Its secret (the last segment of the feed's URL) is in the answer, once; it
    /// expires after `days` (default [`crate::AuthPolicy::feed_days`]).
    pub async fn create_feed(
        &self,
        actor: &Actor,
        user: &str,
        days: Option<i64>,
    ) -> Result<NewToken> {
        let days = days.unwrap_or(self.auth_policy().feed_days);
        self.issue_token(actor, user, days, TokenScope::Calendar)
            .await
    }

    /// Calendar feeds (never their secrets): admins see anyone's (`user`, or all), a user
    /// only their own.
    pub async fn feeds(&self, actor: &Actor, user: Option<&str>) -> Result<Vec<TokenInfo>> {
        self.tokens_of(actor, user, TokenScope::Calendar).await
    }

    /// Revokes a calendar feed at once (its next fetch is refused): admins anyone's, a user
    /// their own; others', and API tokens, are "not found".
    pub async fn revoke_feed(&self, actor: &Actor, id: &str) -> Result<TokenInfo> {
        self.revoke_of(actor, id, TokenScope::Calendar).await
    }

    /// The personal calendar a feed's secret opens: every meeting and engagement its user may
    /// read (their view exactly). A secret that is not a live feed of an enabled user (an API
    /// token included) is refused with [`crate::accounts::BAD_CREDENTIALS`], whatever was
    /// wrong.
    pub async fn calendar_for_feed(&self, secret: &str) -> Result<String> {
        let user = self.token_user(secret, TokenScope::Calendar).await?;
        self.calendar(&Actor::user(&user), &CalendarScope::Everything)
            .await
    }
}

/// The calendar's name and events.
fn chosen(data: &Dataset, scope: &CalendarScope, who: &str) -> Result<(String, Vec<Event>)> {
    let (name, mut events): (String, Vec<Event>) = match scope {
        CalendarScope::Body(id) => {
            let body = find(&data.bodies, id.as_str()).ok_or_else(|| not_found(Kind::Body, id))?;
            let events = data
                .meetings
                .iter()
                .filter(|m| m.body.as_ref() == Some(id))
                .map(Event::of_meeting)
                .collect();
            (format!("{} — meetings", body.name), events)
        }
        CalendarScope::Person(id) => {
            let person =
                find(&data.people, id.as_str()).ok_or_else(|| not_found(Kind::Person, id))?;
            let meetings = data
                .meetings
                .iter()
                .filter(|m| m.participants.iter().any(|p| p.person == *id))
                .map(Event::of_meeting);
            let engagements = data
                .engagements
                .iter()
                .filter(|e| e.participants.contains(id))
                .map(Event::of_engagement);
            (
                format!("{} — meetings and engagements", person.name),
                meetings.chain(engagements).collect(),
            )
        }
        CalendarScope::Meeting(id) => {
            let m =
                find(&data.meetings, id.as_str()).ok_or_else(|| not_found(Kind::Meeting, id))?;
            (m.title.clone(), vec![Event::of_meeting(m)])
        }
        CalendarScope::Everything => (
            format!("defcoop — meetings and engagements ({who})"),
            data.meetings
                .iter()
                .map(Event::of_meeting)
                .chain(data.engagements.iter().map(Event::of_engagement))
                .collect(),
        ),
    };
    events.sort_by_cached_key(|e| (zones::start_seconds(&e.start, &e.zone), e.uid.clone()));
    Ok((name, events))
}
