//! Text relevance for matching: Okapi BM25 over the needs' or the offers' texts of one view,
//! with the search tokenizer (Latin words, and Hangul and other CJK runs as bigrams: Korean
//! matches Korean without a dictionary). The statistics (document counts, lengths) come from
//! the view only, so they say nothing about records its reader may not see.
//!
//! A score is given as a share of the query's own score — what a document made of exactly the
//! query's terms would get — capped at 1: "how much of the need's text this offer covers",
//! comparable between queries.

use std::collections::HashMap;

use crate::search::tokenize::terms;

/// BM25's term-frequency saturation and length normalization (the usual values).
const K1: f64 = 1.2;
const B: f64 = 0.75;
/// Terms of one document or query at most (the rest is not indexed).
pub const MAX_TERMS: usize = 4_000;

/// Words too common to say anything about a capability: English function words, and the
/// Hangul bigrams of the commonest endings and particles (`합니다`, `에서`, ...).
const STOP: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "into", "is", "it",
    "its", "of", "on", "or", "so", "that", "the", "their", "them", "they", "this", "to", "with",
    "within", "both", "one", "can", "may", "will", "니다", "합니", "습니", "입니", "하는", "있는",
    "있도", "도록", "에서", "으로", "하고", "하여", "에게", "까지", "부터",
];

/// Matching's terms of a text: the search tokenizer's, without stop words and single Latin
/// letters or digits (the beginnings the tokenizer adds for `K9` are `k` and `k9`: `k` says
/// nothing).
fn matching_terms(text: &str) -> Vec<String> {
    terms(text, MAX_TERMS)
        .into_iter()
        .filter(|t| !STOP.contains(&t.as_str()))
        .filter(|t| !(t.len() == 1 && t.is_ascii()))
        .collect()
}

/// The texts of a need or an offer that matching reads: title and keywords count twice.
pub fn document_terms(title: &str, keywords: &[String], description: Option<&str>) -> Vec<String> {
    let mut out = matching_terms(title);
    out.extend(out.clone());
    for k in keywords {
        let t = matching_terms(k);
        out.extend(t.iter().cloned());
        out.extend(t);
    }
    if let Some(d) = description {
        out.extend(matching_terms(d));
    }
    out.truncate(MAX_TERMS);
    out
}

/// An inverted index of one kind's documents (positions in the view's array).
#[derive(Debug, Default)]
pub struct TextIndex {
    /// Term → (document, term frequency), by document.
    postings: HashMap<Box<str>, Vec<(u32, u32)>>,
    lengths: Vec<u32>,
    average: f64,
}

/// A query's distinct terms found in the index, with their weights.
#[derive(Debug)]
pub struct Query {
    /// (term, idf, frequency in the query).
    terms: Vec<(Box<str>, f64, u32)>,
    /// The score of a document made of exactly the query's terms.
    own: f64,
}

impl Query {
    /// Whether no term of the query occurs in any document.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty() || self.own <= 0.0
    }

    /// The query's terms found in `doc_terms`, in the query's order (for explanations).
    pub fn shared<'a>(&'a self, doc_terms: &[String]) -> Vec<&'a str> {
        self.terms
            .iter()
            .map(|(t, _, _)| &**t)
            .filter(|t| doc_terms.iter().any(|d| d == t))
            .collect()
    }
}

impl TextIndex {
    /// Indexes documents given as their terms, in order.
    pub fn build(documents: impl Iterator<Item = Vec<String>>) -> TextIndex {
        let mut index = TextIndex::default();
        for (doc, terms) in documents.enumerate() {
            let mut frequencies: HashMap<&str, u32> = HashMap::new();
            for t in &terms {
                *frequencies.entry(t.as_str()).or_default() += 1;
            }
            for (t, tf) in frequencies {
                match index.postings.get_mut(t) {
                    Some(list) => list.push((doc as u32, tf)),
                    None => {
                        index.postings.insert(Box::from(t), vec![(doc as u32, tf)]);
                    }
                }
            }
            index.lengths.push(terms.len() as u32);
        }
        let total: u64 = index.lengths.iter().map(|&l| u64::from(l)).sum();
        index.average = if index.lengths.is_empty() {
            1.0
        } else {
            (total as f64 / index.lengths.len() as f64).max(1.0)
        };
        index
    }

    pub fn len(&self) -> usize {
        self.lengths.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lengths.is_empty()
    }

    fn idf(&self, df: usize) -> f64 {
        let n = self.lengths.len() as f64;
        let df = df as f64;
        (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
    }

    fn term_score(&self, idf: f64, tf: u32, length: u32) -> f64 {
        let tf = f64::from(tf);
        let norm = 1.0 - B + B * f64::from(length) / self.average;
        idf * tf * (K1 + 1.0) / (tf + K1 * norm)
    }

    /// The query of `query_terms`: its distinct terms that occur in the index.
    pub fn query(&self, query_terms: &[String]) -> Query {
        let mut counts: Vec<(&str, u32)> = Vec::new();
        for t in query_terms {
            match counts.iter_mut().find(|(s, _)| *s == t) {
                Some((_, n)) => *n += 1,
                None => counts.push((t, 1)),
            }
        }
        let length = query_terms.len() as u32;
        let mut q = Query {
            terms: Vec::new(),
            own: 0.0,
        };
        for (t, qtf) in counts {
            if let Some(list) = self.postings.get(t) {
                let idf = self.idf(list.len());
                q.own += self.term_score(idf, qtf, length);
                q.terms.push((Box::from(t), idf, qtf));
            }
        }
        q
    }

    /// Each document's relevance to `q`, as a share (0 to 1) of the query's own score; zero
    /// where no term is shared.
    pub fn shares(&self, q: &Query) -> Vec<f64> {
        let mut scores = vec![0.0; self.lengths.len()];
        if q.is_empty() {
            return scores;
        }
        for (t, idf, _) in &q.terms {
            if let Some(list) = self.postings.get(t) {
                for &(doc, tf) in list {
                    let d = doc as usize;
                    scores[d] += self.term_score(*idf, tf, self.lengths[d]);
                }
            }
        }
        for s in &mut scores {
            *s = (*s / q.own).min(1.0);
        }
        scores
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(s: &str) -> Vec<String> {
        document_terms(s, &[], None)
    }

    #[test]
    fn the_closer_text_ranks_higher_and_shares_stay_within_one() {
        let docs = [
            "counter-drone sensors for air defence",
            "artillery ammunition 155 mm",
            "counter-drone sensors",
            "naval mine countermeasures",
        ];
        let index = TextIndex::build(docs.iter().map(|d| doc(d)));
        let q = index.query(&doc("counter-drone sensors"));
        let s = index.shares(&q);
        assert!(s[2] > s[0] && s[0] > 0.0, "{s:?}");
        assert_eq!(s[1], 0.0);
        assert_eq!(s[3], 0.0);
        assert!(s.iter().all(|&x| (0.0..=1.0).contains(&x)));
        assert_eq!(
            q.shared(&doc(docs[0])),
            vec!["counter", "drone", "counterdrone", "sensors"]
        );
    }

    #[test]
    fn stop_words_and_single_letters_are_not_terms() {
        assert_eq!(
            doc("The K9 and the fleet of 생산합니다"),
            ["k9", "fleet", "생산", "산합", "k9", "fleet", "생산", "산합"]
        );
    }

    #[test]
    fn korean_matches_korean_by_bigrams() {
        let docs = ["대드론 탐지 레이더", "포병 탄약 생산"];
        let index = TextIndex::build(docs.iter().map(|d| doc(d)));
        let s = index.shares(&index.query(&doc("드론 탐지")));
        assert!(s[0] > 0.0 && s[1] == 0.0, "{s:?}");
    }

    #[test]
    fn a_query_with_no_known_term_is_empty() {
        let index = TextIndex::build([doc("space")].into_iter());
        let q = index.query(&doc("artillery"));
        assert!(q.is_empty());
        assert_eq!(index.shares(&q), vec![0.0]);
        let none = TextIndex::build(std::iter::empty());
        assert!(none.query(&doc("x")).is_empty());
    }

    #[test]
    fn rare_terms_weigh_more_than_common_ones() {
        let docs = ["drone a", "drone b", "drone c", "laser d"];
        let index = TextIndex::build(docs.iter().map(|d| doc(d)));
        let s = index.shares(&index.query(&doc("drone laser")));
        assert!(s[3] > s[0], "{s:?}");
    }
}
