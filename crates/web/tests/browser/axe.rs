//! axe-core through WebDriver: inject the file's JavaScript into the page, `axe.run()` it, and
//! crawl a site by its same-origin links running it on every page.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex};

use std::time::{Duration, Instant};

use fantoccini::Client;
use serde::Deserialize;

use super::tools::Res;

/// One axe violation on one page.
#[derive(Clone, Debug)]
pub struct Violation {
    pub rule: String,
    pub impact: String,
    pub help: String,
    pub targets: Vec<String>,
    pub page: String,
    pub who: String,
}

impl Violation {
    pub fn serious(&self) -> bool {
        matches!(self.impact.as_str(), "serious" | "critical")
    }
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "[{}] {} ({}) on {} as {}: {}",
            self.impact,
            self.rule,
            self.help,
            self.page,
            self.who,
            self.targets.join(" | ")
        )
    }
}

#[derive(Deserialize)]
struct Found {
    id: String,
    impact: Option<String>,
    help: String,
    targets: Vec<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Answer {
    Ok { violations: Vec<Found> },
    Failed { error: String },
}

/// Runs axe on the page with every rule it has (WCAG 2.x A and AA, best practices); the
/// violations only.
const RUN: &str = r#"
const done = arguments[arguments.length - 1];
if (typeof axe === 'undefined') { done({ error: 'axe-core did not load' }); return; }
axe.run(document, { resultTypes: ['violations'] }).then(r => done({
  violations: r.violations.map(v => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    targets: v.nodes.map(n => n.target.map(t => Array.isArray(t) ? t.join(' >>> ') : String(t)).join(' / ')),
  })),
})).catch(e => done({ error: String(e) }));
"#;

/// Chromium's DevTools command `Page.addScriptToEvaluateOnNewDocument` through chromedriver
/// (`goog/cdp/execute`): axe-core is sent once per session and every page loads it itself.
#[derive(Debug)]
struct OnEveryPage(String);

impl fantoccini::wd::WebDriverCompatibleCommand for OnEveryPage {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}/goog/cdp/execute",
            session.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = serde_json::json!({
            "cmd": "Page.addScriptToEvaluateOnNewDocument",
            "params": { "source": self.0 },
        });
        (http::Method::POST, Some(body.to_string()))
    }
}

/// Makes every page of the session load axe-core; false when the browser cannot (then
/// [`check`] injects it into each page).
pub async fn preload(client: &Client, axe_js: &str) -> bool {
    client
        .issue_cmd(OnEveryPage(axe_js.to_string()))
        .await
        .is_ok()
}

/// axe's violations on the current page (axe-core injected when the page lacks it).
pub async fn check(client: &Client, axe_js: &str, page: &str, who: &str) -> Res<Vec<Violation>> {
    let loaded = client
        .execute("return typeof axe !== 'undefined';", vec![])
        .await?;
    if loaded != serde_json::Value::Bool(true) {
        client.execute(axe_js, vec![]).await?;
    }
    run(client, page, who).await
}

/// axe's violations on the current page, where axe-core is loaded already.
pub async fn run(client: &Client, page: &str, who: &str) -> Res<Vec<Violation>> {
    let answer: Answer = serde_json::from_value(client.execute_async(RUN, vec![]).await?)?;
    match answer {
        Answer::Ok { violations } => Ok(violations
            .into_iter()
            .map(|v| Violation {
                rule: v.id,
                impact: v.impact.unwrap_or_else(|| "unknown".into()),
                help: v.help,
                targets: v.targets,
                page: page.to_string(),
                who: who.to_string(),
            })
            .collect()),
        Answer::Failed { error } => Err(format!("axe.run failed on {page}: {error}").into()),
    }
}

/// How far a crawl goes.
#[derive(Clone, Copy)]
pub struct Bounds {
    /// Pages in all.
    pub pages: usize,
    /// Pages of one shape (see [`shape`]) per language, all personas together (the seeds do
    /// not count): the pages of one template with other records or filters show the same
    /// markup, so every shape is checked, each this often.
    pub per_shape: usize,
}

impl Bounds {
    /// 300 pages per crawl, each shape once per language; `DEFCOOP_BROWSER_MAX_PAGES` and `DEFCOOP_BROWSER_PER_SHAPE`
    /// change them (for a thorough run).
    pub fn from_env() -> Bounds {
        let read = |var: &str, default: usize| {
            std::env::var(var)
                .ok()
                .and_then(|v| v.parse().ok())
                .filter(|n| *n > 0)
                .unwrap_or(default)
        };
        Bounds {
            pages: read("DEFCOOP_BROWSER_MAX_PAGES", 300),
            per_shape: read("DEFCOOP_BROWSER_PER_SHAPE", 1),
        }
    }
}

/// What a crawl saw.
#[derive(Default)]
pub struct Report {
    pub pages: Vec<String>,
    pub violations: Vec<Violation>,
    /// Links not followed because their shape had been visited often enough.
    pub skipped: usize,
    /// Whether the page bound stopped the crawl.
    pub cut: bool,
    /// Time spent loading pages, and running axe on them.
    pub load: Duration,
    pub axe: Duration,
}

/// A same-origin link (path and query) in the crawl's language: any `lang` dropped, then
/// `lang=LANG` added last.
pub fn in_lang(path_query: &str, lang: &str) -> String {
    let (path, query) = path_query.split_once('?').unwrap_or((path_query, ""));
    let mut parts: Vec<&str> = query
        .split('&')
        .filter(|p| !p.is_empty() && *p != "lang" && !p.starts_with("lang="))
        .collect();
    let l = format!("lang={lang}");
    parts.push(&l);
    format!("{path}?{}", parts.join("&"))
}

/// A page's template, roughly: the first path segment, later segments that are plain words
/// (`new`, `edit`, `pair`) and `*` for keys, and the query's parameter names without `lang`.
/// `/systems/k9?lang=ko` and `/systems/pzh-2000` are one shape; `/systems/new` another.
pub fn shape(path_query: &str) -> String {
    let (path, query) = path_query.split_once('?').unwrap_or((path_query, ""));
    let segments: Vec<String> = path
        .split('/')
        .enumerate()
        .map(|(i, s)| {
            let word = !s.is_empty() && s.len() <= 12 && s.bytes().all(|b| b.is_ascii_lowercase());
            if i <= 1 || word {
                s.to_string()
            } else {
                "*".to_string()
            }
        })
        .collect();
    let mut names: Vec<&str> = query
        .split('&')
        .filter_map(|p| p.split('=').next())
        .filter(|n| !n.is_empty() && *n != "lang")
        .collect();
    names.sort_unstable();
    names.dedup();
    format!("{}?{}", segments.join("/"), names.join("&"))
}

/// Links a crawl never follows: the API and downloads, signing out or in elsewhere, and
/// POST-only actions.
fn skip(path_query: &str) -> bool {
    let path = path_query.split('?').next().unwrap_or("");
    let query = path_query.split_once('?').map_or("", |(_, q)| q);
    path.starts_with("/api/")
        || path == "/signout"
        || path.starts_with("/signin/oidc")
        || [".json", ".csv", ".svg", ".xml", ".png", ".txt", ".zip"]
            .iter()
            .any(|ext| path.ends_with(ext))
        || query
            .split('&')
            .any(|p| p.starts_with("format=") && p != "format=html" || p.starts_with("download"))
}

/// Same-origin links of the current page (path and query), without `download` links.
const LINKS: &str = r#"
return Array.from(document.querySelectorAll('a[href]'))
  .filter(a => a.origin === location.origin && !a.hasAttribute('download'))
  .map(a => a.pathname + a.search);
"#;

/// Path and query of the page the browser shows, and its content type.
const WHERE: &str =
    "return [location.origin, location.pathname + location.search, document.contentType];";

/// Pages checked per (language, shape), shared by the crawls of all personas: a template
/// already checked often enough in a language is not checked again by the next persona.
#[derive(Clone, Default)]
pub struct Budget(Arc<Mutex<HashMap<(String, String), usize>>>);

impl Budget {
    /// Takes a visit of `shape` in `lang`, if `per_shape` allows one.
    fn take(&self, lang: &str, shape: String, per_shape: usize) -> bool {
        let mut counts = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let n = counts.entry((lang.to_string(), shape)).or_default();
        if *n >= per_shape {
            return false;
        }
        *n += 1;
        true
    }
}

/// Crawls from `seeds` in `lang`, breadth first, running axe on every page: the seeds always,
/// other pages while the budget of their shape lasts.
#[allow(clippy::too_many_arguments)]
pub async fn crawl(
    client: &Client,
    base: &str,
    seeds: &[&str],
    lang: &str,
    who: &str,
    axe_js: &str,
    bounds: Bounds,
    budget: &Budget,
) -> Res<Report> {
    let mut report = Report::default();
    let mut queue: VecDeque<String> = seeds.iter().map(|s| in_lang(s, lang)).collect();
    let seeds: HashSet<String> = queue.iter().cloned().collect();
    let mut seen = seeds.clone();
    while let Some(page) = queue.pop_front() {
        if skip(&page) {
            continue;
        }
        if report.pages.len() >= bounds.pages {
            report.cut = true;
            break;
        }
        let seed = seeds.contains(&page);
        if !budget.take(
            lang,
            shape(&page),
            if seed { usize::MAX } else { bounds.per_shape },
        ) {
            report.skipped += 1;
            continue;
        }
        let started = Instant::now();
        client.goto(&format!("{base}{page}")).await?;
        let at: (String, String, String) =
            serde_json::from_value(client.execute(WHERE, vec![]).await?)?;
        if at.0 != base {
            return Err(format!("{who}: {page} led off the site, to {}{}", at.0, at.1).into());
        }
        if at.2 != "text/html" {
            continue;
        }
        let shown = if at.1 == page {
            page.clone()
        } else {
            format!("{page} -> {}", at.1)
        };
        report.load += started.elapsed();
        let checked = Instant::now();
        report
            .violations
            .extend(check(client, axe_js, &shown, who).await?);
        report.axe += checked.elapsed();
        report.pages.push(shown);
        let links: Vec<String> = serde_json::from_value(client.execute(LINKS, vec![]).await?)?;
        for link in links {
            let link = in_lang(&link, lang);
            if seen.insert(link.clone()) {
                queue.push_back(link);
            }
        }
    }
    Ok(report)
}

/// The violations grouped by rule and impact, each with the pages and targets it was found
/// on (a rule broken by a template shows once, not once per page).
pub fn summary(violations: &[Violation]) -> String {
    let mut by: BTreeMap<(String, String), (String, Vec<String>)> = BTreeMap::new();
    for v in violations {
        let entry = by
            .entry((v.impact.clone(), v.rule.clone()))
            .or_insert_with(|| (v.help.clone(), Vec::new()));
        entry.1.push(format!(
            "    {} as {}: {}",
            v.page,
            v.who,
            v.targets.join(" | ")
        ));
    }
    let mut out = String::new();
    for ((impact, rule), (help, lines)) in by {
        out.push_str(&format!(
            "  [{impact}] {rule}: {help} ({} pages)\n",
            lines.len()
        ));
        for l in lines {
            out.push_str(&l);
            out.push('\n');
        }
    }
    out
}
