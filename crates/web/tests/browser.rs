//! Browser tests in headless Chromium, driven through chromedriver (WebDriver, fantoccini):
//!
//! - **axe-core on every page**: each demo persona signs in through the form and crawls the
//!   site by its same-origin links (bounded: see `axe::Bounds`), in English and in Korean,
//!   and the sign-in page is checked signed out; axe-core (npm) is injected into every page
//!   and no serious or critical violation may remain. Each violation is printed with its rule,
//!   impact, target selectors and page.
//! - **the newcomer's journey** (`browser/journey.rs`): sign in, the dashboard, search, K9,
//!   compare, matrix, what-if, plan, the workspace's meeting, Korean, system forms, sign out;
//!   a screenshot per step in `TARGET/browser-artifacts/NN-step.png`.
//!
//! Needs Chromium, chromedriver and axe-core: `scripts/test` installs them through
//! `scripts/browser-ensure.sh`; without them these tests fail saying so, unless
//! `DEFCOOP_TEST_SKIP_BROWSER=1`.

#[path = "browser/axe.rs"]
mod axe;
#[path = "browser/journey.rs"]
mod journey;
#[path = "browser/site.rs"]
mod site;
#[path = "browser/tools.rs"]
mod tools;

use std::sync::Arc;

use site::Site;
use tools::{Driver, Tools};

/// Where every persona's crawl starts: the pages of the navigation and those the journey's
/// contract names (an absent one is the error page, which is checked too).
const SEEDS: &[&str] = &[
    "/",
    "/transfers",
    "/admin/audit",
    "/search?q=K9",
    "/systems/k9",
    "/interop/pair?a=k9&b=pzh-2000",
    "/interop/matrix?left=nation:KOR&right=bloc:NATO",
    "/interop/whatif",
    "/interop/plan",
    "/systems/new",
    "/workspace",
    "/workspace/meetings/inaugural-meeting",
    "/workspace/minutes/inaugural-meeting-minutes",
    "/workspace/proposals/interop-plan-kor-nato",
    "/workspace/proposals/joint-consultative-body",
    "/workspace/actions",
    "/workspace/timeline?person=seok-jong-gun",
    "/workspace/network",
    "/no-such-page",
];

/// Browser sessions crawling at once (the machine has 2 cores).
const PARALLEL: usize = 2;

/// A page axe must fault (an image without text, an unlabelled field, grey on white): the
/// harness finds what it should before its silence on the site means anything.
const BAD_PAGE: &str = "<!doctype html><html lang=en><head><title>bad</title></head><body><main>\
    <h1>bad</h1><img src=x.png><input name=q><p style='color:#c8c8c8;background:#fff'>faint</p>\
    </main></body></html>";

fn data_url(html: &str) -> String {
    let mut out = String::from("data:text/html;charset=utf-8,");
    for c in html.chars() {
        match c {
            '%' | ' ' | '#' | '"' | '<' | '>' | '\'' | '\n' => {
                out.push_str(&format!("%{:02X}", c as u32))
            }
            c => out.push(c),
        }
    }
    out
}

struct Crawl {
    driver: Arc<Driver>,
    tools: Arc<Tools>,
    site: Arc<Site>,
    budget: axe::Budget,
}

impl Crawl {
    /// One persona's crawl in `lang` (`None`: signed out, the sign-in and setup pages).
    async fn run(&self, persona: Option<usize>, lang: &'static str) -> tools::Res<axe::Report> {
        let session = self.driver.session(&self.tools).await?;
        let c = &session.client;
        let result = async {
            if !axe::preload(c, &self.tools.axe_js).await {
                eprintln!("axe: the browser cannot preload scripts; injecting into each page");
            }
            let bounds = axe::Bounds::from_env();
            let base = &self.site.base;
            let axe_js = &self.tools.axe_js;
            match persona {
                Some(i) => {
                    let p = &self.site.personas[i];
                    site::sign_in(c, &self.site, &format!("/signin?lang={lang}"), p).await?;
                    axe::crawl(c, base, SEEDS, lang, &p.name, axe_js, bounds, &self.budget).await
                }
                None => {
                    let signed_out = axe::Bounds {
                        pages: 10,
                        per_shape: 1,
                    };
                    let seeds = ["/signin", "/setup?token=not-a-token"];
                    axe::crawl(
                        c,
                        base,
                        &seeds,
                        lang,
                        "nobody",
                        axe_js,
                        signed_out,
                        &self.budget,
                    )
                    .await
                }
            }
        }
        .await;
        session.close().await;
        result
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn axe_finds_no_serious_violation_on_any_page() {
    let Some(tools) = tools::tools("axe") else {
        return;
    };
    let tools = Arc::new(tools);
    let driver = Arc::new(Driver::start(&tools, "axe").await);

    // The harness first: axe, injected as on every page, faults a bad page.
    let session = driver.session(&tools).await.expect("a browser session");
    session
        .client
        .goto(&data_url(BAD_PAGE))
        .await
        .expect("the bad page");
    let found = axe::check(
        &session.client,
        &tools.axe_js,
        "the bad page",
        "the harness",
    )
    .await
    .expect("axe runs");
    session.close().await;
    let rules: Vec<&str> = found
        .iter()
        .filter(|v| v.serious())
        .map(|v| v.rule.as_str())
        .collect();
    for rule in ["image-alt", "label", "color-contrast"] {
        assert!(
            rules.contains(&rule),
            "axe misses {rule} on the bad page: {found:#?}"
        );
    }

    let site = Arc::new(Site::start().await);
    let crawl = Arc::new(Crawl {
        driver: driver.clone(),
        tools,
        site: site.clone(),
        budget: axe::Budget::default(),
    });
    let mut runs: Vec<(Option<usize>, &'static str)> = Vec::new();
    for lang in ["en", "ko"] {
        runs.push((None, lang));
        runs.extend((0..site.personas.len()).map(|i| (Some(i), lang)));
    }
    let limit = Arc::new(tokio::sync::Semaphore::new(PARALLEL));
    let mut tasks = tokio::task::JoinSet::new();
    for (persona, lang) in runs {
        let (crawl, limit) = (crawl.clone(), limit.clone());
        tasks.spawn(async move {
            let _turn = limit.acquire_owned().await;
            let who = persona.map_or("nobody".to_string(), |i| {
                crawl.site.personas[i].name.clone()
            });
            (who, lang, crawl.run(persona, lang).await)
        });
    }
    let mut violations = Vec::new();
    let mut failures = Vec::new();
    let mut pages = 0;
    while let Some(done) = tasks.join_next().await {
        let (who, lang, result) = done.expect("a crawl task");
        match result {
            Ok(report) => {
                eprintln!(
                    "axe: {who} ({lang}): {} pages (load {:.1} s, axe {:.1} s){}{}",
                    report.pages.len(),
                    report.load.as_secs_f64(),
                    report.axe.as_secs_f64(),
                    if report.skipped > 0 {
                        format!(", {} links of shapes checked enough", report.skipped)
                    } else {
                        String::new()
                    },
                    if report.cut {
                        ", cut at the page bound"
                    } else {
                        ""
                    }
                );
                pages += report.pages.len();
                violations.extend(report.violations);
            }
            Err(e) => failures.push(format!("{who} ({lang}): {e}")),
        }
    }
    drop(crawl);
    drop(driver);
    assert!(
        failures.is_empty(),
        "crawls failed:\n{}",
        failures.join("\n")
    );
    let (serious, lesser): (Vec<_>, Vec<_>) = violations.into_iter().partition(|v| v.serious());
    if !lesser.is_empty() {
        eprintln!(
            "axe: moderate or minor findings (not failing):\n{}",
            axe::summary(&lesser)
        );
    }
    for v in &serious {
        eprintln!("{v}");
    }
    assert!(
        serious.is_empty(),
        "axe found {} serious or critical violations on {pages} pages:\n{}",
        serious.len(),
        axe::summary(&serious)
    );
    assert!(pages >= 14, "the crawls checked only {pages} pages");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_newcomers_journey() {
    let Some(tools) = tools::tools("journey") else {
        return;
    };
    let driver = Driver::start(&tools, "journey").await;
    let site = Site::start().await;
    let dir = tools::artifacts();
    // Screenshots of an earlier run would pass for this one's.
    if let Ok(entries) = std::fs::read_dir(&dir) {
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().to_string();
            if name.ends_with(".png") && name.as_bytes().first().is_some_and(u8::is_ascii_digit) {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
    let session = driver.session(&tools).await.expect("a browser session");
    let mut j = journey::Journey::new(&session.client, &site, dir);
    let result = journey::walk(&mut j).await;
    session.close().await;
    drop(driver);
    result.unwrap_or_else(|e| panic!("{e}"));
}
