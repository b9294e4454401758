//! The site under test: the real application on port 0 over a fresh SQLite database holding
//! the curated demo dataset, with the demo personas (as `serve --demo` makes them), and
//! signing in through the sign-in form as a person would.

use defcoop_app::accounts::Persona;
use defcoop_app::{Actor, App};
use defcoop_domain::json;
use defcoop_store::{Progress, Store};
use defcoop_web::Application;
use fantoccini::{Client, Locator};

use super::tools::Res;

const DEMO: &str = include_str!("../../../../data/demo/dataset.json");

pub struct Site {
    /// `http://127.0.0.1:PORT`, no trailing slash.
    pub base: String,
    pub personas: Vec<Persona>,
    _dir: tempfile::TempDir,
}

impl Site {
    pub async fn start() -> Site {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let store = Store::open(&dir.path().join("browser.db").display().to_string())
            .await
            .expect("a fresh database");
        let app = App::cached(store).await.expect("the read model");
        let demo = json::parse(DEMO.as_bytes()).expect("the demo dataset is valid");
        app.import(&Actor::operator(), &demo, Progress::NONE)
            .await
            .expect("the demo imports");
        let personas = app.demo_personas().await.expect("the demo personas");
        let server = Application::build(app, "127.0.0.1:0".parse().expect("an address"))
            .await
            .expect("the server binds");
        let base = format!("http://127.0.0.1:{}", server.port());
        tokio::spawn(server.run_until(std::future::pending()));
        Site {
            base,
            personas,
            _dir: dir,
        }
    }

    pub fn persona(&self, name: &str) -> &Persona {
        self.personas
            .iter()
            .find(|p| p.name == name)
            .unwrap_or_else(|| panic!("no demo persona {name}"))
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

/// Signs in through the sign-in form (as a person types it) and waits for the page it leads
/// to. `path` is where the sign-in page is opened (`/signin`, `/signin?lang=ko`).
pub async fn sign_in(client: &Client, site: &Site, path: &str, who: &Persona) -> Res<()> {
    client.goto(&site.url(path)).await?;
    let form = client.form(Locator::Css("form[action^='/signin']")).await?;
    client
        .find(Locator::Css("input[name=name]"))
        .await?
        .send_keys(&who.name)
        .await?;
    client
        .find(Locator::Css("input[name=password]"))
        .await?
        .send_keys(&who.password)
        .await?;
    form.submit().await?;
    wait_until_path(client, |p| p != "/signin").await?;
    let bar = client.find(Locator::Css(".account")).await?.text().await?;
    if !bar.contains(&who.name) {
        return Err(format!(
            "after signing in as {}, the account bar says {bar:?}",
            who.name
        )
        .into());
    }
    Ok(())
}

/// Waits (bounded) until the current URL's path satisfies `ok`; its path and query.
pub async fn wait_until_path(client: &Client, ok: impl Fn(&str) -> bool) -> Res<String> {
    let mut last = String::new();
    for _ in 0..200 {
        let url = client.current_url().await?;
        if ok(url.path()) {
            return Ok(match url.query() {
                Some(q) => format!("{}?{q}", url.path()),
                None => url.path().to_string(),
            });
        }
        last = url.to_string();
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    Err(format!("the browser stayed at {last}").into())
}
