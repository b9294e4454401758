//! One view's search index: every record of the view as a tantivy document, in RAM, built once
//! (on first search) and kept with the view. Because it holds only what the view holds, its
//! ranking statistics (document counts, term frequencies) say nothing about hidden records.

use std::time::{Duration, Instant};

use defcoop_domain::model::{Dataset, Kind};
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::index::SegmentReader;
use tantivy::merge_policy::NoMergePolicy;
use tantivy::query::{BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocId, Index, IndexReader, ReloadPolicy, Score, Searcher, TantivyDocument, Term};

use super::describe::texts;
use super::tokenize::{Bigrams, Piece};

/// The tokenizer's name in the index.
const TOKENIZER: &str = "defcoop";
/// The indexing arena (one thread): beyond it tantivy writes another segment, so memory stays
/// bounded whatever the view's size.
const WRITER_BUDGET: usize = 32_000_000;

/// Field boosts: a word of the name weighs most, then ids, codes and aliases, then the rest.
const TITLE_BOOST: Score = 3.0;
const IDS_BOOST: Score = 2.0;

/// One indexed record: its kind and its position in the view's array of that kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub kind: Kind,
    pub at: usize,
}

/// The index of one view.
pub struct SearchIndex {
    searcher: Searcher,
    // Kept so the searcher's segments stay open.
    _reader: IndexReader,
    title: Field,
    ids: Field,
    body: Field,
    entries: Vec<Entry>,
    /// Each entry's title length in characters: among equal scores, shorter names first.
    title_chars: Vec<usize>,
    built_in: Duration,
}

/// How big an index is and how long it took to build.
#[derive(Debug, Clone, Copy)]
pub struct IndexStats {
    pub records: usize,
    pub bytes: u64,
    pub built_in: Duration,
}

/// A query as clauses, built from the user's text (never parsed by tantivy's query grammar).
pub struct Prepared {
    query: Option<Box<dyn Query>>,
}

impl Prepared {
    /// Whether the text held no word at all (only punctuation or spaces).
    pub fn is_empty(&self) -> bool {
        self.query.is_none()
    }
}

impl SearchIndex {
    /// Indexes every record of `data` (one view's).
    pub fn build(data: &Dataset) -> tantivy::Result<SearchIndex> {
        let started = Instant::now();
        let mut schema = Schema::builder();
        let text = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(TOKENIZER)
                .set_index_option(IndexRecordOption::WithFreqs),
        );
        let ord = schema.add_u64_field("ord", FAST);
        let title = schema.add_text_field("title", text.clone());
        let ids = schema.add_text_field("ids", text.clone());
        let body = schema.add_text_field("body", text);
        let index = Index::create_in_ram(schema.build());
        index
            .tokenizers()
            .register(TOKENIZER, TextAnalyzer::from(Bigrams));
        let mut writer = index.writer_with_num_threads::<TantivyDocument>(1, WRITER_BUDGET)?;
        writer.set_merge_policy(Box::new(NoMergePolicy));
        let mut entries = Vec::new();
        let mut title_chars = Vec::new();
        for kind in Kind::ALL {
            for at in 0..data.count(kind) {
                let entry = Entry { kind, at };
                let t = texts(data, entry);
                let mut doc = TantivyDocument::default();
                doc.add_u64(ord, entries.len() as u64);
                doc.add_text(title, &t.title);
                doc.add_text(ids, &t.ids);
                doc.add_text(body, &t.body);
                writer.add_document(doc)?;
                entries.push(entry);
                title_chars.push(t.title.chars().count());
            }
        }
        writer.commit()?;
        writer.wait_merging_threads()?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let searcher = reader.searcher();
        Ok(SearchIndex {
            searcher,
            _reader: reader,
            title,
            ids,
            body,
            entries,
            title_chars,
            built_in: started.elapsed(),
        })
    }

    pub fn entry(&self, ord: usize) -> Option<Entry> {
        self.entries.get(ord).copied()
    }

    pub fn stats(&self) -> IndexStats {
        IndexStats {
            records: self.entries.len(),
            bytes: self
                .searcher
                .space_usage()
                .map_or(0, |u| u.total().get_bytes()),
            built_in: self.built_in,
        }
    }

    fn term(&self, field: Field, text: &str) -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(field, text),
            IndexRecordOption::WithFreqs,
        ))
    }

    fn prefix(&self, field: Field, text: &str) -> Box<dyn Query> {
        Box::new(FuzzyTermQuery::new_prefix(
            Term::from_field_text(field, text),
            0,
            true,
        ))
    }

    /// The fields a query looks in, with their boosts.
    fn fields(&self, everywhere: bool) -> Vec<(Field, Score)> {
        let mut f = vec![(self.title, TITLE_BOOST), (self.ids, IDS_BOOST)];
        if everywhere {
            f.push((self.body, 1.0));
        }
        f
    }

    /// A term in any of the fields (the best field's score, summed).
    fn any_field(&self, text: &str, prefix: bool, everywhere: bool) -> Box<dyn Query> {
        let clauses = self
            .fields(everywhere)
            .into_iter()
            .map(|(f, boost)| {
                let q = if prefix {
                    // The word typed whole counts more than one it only starts.
                    self.either(self.prefix(f, text), self.term(f, text))
                } else {
                    self.term(f, text)
                };
                (Occur::Should, boost_by(q, boost))
            })
            .collect();
        Box::new(BooleanQuery::new(clauses))
    }

    fn all(&self, queries: Vec<Box<dyn Query>>) -> Box<dyn Query> {
        match queries.len() {
            1 => queries.into_iter().next().unwrap_or_else(|| unreachable!()),
            _ => Box::new(BooleanQuery::new(
                queries.into_iter().map(|q| (Occur::Must, q)).collect(),
            )),
        }
    }

    fn either(&self, a: Box<dyn Query>, b: Box<dyn Query>) -> Box<dyn Query> {
        Box::new(BooleanQuery::new(vec![
            (Occur::Should, a),
            (Occur::Should, b),
        ]))
    }

    /// One piece as a query: a word (or its parts), every bigram of a CJK run. When `prefix`,
    /// the piece is being typed: its last term matches as a prefix.
    fn piece(&self, piece: &Piece, prefix: bool, everywhere: bool) -> Option<Box<dyn Query>> {
        let one = |t: &str, p: bool| self.any_field(t, p, everywhere);
        match piece {
            Piece::Word { parts } => {
                let (last, rest) = parts.split_last()?;
                let mut each: Vec<Box<dyn Query>> = rest.iter().map(|p| one(p, false)).collect();
                each.push(one(last, prefix));
                let parts_query = self.all(each);
                Some(match piece.joined() {
                    Some(joined) => self.either(one(&joined, prefix), parts_query),
                    None => parts_query,
                })
            }
            Piece::Cjk { grams } => {
                let (last, rest) = grams.split_last()?;
                let mut each: Vec<Box<dyn Query>> = rest.iter().map(|g| one(g, false)).collect();
                // A lone character also finds the bigrams it starts.
                let lone = grams.len() == 1 && last.chars().count() == 1;
                each.push(if prefix || lone {
                    self.either(one(last, false), one(last, true))
                } else {
                    one(last, false)
                });
                Some(self.all(each))
            }
        }
    }

    /// Every piece must match (in some field). For suggestions (`typing`), only names, ids and
    /// aliases are looked in, and the last piece matches as a prefix.
    pub fn prepare(&self, pieces: &[Piece], typing: bool) -> Prepared {
        let n = pieces.len();
        let queries: Vec<Box<dyn Query>> = pieces
            .iter()
            .enumerate()
            .filter_map(|(i, p)| self.piece(p, typing && i + 1 == n, !typing))
            .collect();
        Prepared {
            query: (!queries.is_empty()).then(|| self.all(queries)),
        }
    }

    /// Every matching record with its score, best first; among equal scores the shorter name,
    /// then index order (kind, then key).
    pub fn run(&self, prepared: &Prepared) -> tantivy::Result<Vec<(usize, Score)>> {
        let Some(query) = &prepared.query else {
            return Ok(Vec::new());
        };
        let mut hits = self.searcher.search(query.as_ref(), &Everything)?;
        let chars = |ord: usize| self.title_chars.get(ord).copied().unwrap_or(usize::MAX);
        hits.sort_by(|a, b| {
            b.1.total_cmp(&a.1)
                .then(chars(a.0).cmp(&chars(b.0)))
                .then(a.0.cmp(&b.0))
        });
        Ok(hits)
    }
}

fn boost_by(q: Box<dyn Query>, boost: Score) -> Box<dyn Query> {
    if boost == 1.0 {
        q
    } else {
        Box::new(BoostQuery::new(q, boost))
    }
}

/// Collects every match with its score, as (record ordinal, score). The matches are bounded
/// by the view: one entry per visible record at most.
struct Everything;

struct SegmentHits {
    ord: Column<u64>,
    hits: Vec<(usize, Score)>,
}

impl Collector for Everything {
    type Fruit = Vec<(usize, Score)>;
    type Child = SegmentHits;

    fn for_segment(&self, _: u32, segment: &SegmentReader) -> tantivy::Result<SegmentHits> {
        Ok(SegmentHits {
            ord: segment.fast_fields().u64("ord")?,
            hits: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Vec<(usize, Score)>>) -> tantivy::Result<Self::Fruit> {
        Ok(fruits.into_iter().flatten().collect())
    }
}

impl SegmentCollector for SegmentHits {
    type Fruit = Vec<(usize, Score)>;

    fn collect(&mut self, doc: DocId, score: Score) {
        if let Some(ord) = self.ord.first(doc) {
            self.hits.push((ord as usize, score));
        }
    }

    fn harvest(self) -> Self::Fruit {
        self.hits
    }
}
