//! The cached read model, in the spirit of rust-analyzer's `AnalysisHost`: the server holds an
//! immutable [`Registry`] (every record, as of one generation of the database) and hands out
//! per-reader [`View`]s of it. Nothing is mutated in place: a write bumps the database's
//! generation, and [`ReadModel::refresh`] builds the next registry while requests keep being
//! answered from the current one, then swaps it in.
//!
//! Views are memoized by the reader's *effective clearance*: the set of distinct labels held in
//! the registry that the reader satisfies. Two readers who satisfy the same labels see exactly
//! the same records (visibility depends on a record's label and on its references only), so
//! they share one view, whatever else their clearances say. A reader who satisfies every label
//! shares the registry itself.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::{Arc, Mutex, OnceLock, RwLock};
use std::time::Duration;

use defcoop_domain::label::{Label, Policies};
use defcoop_domain::model::{Dataset, Keyed, Kind};
use defcoop_domain::{visible, Reader};
use defcoop_engine::Snapshot;
use defcoop_store::{Parts, Store};

use crate::matchmaking::matching::Corpus;
use crate::search::SearchIndex;
use crate::{compute, AppError, Result};

/// Views kept per registry; beyond this the oldest is dropped (and rebuilt when asked again).
const MAX_VIEWS: usize = 64;

/// What one reader may see of one generation of the registry. Immutable; shared by every reader
/// with the same effective clearance.
pub struct View {
    generation: i64,
    data: Arc<Dataset>,
    engine: OnceLock<Arc<Snapshot>>,
    uses: OnceLock<Vec<usize>>,
    /// The search index of exactly these records, built on first search (a failure is kept
    /// too: building again would fail the same way).
    search: OnceLock<std::result::Result<Arc<SearchIndex>, String>>,
    /// What matching needs and offers reads, built on first match.
    matching: OnceLock<Arc<Corpus>>,
    /// Answers rendered from this view alone (a front end's page for one language), by name.
    rendered: Mutex<HashMap<String, Arc<str>>>,
    /// Each kind's records as their dataset JSON, in canonical order (`Kind::ALL`'s order),
    /// made on first use: what lists filter and page.
    rows: [OnceLock<Arc<Rows>>; KINDS],
    /// The registry's full view, whose rows this one shares where its records are the same
    /// (`None` for the full view itself).
    full: Option<Arc<View>>,
    /// Orders of those rows by a field, made on first use (see `crate::registry`).
    orders: Mutex<Orders>,
}

/// Sort orders of a view's rows, by kind and order name.
type Orders = HashMap<(Kind, String), Arc<Vec<u32>>>;

/// How many kinds of records there are.
const KINDS: usize = Kind::ALL.len();

/// Most sort orders one view keeps.
const MAX_ORDERS: usize = 64;

/// Most rendered answers one view keeps.
const MAX_RENDERED: usize = 32;

impl View {
    /// A view over already-filtered data (the caller applied `visible`).
    pub fn new(generation: i64, data: Arc<Dataset>) -> View {
        View {
            generation,
            data,
            engine: OnceLock::new(),
            uses: OnceLock::new(),
            search: OnceLock::new(),
            matching: OnceLock::new(),
            rendered: Mutex::new(HashMap::new()),
            rows: Default::default(),
            full: None,
            orders: Mutex::new(HashMap::new()),
        }
    }

    /// A reader's view of `full`'s registry (`data` is `visible(full's data)`): its rows are
    /// `full`'s wherever its records are unchanged, so readers' views cost little beyond the
    /// records they lack or see in part.
    fn within(full: &Arc<View>, data: Arc<Dataset>) -> View {
        View {
            full: Some(Arc::clone(full)),
            ..View::new(full.generation, data)
        }
    }

    /// The records of `kind` as their dataset JSON, in canonical order; made once.
    pub fn rows(&self, kind: Kind) -> Arc<Rows> {
        let at = Kind::ALL.iter().position(|k| *k == kind).unwrap_or(0);
        Arc::clone(self.rows[at].get_or_init(|| {
            Arc::new(match &self.full {
                None => Rows::all(crate::registry::rows(&self.data, kind)),
                Some(full) => Rows::within(full.rows(kind), &self.data, &full.data, kind),
            })
        }))
    }

    /// An order of `rows(kind)` named `name`, made by `make` once per view (at most 64 kept).
    pub fn order(&self, kind: Kind, name: &str, make: impl FnOnce() -> Vec<u32>) -> Arc<Vec<u32>> {
        let lock = || self.orders.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(o) = lock().get(&(kind, name.to_string())) {
            return Arc::clone(o);
        }
        let order = Arc::new(make());
        let mut map = lock();
        if map.len() < MAX_ORDERS {
            map.insert((kind, name.to_string()), Arc::clone(&order));
        }
        order
    }

    /// The database generation this view was read at.
    pub fn generation(&self) -> i64 {
        self.generation
    }

    /// The visible records, in canonical order (every array sorted by key).
    pub fn data(&self) -> &Dataset {
        &self.data
    }

    pub fn data_arc(&self) -> Arc<Dataset> {
        Arc::clone(&self.data)
    }

    /// How many visible conformances name each visible standard, in the order of
    /// `data().standards`; counted on first use and kept.
    pub fn standard_uses(&self) -> &[usize] {
        self.uses.get_or_init(|| {
            let standards = &self.data.standards;
            let mut uses = vec![0; standards.len()];
            for c in &self.data.conformances {
                if let Ok(i) = standards.binary_search_by(|s| s.id.as_str().cmp(&c.standard)) {
                    uses[i] += 1;
                }
            }
            uses
        })
    }

    /// A text that depends on this view and on `name` only (e.g. the overview page in one
    /// language), made once by `make` and kept while the view lives: a later generation, or
    /// another reader's view, has its own. At most 32 names per view; beyond, texts are made
    /// afresh each time.
    pub fn rendered<E>(
        &self,
        name: &str,
        make: impl FnOnce() -> Result<String, E>,
    ) -> Result<Arc<str>, E> {
        let lock = || self.rendered.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(text) = lock().get(name) {
            return Ok(Arc::clone(text));
        }
        let text: Arc<str> = make()?.into();
        let mut map = lock();
        if map.len() < MAX_RENDERED {
            map.insert(name.to_string(), Arc::clone(&text));
        }
        Ok(text)
    }

    /// The search index of this view, built on first use and kept (CPU-heavy on a large
    /// view: call it off the async runtime).
    pub fn search_index(&self) -> Result<Arc<SearchIndex>> {
        self.search
            .get_or_init(|| {
                SearchIndex::build(&self.data)
                    .map(Arc::new)
                    .map_err(|e| e.to_string())
            })
            .clone()
            .map_err(|e| AppError::Internal(format!("search index: {e}")))
    }

    /// The matching corpus of this view (text indexes of its needs and offers), built on
    /// first use and kept (CPU-heavy on a large view: call it off the async runtime).
    pub fn matching(&self) -> Arc<Corpus> {
        Arc::clone(
            self.matching
                .get_or_init(|| Arc::new(Corpus::build(&self.data))),
        )
    }

    /// Whether the search index has been built (readers searched this view).
    pub fn search_built(&self) -> bool {
        self.search.get().is_some()
    }

    /// The engine's snapshot if it has been built already.
    pub fn engine_if_built(&self) -> Option<Arc<Snapshot>> {
        self.engine.get().map(Arc::clone)
    }

    /// The engine's snapshot of this view, built on first use and kept.
    pub fn engine(&self) -> Arc<Snapshot> {
        Arc::clone(
            self.engine
                .get_or_init(|| Arc::new(Snapshot::new(&self.data))),
        )
    }
}

/// A kind's records in one view as their dataset JSON, in canonical order. A reader's view
/// holds the full view's JSON of every record it sees unchanged (most of them) and its own
/// JSON only of the records it sees in part (a bloc without a hidden member, a system without
/// a hidden operator).
pub struct Rows {
    base: Arc<Vec<serde_json::Value>>,
    rows: Vec<Row>,
    /// The distinct labels of these rows, and each row's among them (`NO_LABEL`: none), so
    /// that a list covers its matches' labels without reading every row.
    labels: Vec<serde_json::Value>,
    label_of: Vec<u32>,
}

/// `Rows::label_of` of an unlabelled row.
const NO_LABEL: u32 = u32::MAX;

enum Row {
    /// The record at this position of `base`.
    Base(u32),
    Own(Box<serde_json::Value>),
}

impl Rows {
    fn all(rows: Vec<serde_json::Value>) -> Rows {
        let n = rows.len() as u32;
        Rows::labelled(Arc::new(rows), (0..n).map(Row::Base).collect())
    }

    fn labelled(base: Arc<Vec<serde_json::Value>>, rows: Vec<Row>) -> Rows {
        let mut out = Rows {
            base,
            rows,
            labels: Vec::new(),
            label_of: Vec::new(),
        };
        let mut label_of = Vec::with_capacity(out.rows.len());
        let mut labels: Vec<serde_json::Value> = Vec::new();
        for i in 0..out.rows.len() {
            label_of.push(match out[i].get("label") {
                None => NO_LABEL,
                Some(l) => match labels.iter().position(|x| x == l) {
                    Some(at) => at as u32,
                    None => {
                        labels.push(l.clone());
                        (labels.len() - 1) as u32
                    }
                },
            });
        }
        out.labels = labels;
        out.label_of = label_of;
        out
    }

    /// `mine`'s records of `kind`, sharing `full`'s JSON (`full_rows`) where a record is the
    /// same in both (`mine` holds a subset of `full`'s keys, both in canonical order).
    fn within(full_rows: Arc<Rows>, mine: &Dataset, full: &Dataset, kind: Kind) -> Rows {
        fn share<T: Keyed + PartialEq + serde::Serialize>(
            base: &[serde_json::Value],
            mine: &[T],
            full: &[T],
        ) -> Vec<Row> {
            let mut j = 0;
            mine.iter()
                .map(|r| {
                    while j < full.len() && full[j].key() < r.key() {
                        j += 1;
                    }
                    if j < full.len() && j < base.len() && full[j] == *r {
                        Row::Base(j as u32)
                    } else {
                        Row::Own(Box::new(
                            serde_json::to_value(r).unwrap_or(serde_json::Value::Null),
                        ))
                    }
                })
                .collect()
        }
        let base = Arc::clone(&full_rows.base);
        let rows = match kind {
            Kind::Policy => share(&base, &mine.policies, &full.policies),
            Kind::Nation => share(&base, &mine.nations, &full.nations),
            Kind::Bloc => share(&base, &mine.blocs, &full.blocs),
            Kind::Organization => share(&base, &mine.organizations, &full.organizations),
            Kind::Person => share(&base, &mine.people, &full.people),
            Kind::Domain => share(&base, &mine.domains, &full.domains),
            Kind::Standard => share(&base, &mine.standards, &full.standards),
            Kind::Profile => share(&base, &mine.profiles, &full.profiles),
            Kind::System => share(&base, &mine.systems, &full.systems),
            Kind::Conformance => share(&base, &mine.conformances, &full.conformances),
            Kind::Gateway => share(&base, &mine.gateways, &full.gateways),
            Kind::Transfer => share(&base, &mine.transfers, &full.transfers),
            Kind::Body => share(&base, &mine.bodies, &full.bodies),
            Kind::Meeting => share(&base, &mine.meetings, &full.meetings),
            Kind::Minutes => share(&base, &mine.minutes, &full.minutes),
            Kind::Proposal => share(&base, &mine.proposals, &full.proposals),
            Kind::Decision => share(&base, &mine.decisions, &full.decisions),
            Kind::ActionItem => share(&base, &mine.action_items, &full.action_items),
            Kind::Engagement => share(&base, &mine.engagements, &full.engagements),
            Kind::Document => share(&base, &mine.documents, &full.documents),
            Kind::CapabilityArea => share(&base, &mine.capability_areas, &full.capability_areas),
            Kind::Need => share(&base, &mine.needs, &full.needs),
            Kind::Offer => share(&base, &mine.offers, &full.offers),
            Kind::Instrument => share(&base, &mine.instruments, &full.instruments),
        };
        Rows::labelled(base, rows)
    }

    /// The distinct labels of the rows.
    pub fn labels(&self) -> &[serde_json::Value] {
        &self.labels
    }

    /// Row `i`'s label, as a position in [`Rows::labels`].
    pub fn label_at(&self, i: usize) -> Option<usize> {
        match self.label_of.get(i) {
            Some(&NO_LABEL) | None => None,
            Some(&at) => Some(at as usize),
        }
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &serde_json::Value> {
        (0..self.rows.len()).map(|i| &self[i])
    }

    /// The position of the row `f` finds equal, by binary search (as `slice::binary_search_by`).
    pub fn binary_search_by(
        &self,
        mut f: impl FnMut(&serde_json::Value) -> std::cmp::Ordering,
    ) -> std::result::Result<usize, usize> {
        let (mut lo, mut hi) = (0, self.rows.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            match f(&self[mid]) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Ok(mid),
            }
        }
        Err(lo)
    }
}

impl std::ops::Index<usize> for Rows {
    type Output = serde_json::Value;

    fn index(&self, i: usize) -> &serde_json::Value {
        match &self.rows[i] {
            Row::Base(at) => &self.base[*at as usize],
            Row::Own(v) => v,
        }
    }
}

/// Finds a record by key in a canonically ordered array (binary search).
pub(crate) fn find<'a, T: Keyed>(records: &'a [T], key: T::Key<'a>) -> Option<&'a T> {
    records
        .binary_search_by(|r| r.key().cmp(&key))
        .ok()
        .map(|i| &records[i])
}

/// Every record of one generation, with the views handed out so far.
pub struct Registry {
    generation: i64,
    full: Arc<View>,
    /// The distinct labels in the registry, in a fixed order: a reader's effective clearance is
    /// which of them it satisfies.
    labels: Vec<Label>,
    policies: Policies,
    views: Mutex<Views>,
}

#[derive(Default)]
struct Views {
    by_key: HashMap<Vec<bool>, (Reader, Arc<View>)>,
    order: VecDeque<Vec<bool>>,
}

impl Registry {
    fn new(generation: i64, data: Dataset) -> Registry {
        let labels = distinct_labels(&data);
        let policies = Policies::new(&data.policies);
        Registry {
            generation,
            full: Arc::new(View::new(generation, Arc::new(data))),
            labels,
            policies,
            views: Mutex::new(Views::default()),
        }
    }

    pub fn generation(&self) -> i64 {
        self.generation
    }

    /// Which of the registry's labels `reader` satisfies.
    /// Which labels `reader` satisfies, and last whether it sees draft minutes.
    fn key(&self, reader: &Reader) -> Vec<bool> {
        self.labels
            .iter()
            .map(|l| reader.may_read(Some(l), &self.policies))
            .chain([reader.sees_drafts()])
            .collect()
    }

    /// What `reader` may see.
    pub fn view(&self, reader: &Reader) -> Arc<View> {
        let key = self.key(reader);
        if key.iter().all(|&b| b) {
            return Arc::clone(&self.full);
        }
        if let Some((_, v)) = self.lock().by_key.get(&key) {
            return Arc::clone(v);
        }
        // Built outside the lock: other readers keep being served meanwhile. Two readers asking
        // at once may both build it; the first one stored wins.
        let data = visible(self.full.data().clone(), reader);
        let view = Arc::new(View::within(&self.full, Arc::new(data)));
        let mut views = self.lock();
        if let Some((_, v)) = views.by_key.get(&key) {
            return Arc::clone(v);
        }
        if views.order.len() >= MAX_VIEWS {
            if let Some(old) = views.order.pop_front() {
                views.by_key.remove(&old);
            }
        }
        views.order.push_back(key.clone());
        views
            .by_key
            .insert(key, (reader.clone(), Arc::clone(&view)));
        view
    }

    /// Number of memoized views (the full one not counted).
    pub fn views(&self) -> usize {
        self.lock().order.len()
    }

    /// One reader per memoized view, to warm the next registry with.
    fn readers(&self) -> Vec<Reader> {
        self.lock()
            .by_key
            .values()
            .map(|(r, _)| r.clone())
            .collect()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Views> {
        // A panic while holding this lock cannot leave the map half-updated in a way that
        // matters (entries are inserted whole), so a poisoned lock is still usable.
        self.views.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The distinct labels of a dataset, ordered by their JSON text.
fn distinct_labels(data: &Dataset) -> Vec<Label> {
    let mut by_text: BTreeMap<String, Label> = BTreeMap::new();
    let mut add = |l: Option<&Label>| {
        if let Some(l) = l {
            let text = serde_json::to_string(l).unwrap_or_default();
            by_text.entry(text).or_insert_with(|| l.clone());
        }
    };
    fn each<T: Keyed>(records: &[T], add: &mut impl FnMut(Option<&Label>)) {
        for r in records {
            add(r.label());
        }
    }
    each(&data.nations, &mut add);
    each(&data.blocs, &mut add);
    each(&data.organizations, &mut add);
    each(&data.people, &mut add);
    each(&data.domains, &mut add);
    each(&data.standards, &mut add);
    each(&data.profiles, &mut add);
    each(&data.systems, &mut add);
    each(&data.conformances, &mut add);
    each(&data.gateways, &mut add);
    each(&data.transfers, &mut add);
    by_text.into_values().collect()
}

/// The registry as the server holds it: the current generation, replaced whole when the
/// database moves on.
pub struct ReadModel {
    store: Store,
    current: RwLock<Arc<Registry>>,
    /// Held while a refresh runs, so concurrent refreshes load once.
    refreshing: tokio::sync::Mutex<()>,
}

impl ReadModel {
    /// Loads the whole registry.
    pub async fn load(store: Store) -> Result<ReadModel> {
        let registry = Self::read(&store).await?;
        Ok(ReadModel {
            store,
            current: RwLock::new(Arc::new(registry)),
            refreshing: tokio::sync::Mutex::new(()),
        })
    }

    async fn read(store: &Store) -> Result<Registry> {
        let (generation, data) = store.snapshot_at(&Reader::Full, Parts::All).await?;
        compute(move || Ok(Registry::new(generation, data))).await
    }

    /// The registry requests are answered from now.
    pub fn current(&self) -> Arc<Registry> {
        Arc::clone(&self.current.read().unwrap_or_else(|p| p.into_inner()))
    }

    /// Loads the registry again if the database's generation has moved (a write by this process
    /// or another), while the current one keeps answering; returns whether it did. The views
    /// readers had are built again for the new registry before it is swapped in.
    pub async fn refresh(&self) -> Result<bool> {
        let _one_at_a_time = self.refreshing.lock().await;
        let old = self.current();
        if self.store.generation().await? == old.generation() {
            return Ok(false);
        }
        let next = Self::read(&self.store).await?;
        let readers = old.readers();
        // Views whose readers searched get their search index before the swap too, so the
        // first search after a write does not wait for it.
        let searched: Vec<bool> = readers.iter().map(|r| old.view(r).search_built()).collect();
        let full_searched = old.full.search_built();
        let next = compute(move || {
            for (r, searched) in readers.iter().zip(searched) {
                let view = next.view(r);
                if searched {
                    let _ = view.search_index();
                }
            }
            if full_searched {
                let _ = next.full.search_index();
            }
            Ok(next)
        })
        .await?;
        tracing::info!(
            from = old.generation(),
            to = next.generation(),
            "registry reloaded"
        );
        *self.current.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(next);
        Ok(true)
    }

    /// Follows the database: checks its generation every `every` and refreshes when it moved.
    /// Errors are logged and the current registry keeps answering.
    pub fn watch(self: &Arc<Self>, every: Duration) -> tokio::task::JoinHandle<()> {
        let model = Arc::clone(self);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                if let Err(e) = model.refresh().await {
                    tracing::warn!(error = %e, "cannot refresh the registry; still serving generation {}", model.current().generation());
                }
            }
        })
    }
}
