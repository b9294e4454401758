//! `/admin/audit`: the audit log for administrators, newest first, filtered by user, record
//! and time, a page of 100 at a time, with a check of the whole chain on request.

use askama::Template;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Html;
use defcoop_app::render::{datetime, parse_date};
use defcoop_domain::account::Permission;
use defcoop_store::{AuditFilter, Verdict};
use serde::Deserialize;

use crate::auth::Who;
use crate::error::Query;
use crate::i18n::{text, Lang, Text};
use crate::{AppState, WebError};

const PAGE: i64 = 100;

pub struct AuditText {
    title: &'static str,
    intro: &'static str,
    user: &'static str,
    record: &'static str,
    since: &'static str,
    until: &'static str,
    time: &'static str,
    action: &'static str,
    subject: &'static str,
    detail: &'static str,
    digests: &'static str,
    none: &'static str,
    older: &'static str,
    verify: &'static str,
    whole: &'static str,
    broken: &'static str,
    bad_record: &'static str,
    bad_date: &'static str,
}

const EN: AuditText = AuditText {
    title: "Audit log",
    intro: "Every write, newest first: who, when, what, and the digests of what it replaced and wrote. Entries are chained by hash.",
    user: "User",
    record: "Record (kind:key)",
    since: "From (date)",
    until: "Before (date)",
    time: "Time (UTC)",
    action: "Action",
    subject: "Subject",
    detail: "Detail",
    digests: "Before → after",
    none: "No entry matches.",
    older: "Older entries",
    verify: "Check the whole chain",
    whole: "The chain is whole: entries",
    broken: "The chain is broken at entry",
    bad_record: "Record: expected KIND:KEY, e.g. system:k9",
    bad_date: "Dates are YYYY-MM-DD",
};

const KO: AuditText = AuditText {
    title: "감사 기록",
    intro: "모든 쓰기를 최신순으로 보여 줍니다: 누가, 언제, 무엇을, 그리고 바뀌기 전과 후의 다이제스트. 항목은 해시로 연결됩니다.",
    user: "사용자",
    record: "기록 (종류:키)",
    since: "시작 (날짜)",
    until: "이전 (날짜)",
    time: "시각 (UTC)",
    action: "작업",
    subject: "대상",
    detail: "내용",
    digests: "이전 → 이후",
    none: "일치하는 항목이 없습니다.",
    older: "이전 항목",
    verify: "전체 체인 검증",
    whole: "체인이 온전합니다: 항목 수",
    broken: "체인이 끊어진 항목",
    bad_record: "기록: 종류:키 형식이어야 합니다 (예: system:k9)",
    bad_date: "날짜는 YYYY-MM-DD 형식입니다",
};

struct Row {
    seq: i64,
    at: String,
    actor: String,
    action: String,
    subject: String,
    detail: String,
    before: String,
    after: String,
    before_short: String,
    after_short: String,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    lang: &'static str,
    t: &'static Text,
    a: &'static AuditText,
    q_user: String,
    q_record: String,
    q_since: String,
    q_until: String,
    error: Option<&'static str>,
    verdict: Option<String>,
    entries: Vec<Row>,
    older: Option<String>,
}

#[derive(Deserialize)]
pub struct AuditQuery {
    lang: Option<String>,
    user: Option<String>,
    record: Option<String>,
    since: Option<String>,
    until: Option<String>,
    before: Option<i64>,
    verify: Option<String>,
}

fn short(d: &str) -> String {
    if d.is_empty() {
        "∅".into()
    } else {
        d.chars().take(8).collect()
    }
}

/// `GET /admin/audit` (administrators only; others 403).
pub async fn page(
    State(state): State<AppState>,
    who: Who,
    Query(q): Query<AuditQuery>,
    headers: HeaderMap,
) -> Result<Html<String>, WebError> {
    let lang = Lang::pick(q.lang.as_deref(), &headers);
    let a = match lang {
        Lang::En => &EN,
        Lang::Ko => &KO,
    };
    who.actor
        .require(Permission::ManageUsers)
        .map_err(WebError::App)?;
    let nonempty = |s: &Option<String>| {
        s.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let mut page = AuditPage {
        lang: lang.code(),
        t: text(lang),
        a,
        q_user: nonempty(&q.user).unwrap_or_default(),
        q_record: nonempty(&q.record).unwrap_or_default(),
        q_since: nonempty(&q.since).unwrap_or_default(),
        q_until: nonempty(&q.until).unwrap_or_default(),
        error: None,
        verdict: None,
        entries: vec![],
        older: None,
    };
    let record = match nonempty(&q.record) {
        None => None,
        Some(r) => match r.split_once(':') {
            Some((k, v)) if !k.is_empty() && !v.is_empty() => Some((k.to_string(), v.to_string())),
            _ => {
                page.error = Some(a.bad_record);
                return Ok(Html(page.render()?));
            }
        },
    };
    let date = |s: Option<String>| -> Result<Option<i64>, ()> {
        match s {
            None => Ok(None),
            Some(s) => parse_date(&s).map(|d| Some(d * 1000)).ok_or(()),
        }
    };
    let (Ok(from_ms), Ok(to_ms)) = (date(nonempty(&q.since)), date(nonempty(&q.until))) else {
        page.error = Some(a.bad_date);
        return Ok(Html(page.render()?));
    };
    let filter = AuditFilter {
        actor: nonempty(&q.user),
        record,
        from_ms,
        to_ms,
        before_seq: q.before,
        limit: PAGE,
    };
    let entries = state.app.audit(&who.actor, &filter).await?;
    if q.verify.is_some() {
        page.verdict = Some(match state.app.verify_audit().await? {
            Verdict::Whole { entries, head } => format!("{} {entries} · {head}", a.whole),
            Verdict::Broken { seq, why } => format!("{} {seq}: {why}", a.broken),
        });
    }
    if entries.len() as i64 == PAGE {
        if let Some(last) = entries.last() {
            let mut query: Vec<(&str, String)> = vec![];
            for (k, v) in [
                ("user", &page.q_user),
                ("record", &page.q_record),
                ("since", &page.q_since),
                ("until", &page.q_until),
            ] {
                if !v.is_empty() {
                    query.push((k, v.clone()));
                }
            }
            query.push(("before", last.seq.to_string()));
            page.older = Some(format!(
                "/admin/audit?{}",
                serde_urlencoded::to_string(&query).unwrap_or_default()
            ));
        }
    }
    page.entries = entries
        .into_iter()
        .map(|e| Row {
            seq: e.seq,
            at: datetime(e.at.div_euclid(1000)),
            before_short: short(&e.digest_before),
            after_short: short(&e.digest_after),
            actor: e.actor,
            action: e.action,
            subject: e.subject,
            detail: e.detail,
            before: e.digest_before,
            after: e.digest_after,
        })
        .collect();
    Ok(Html(page.render()?))
}
