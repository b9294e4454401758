//! The newcomer's journey (issue 12): one function per step, in order, each leaving a
//! screenshot `TARGET/browser-artifacts/NN-step.png`.
//!
//! What the steps rely on: a search box `form[role=search] input[name=q]` on every
//! page, results at `/search?q=K9` linking to `/systems/{id}`; a system page `/systems/{id}`
//! with a "Compare" link to `/interop/pair?a={id}`; the pair page's form fields `a` and `b`;
//! the matrix `/interop/matrix?left=operator:KOR&right=operator:NATO` whose heatmap cells are links;
//! `/interop/whatif`; `/interop/plan`; the header's `/workspace` link and its meeting
//! `/workspace/meetings/inaugural-meeting` with a `table.times`; the system forms `/systems/new` and
//! `/systems/{id}/edit` with inputs named after the dataset's fields.

use std::path::PathBuf;
use std::time::Duration;

use fantoccini::key::Key;
use fantoccini::{Client, Locator};

use super::site::{self, Site};
use super::tools::{self, Res};

pub struct Step {
    pub slug: &'static str,
    /// What the step does, for the log.
    pub what: &'static str,
}

pub const STEPS: &[Step] = &[
    Step {
        slug: "sign-in",
        what: "sign in through the form as dapa-officer",
    },
    Step {
        slug: "dashboard",
        what: "open the dashboard /",
    },
    Step {
        slug: "search-k9",
        what: "find K9 with the search box",
    },
    Step {
        slug: "open-k9",
        what: "open K9's page from the results",
    },
    Step {
        slug: "compare-pzh-2000",
        what: "compare K9 with PzH 2000 (Compare, then b=pzh-2000)",
    },
    Step {
        slug: "matrix",
        what: "fleet matrix of Korea against NATO",
    },
    Step {
        slug: "matrix-cell",
        what: "drill into a heatmap cell",
    },
    Step {
        slug: "whatif",
        what: "try a what-if",
    },
    Step {
        slug: "plan",
        what: "run a plan and wait for its result",
    },
    Step {
        slug: "workspace-meeting",
        what: "open the demo meeting's workspace page from the header; Seoul and Brussels times",
    },
    Step {
        slug: "korean",
        what: "switch to Korean with the 한국어 link",
    },
    Step {
        slug: "korean-remembered",
        what: "Korean is remembered without ?lang (cookie)",
    },
    Step {
        slug: "create-system",
        what: "create a system through /systems/new",
    },
    Step {
        slug: "edit-system",
        what: "edit it through /systems/{id}/edit",
    },
    Step {
        slug: "sign-out",
        what: "sign out; pages ask to sign in again",
    },
];

/// The system the journey creates and edits.
const NEW_ID: &str = "journey-k9-testbed";
const NEW_NAME: &str = "Journey test howitzer";

pub struct Journey<'a> {
    pub client: &'a Client,
    pub site: &'a Site,
    pub dir: PathBuf,
    /// Where the search led to K9 (`/systems/k9` when the search step did not run).
    k9: String,
    /// Whether the step took its own screenshot.
    shot: bool,
}

impl<'a> Journey<'a> {
    pub fn new(client: &'a Client, site: &'a Site, dir: PathBuf) -> Self {
        Journey {
            client,
            site,
            dir,
            k9: "/systems/k9".into(),
            shot: false,
        }
    }

    pub async fn run(&mut self, slug: &str) -> Res<()> {
        match slug {
            "sign-in" => self.sign_in().await,
            "dashboard" => self.dashboard().await,
            "search-k9" => self.search_k9().await,
            "open-k9" => self.open_k9().await,
            "compare-pzh-2000" => self.compare().await,
            "matrix" => self.matrix().await,
            "matrix-cell" => self.matrix_cell().await,
            "whatif" => self.whatif().await,
            "plan" => self.plan().await,
            "workspace-meeting" => self.workspace_meeting().await,
            "korean" => self.korean().await,
            "korean-remembered" => self.korean_remembered().await,
            "create-system" => self.create_system().await,
            "edit-system" => self.edit_system().await,
            "sign-out" => self.sign_out().await,
            other => Err(format!("no step {other}").into()),
        }
    }

    async fn goto(&self, path: &str) -> Res<()> {
        Ok(self.client.goto(&self.site.url(path)).await?)
    }

    async fn css(&self, selector: &str) -> Res<fantoccini::elements::Element> {
        match self.client.find(Locator::Css(selector)).await {
            Ok(e) => Ok(e),
            Err(e) => {
                let at = self.path().await.unwrap_or_default();
                Err(format!("no {selector} on {at}: {e}").into())
            }
        }
    }

    async fn path(&self) -> Res<String> {
        let url = self.client.current_url().await?;
        Ok(match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_string(),
        })
    }

    async fn text(&self) -> Res<String> {
        Ok(self.css("body").await?.text().await?)
    }

    async fn lang(&self) -> Res<String> {
        Ok(self
            .css("html")
            .await?
            .attr("lang")
            .await?
            .unwrap_or_default())
    }

    /// Fails when the page is an error page or shows an error message.
    async fn no_error(&self, step: &str) -> Res<()> {
        let alerts = self
            .client
            .find_all(Locator::Css(".error, [role=alert]"))
            .await?;
        for a in alerts {
            let t = a.text().await?;
            if !t.trim().is_empty() {
                return Err(format!("{step}: {} shows an error: {t}", self.path().await?).into());
            }
        }
        Ok(())
    }

    /// Sets a form field by name (text inputs are cleared first; selects by value).
    async fn set(&self, form: &str, name: &str, value: &str) -> Res<()> {
        let field = self.css(&format!("{form} [name='{name}']")).await?;
        if field.tag_name().await?.eq_ignore_ascii_case("select") {
            field.select_by_value(value).await?;
        } else {
            field.clear().await?;
            field.send_keys(value).await?;
        }
        Ok(())
    }

    /// Clicks the form's submit button.
    async fn submit(&self, form: &str) -> Res<()> {
        self.css(&format!(
            "{form} button:not([type=button]):not([type=reset]), {form} input[type=submit]"
        ))
        .await?
        .click()
        .await?;
        Ok(())
    }

    /// By keyboard: the user name has the focus, Tab reaches the password, Enter submits.
    async fn sign_in(&mut self) -> Res<()> {
        let who = self.site.persona("dapa-officer");
        self.goto("/signin").await?;
        let name = self.client.active_element().await?;
        if name.attr("name").await?.as_deref() != Some("name") {
            return Err("the sign-in page does not put the focus on the user name".into());
        }
        name.send_keys(&who.name).await?;
        name.send_keys(&Key::Tab.to_string()).await?;
        let password = self.client.active_element().await?;
        if password.attr("name").await?.as_deref() != Some("password") {
            return Err("Tab from the user name does not reach the password".into());
        }
        password.send_keys(&who.password).await?;
        tools::screenshot(self.client, &self.dir, "01-sign-in.png").await?;
        self.shot = true;
        password.send_keys(&Key::Enter.to_string()).await?;
        site::wait_until_path(self.client, |p| p != "/signin").await?;
        let bar = self.css(".account").await?.text().await?;
        if !bar.contains(&who.name) {
            return Err(format!("after signing in, the account bar says {bar:?}").into());
        }
        Ok(())
    }

    async fn dashboard(&mut self) -> Res<()> {
        self.goto("/").await?;
        let path = self.path().await?;
        if path != "/" {
            return Err(format!("the dashboard / led to {path}").into());
        }
        self.css("main").await?;
        let h1 = self.css("h1").await?.text().await?;
        if h1.trim().is_empty() {
            return Err("the dashboard has an empty h1".into());
        }
        self.no_error("dashboard").await?;
        let text = self.text().await?;
        if !text.contains("dapa-officer") {
            return Err("the dashboard does not name who is signed in".into());
        }
        Ok(())
    }

    async fn search_k9(&mut self) -> Res<()> {
        self.goto("/").await?;
        let q = self.css("form[role=search] input[name=q]").await?;
        q.send_keys("K9").await?;
        q.send_keys(&Key::Enter.to_string()).await?;
        let at = site::wait_until_path(self.client, |p| p == "/search").await?;
        if !at.contains("q=K9") {
            return Err(format!("the search went to {at}").into());
        }
        let hit = self.css("main a[href^='/systems/k9']").await?;
        self.k9 = hit
            .attr("href")
            .await?
            .unwrap_or_else(|| "/systems/k9".into());
        Ok(())
    }

    async fn open_k9(&mut self) -> Res<()> {
        match self
            .client
            .find(Locator::Css(&format!("main a[href='{}']", self.k9)))
            .await
        {
            Ok(link) => link.click().await?,
            Err(_) => self.goto(&self.k9.clone()).await?,
        }
        site::wait_until_path(self.client, |p| p.starts_with("/systems/k9")).await?;
        let h1 = self.css("main h2").await?.text().await?;
        if !h1.contains("K9") {
            return Err(format!("K9's page is headed {h1:?}").into());
        }
        Ok(())
    }

    async fn compare(&mut self) -> Res<()> {
        self.css("a[href^='/interop/pair?a=k9']")
            .await?
            .click()
            .await?;
        site::wait_until_path(self.client, |p| p == "/interop/pair").await?;
        let form = "form:has([name=b])";
        self.set(form, "b", "pzh-2000").await?;
        self.submit(form).await?;
        let at = site::wait_until_path(self.client, |p| p == "/interop/pair").await?;
        let at = self.wait_query(&at, "b=pzh-2000").await?;
        if !at.contains("a=k9") {
            return Err(format!("the pair page is at {at}").into());
        }
        self.no_error("compare").await?;
        let text = self.text().await?;
        if !text.contains("PzH 2000") || !text.contains("K9") {
            return Err("the pair page names neither K9 nor PzH 2000".into());
        }
        Ok(())
    }

    /// Waits until the query holds `part` (a GET form's answer).
    async fn wait_query(&self, at: &str, part: &str) -> Res<String> {
        let mut at = at.to_string();
        for _ in 0..100 {
            if at.contains(part) {
                return Ok(at);
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
            at = self.path().await?;
        }
        Err(format!("the form led to {at}, without {part}").into())
    }

    async fn matrix(&mut self) -> Res<()> {
        self.goto("/interop/matrix?left=operator:KOR&right=operator:NATO")
            .await?;
        self.no_error("matrix").await?;
        // The heatmap's cells are links (to the cell's pairs).
        self.cells().await?;
        Ok(())
    }

    async fn cells(&self) -> Res<Vec<fantoccini::elements::Element>> {
        let cells = self
            .client
            .find_all(Locator::Css("table.heat a[href], table.levels td a[href]"))
            .await?;
        if cells.is_empty() {
            return Err("the matrix has no cell links (table.heat a, table.levels td a)".into());
        }
        Ok(cells)
    }

    async fn matrix_cell(&mut self) -> Res<()> {
        let before = self.path().await?;
        let cells = self.cells().await?;
        cells[0].click().await?;
        let mut at = self.path().await?;
        for _ in 0..100 {
            if at != before {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
            at = self.path().await?;
        }
        if at == before {
            return Err("clicking a heatmap cell went nowhere".into());
        }
        self.no_error("matrix cell").await?;
        // A cell's page lists its pairs, each a link to the pair page.
        self.css("main a[href^='/interop/pair?']").await?;
        Ok(())
    }

    /// Fields the demo's planned Link-K gateway and sees tactical data links between the
    /// K9 fleet and NATO's change.
    async fn whatif(&mut self) -> Res<()> {
        self.goto("/interop/whatif?left=operator:KOR&right=operator:NATO")
            .await?;
        let form = "main form:has([name=actions])";
        self.set(form, "actions", "field:gw-link-k-stanag-5516")
            .await?;
        self.submit(form).await?;
        let at = site::wait_until_path(self.client, |p| p == "/interop/whatif").await?;
        self.wait_query(&at, "actions=").await?;
        self.no_error("what-if").await?;
        let summary = self.css("main table.levels").await?.text().await?;
        if !summary.contains('→') {
            return Err(format!("the what-if summary shows no before → after: {summary}").into());
        }
        let text = self.text().await?;
        if !text.contains("gw-link-k-stanag-5516") && !text.contains("Link-K") {
            return Err("the what-if page does not name the action it applied".into());
        }
        Ok(())
    }

    /// Runs a plan as a background job; the job page refreshes itself until the plan is
    /// ready, then offers its JSON and CSV downloads and the before/after heatmaps.
    async fn plan(&mut self) -> Res<()> {
        self.goto("/interop/plan").await?;
        let form = "main form:has([name=budget])";
        self.set(form, "left", "operator:KOR").await?;
        self.set(form, "right", "operator:NATO").await?;
        self.set(form, "budget", "5").await?;
        self.submit(form).await?;
        for _ in 0..600 {
            if self
                .client
                .find(Locator::Css("main a[download]"))
                .await
                .is_ok()
            {
                self.no_error("plan").await?;
                let at = self.path().await?;
                if !at.starts_with("/interop/plan/jobs/") {
                    return Err(format!("the plan finished at {at}, not on its job page").into());
                }
                self.css("main table.heat").await?;
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Err("the plan did not finish (no JSON or CSV download) within 60 s".into())
    }

    /// The header's Workspace link, then the inaugural meeting: its times table shows the
    /// same moment in Brussels (its own zone) and Seoul (a participant's nation).
    async fn workspace_meeting(&mut self) -> Res<()> {
        self.goto("/").await?;
        self.css("header nav a[href='/workspace']")
            .await?
            .click()
            .await?;
        site::wait_until_path(self.client, |p| p == "/workspace").await?;
        self.no_error("workspace").await?;
        self.css("main a[href='/workspace/meetings/inaugural-meeting']")
            .await?
            .click()
            .await?;
        site::wait_until_path(self.client, |p| {
            p == "/workspace/meetings/inaugural-meeting"
        })
        .await?;
        self.no_error("meeting").await?;
        let times = self.css("main table.times").await?.text().await?;
        for shown in [
            "Europe/Brussels",
            "2025-11-20 10:00 +01:00",
            "Asia/Seoul",
            "2025-11-20 18:00 +09:00",
        ] {
            if !times.contains(shown) {
                return Err(format!("the times table lacks {shown:?}: {times:?}").into());
            }
        }
        Ok(())
    }

    async fn korean(&mut self) -> Res<()> {
        self.goto("/").await?;
        self.css("a[hreflang=ko]").await?.click().await?;
        for _ in 0..100 {
            if self.lang().await? == "ko" {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let lang = self.lang().await?;
        if lang != "ko" {
            return Err(format!("after 한국어 the page's lang is {lang:?}").into());
        }
        let text = self.text().await?;
        if !text.chars().any(|c| ('가'..='힣').contains(&c)) {
            return Err("the Korean page shows no Hangul".into());
        }
        self.no_error("korean").await
    }

    async fn korean_remembered(&mut self) -> Res<()> {
        self.goto("/").await?;
        let lang = self.lang().await?;
        if lang != "ko" {
            return Err(format!("/ without ?lang after choosing Korean is lang {lang:?}").into());
        }
        Ok(())
    }

    async fn create_system(&mut self) -> Res<()> {
        self.goto("/systems/new").await?;
        let form = "form:has([name=id])";
        for (name, value) in [
            ("id", NEW_ID),
            ("name", NEW_NAME),
            ("category", "self-propelled-howitzer"),
            ("origin", "KOR"),
            ("producer", "hanwha-aerospace"),
        ] {
            self.set(form, name, value).await?;
        }
        self.submit(form).await?;
        let want = format!("/systems/{NEW_ID}");
        site::wait_until_path(self.client, |p| p == want).await?;
        self.no_error("create").await?;
        let h1 = self.css("main h2").await?.text().await?;
        if !h1.contains(NEW_NAME) {
            return Err(format!("the new system's page is headed {h1:?}").into());
        }
        Ok(())
    }

    async fn edit_system(&mut self) -> Res<()> {
        self.goto(&format!("/systems/{NEW_ID}/edit")).await?;
        let form = "form:has([name=name])";
        let renamed = format!("{NEW_NAME} (edited)");
        self.set(form, "name", &renamed).await?;
        self.submit(form).await?;
        let want = format!("/systems/{NEW_ID}");
        site::wait_until_path(self.client, |p| p == want).await?;
        self.no_error("edit").await?;
        let h1 = self.css("main h2").await?.text().await?;
        if !h1.contains(&renamed) {
            return Err(format!("after editing, the page is headed {h1:?}").into());
        }
        Ok(())
    }

    async fn sign_out(&mut self) -> Res<()> {
        self.goto("/").await?;
        self.submit(".account form[action='/signout']").await?;
        site::wait_until_path(self.client, |p| p != "/").await?;
        self.goto("/").await?;
        let at = site::wait_until_path(self.client, |p| p == "/signin").await?;
        if !at.starts_with("/signin") {
            return Err(format!("after signing out, / led to {at}").into());
        }
        Ok(())
    }
}

/// Runs the steps in order, a screenshot after each. Errors name the step; a failed step
/// leaves `NN-step-failed.png`.
pub async fn walk(j: &mut Journey<'_>) -> Res<()> {
    for (i, step) in STEPS.iter().enumerate() {
        let n = i + 1;
        eprintln!("journey {n:02}-{}: {}", step.slug, step.what);
        j.shot = false;
        match j.run(step.slug).await {
            Ok(()) => {
                let file = format!("{n:02}-{}.png", step.slug);
                if !j.shot {
                    tools::screenshot(j.client, &j.dir, &file).await?;
                }
                eprintln!("  ok, {}", j.dir.join(file).display());
            }
            Err(e) => {
                let shot = tools::screenshot(
                    j.client,
                    &j.dir,
                    &format!("{n:02}-{}-failed.png", step.slug),
                )
                .await;
                let at = j.path().await.unwrap_or_default();
                return Err(format!(
                    "journey step {n:02}-{} ({}) failed at {at}: {e}{}",
                    step.slug,
                    step.what,
                    shot.map(|p| format!("; screenshot {}", p.display()))
                        .unwrap_or_default()
                )
                .into());
            }
        }
    }
    Ok(())
}
