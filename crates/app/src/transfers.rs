//! Arms-transfer queries: filtered, paged, over the actor's view.

use std::sync::Arc;

use defcoop_domain::model::{Kind, Transfer};
use defcoop_store::Parts;
use serde::{Deserialize, Serialize};

use crate::readmodel::{find, View};
use crate::{Actor, App, AppError, Result};

/// Most transfers one page returns.
pub const MAX_LIMIT: usize = 1000;
/// Largest `offset` a query may give (far past any register; keeps the number in what every
/// client's integers hold).
pub const MAX_OFFSET: usize = u32::MAX as usize;
const DEFAULT_LIMIT: usize = 100;

/// A transfer query as it arrives (query string, form): every field text, validated by
/// [`TransferQuery::validate`]. Years bound the delivery years.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct TransferQuery {
    pub supplier: Option<String>,
    pub recipient: Option<String>,
    pub system: Option<String>,
    pub category: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub limit: Option<String>,
    pub offset: Option<String>,
}

/// A validated [`TransferQuery`].
#[derive(Debug, Default, Clone)]
pub struct TransferFilter {
    pub supplier: Option<String>,
    pub recipient: Option<String>,
    pub system: Option<String>,
    pub category: Option<String>,
    pub from: Option<u16>,
    pub to: Option<u16>,
    pub limit: usize,
    pub offset: usize,
}

fn number<T: std::str::FromStr>(name: &str, v: &Option<String>) -> Result<Option<T>> {
    match v.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) => s.parse().map(Some).map_err(|_| {
            AppError::BadRequest(format!(
                "{name}: \"{}\" is not a number",
                crate::render::cut(s, 40)
            ))
        }),
    }
}

fn text(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

impl TransferQuery {
    pub fn validate(&self) -> Result<TransferFilter> {
        let from = number::<u16>("from", &self.from)?;
        let to = number::<u16>("to", &self.to)?;
        if let (Some(f), Some(t)) = (from, to) {
            if f > t {
                return Err(AppError::BadRequest(format!(
                    "from ({f}) is after to ({t})"
                )));
            }
        }
        let limit = number::<usize>("limit", &self.limit)?.unwrap_or(DEFAULT_LIMIT);
        if limit == 0 || limit > MAX_LIMIT {
            return Err(AppError::BadRequest(format!(
                "limit must be between 1 and {MAX_LIMIT}"
            )));
        }
        let offset = number::<usize>("offset", &self.offset)?.unwrap_or(0);
        if offset > MAX_OFFSET {
            return Err(AppError::BadRequest(format!(
                "offset must be at most {MAX_OFFSET}"
            )));
        }
        Ok(TransferFilter {
            supplier: text(&self.supplier),
            recipient: text(&self.recipient),
            system: text(&self.system),
            category: text(&self.category),
            from,
            to,
            limit,
            offset,
        })
    }
}

impl TransferFilter {
    /// Whether a transfer matches; with year bounds, it needs a delivery within them.
    pub fn matches(&self, t: &Transfer) -> bool {
        let eq = |want: &Option<String>, have: &str| want.as_deref().is_none_or(|w| w == have);
        eq(&self.supplier, &t.supplier)
            && eq(&self.recipient, &t.recipient)
            && eq(&self.category, &t.category)
            && self
                .system
                .as_deref()
                .is_none_or(|s| t.system.as_deref() == Some(s))
            && (self.from.is_none() && self.to.is_none()
                || t.deliveries.iter().any(|d| {
                    self.from.is_none_or(|f| d.year >= f) && self.to.is_none_or(|x| d.year <= x)
                }))
    }
}

/// One page of matching transfers, with how many match in all.
pub struct TransferPage {
    pub view: Arc<View>,
    pub filter: TransferFilter,
    /// Positions in `view.data().transfers` of the page's transfers.
    pub page: Vec<usize>,
    pub total: usize,
}

impl TransferPage {
    pub fn transfers(&self) -> impl Iterator<Item = &Transfer> {
        self.page.iter().map(|&i| &self.view.data().transfers[i])
    }

    /// Every matching transfer (not only the page), for totals.
    pub fn matching(&self) -> impl Iterator<Item = &Transfer> {
        self.view
            .data()
            .transfers
            .iter()
            .filter(|t| self.filter.matches(t))
    }
}

/// The JSON shape of a page: `{"total", "offset", "limit", "transfers": [...]}`.
impl Serialize for TransferPage {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let page: Vec<&Transfer> = self.transfers().collect();
        let mut st = s.serialize_struct("TransferPage", 4)?;
        st.serialize_field("total", &self.total)?;
        st.serialize_field("offset", &self.filter.offset)?;
        st.serialize_field("limit", &self.filter.limit)?;
        st.serialize_field("transfers", &page)?;
        st.end()
    }
}

impl App {
    /// Visible transfers matching `filter`, one page of them.
    pub async fn transfers(&self, actor: &Actor, filter: TransferFilter) -> Result<TransferPage> {
        let view = self.view(actor, Parts::Transfers).await?;
        let mut total = 0;
        let mut page = Vec::new();
        for (i, t) in view.data().transfers.iter().enumerate() {
            if filter.matches(t) {
                if total >= filter.offset && page.len() < filter.limit {
                    page.push(i);
                }
                total += 1;
            }
        }
        Ok(TransferPage {
            view,
            filter,
            page,
            total,
        })
    }

    /// One visible transfer.
    pub async fn transfer(&self, actor: &Actor, id: &str) -> Result<Transfer> {
        let view = self.view(actor, Parts::Transfers).await?;
        find(&view.data().transfers, id).cloned().ok_or_else(|| {
            AppError::NotFound(format!(
                "{} \"{}\"",
                Kind::Transfer.noun(),
                crate::render::cut(id, 200)
            ))
        })
    }
}

/// Arms flows and their title in each language.
pub struct FlowsAnswer {
    pub flows: defcoop_engine::Flows,
    titles: [String; 2],
}

impl FlowsAnswer {
    /// The title naming the query's filters, in `lang`.
    pub fn title(&self, lang: crate::render::Lang) -> &str {
        &self.titles[lang as usize]
    }
}

impl App {
    /// Supplier → recipient flows of the TIV delivered, over the actor's visible transfers.
    pub async fn flows(
        &self,
        actor: &Actor,
        query: defcoop_engine::FlowQuery,
    ) -> Result<FlowsAnswer> {
        if let (Some(from), Some(to)) = (query.from, query.to) {
            if from > to {
                return Err(AppError::BadRequest(format!(
                    "the year range is empty: from {from} is after to {to}"
                )));
            }
        }
        let view = self.view(actor, Parts::Transfers).await?;
        crate::compute(move || {
            let data = view.data();
            let flows = defcoop_engine::flows(data, &query)?;
            use crate::render::{flows_title, Lang};
            let titles = [Lang::En, Lang::Ko].map(|l| flows_title(data, &query, &flows, l));
            Ok(FlowsAnswer { flows, titles })
        })
        .await
    }
}
