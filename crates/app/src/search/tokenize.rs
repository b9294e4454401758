//! The search tokenizer, the same at index and at query time: lower-cases (and folds accents
//! and full-width forms), splits Latin letters and digits into words, and cuts runs of Hangul
//! and other CJK characters into overlapping character bigrams (a one-character run stays one
//! character). No dictionary: Korean is found offline.
//!
//! A word whose parts are joined by `-`, `.`, `/`, `_` or an apostrophe (`K-9`, `SAMP/T`,
//! `Jong-gun`) is indexed as its parts and as the parts written together (`k`, `9`, `k9`), so
//! `K9`, `k-9` and `K 9` all find `K-9 155mm`, and `k-9` finds `K9 Thunder`.

use tantivy::tokenizer::{
    AsciiFoldingFilter, RawTokenizer, TextAnalyzer, Token, TokenStream, Tokenizer,
};

/// Characters of one term at most; longer ones are cut (tantivy refuses terms over 64 KiB).
pub const MAX_TERM_CHARS: usize = 64;
/// Parts of one joined word at most; the rest of a longer chain starts a new word.
const MAX_PARTS: usize = 16;

/// One unit of a text: a Latin/digit word, or a run of CJK characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// A word; `parts` has more than one element when it was joined by punctuation.
    Word { parts: Vec<String> },
    /// A CJK run as its bigrams (or its one character).
    Cjk { grams: Vec<String> },
}

impl Piece {
    /// The word's parts written together (`k9` for `K-9`), when it has several.
    pub fn joined(&self) -> Option<String> {
        match self {
            Piece::Word { parts } if parts.len() > 1 => Some(cut(&parts.concat())),
            _ => None,
        }
    }

    /// Every term this piece is indexed as: its parts, the parts written together, and the
    /// beginnings of those where letters and digits meet (`k9a1` also as `k`, `k9`, `k9a`;
    /// `FA-50GF` also as `50`, `fa50`), so `K9` finds `K9A1` and `FA-50` finds `FA-50GF`.
    pub fn terms(&self) -> Vec<String> {
        match self {
            Piece::Word { parts } => {
                let mut t: Vec<String> = Vec::new();
                let add = |term: String, t: &mut Vec<String>| {
                    if !t.contains(&term) {
                        t.push(term);
                    }
                };
                for p in parts {
                    add(p.clone(), &mut t);
                    for b in beginnings(p) {
                        add(b, &mut t);
                    }
                }
                if let Some(joined) = self.joined() {
                    for b in beginnings(&joined) {
                        add(b, &mut t);
                    }
                    add(joined, &mut t);
                }
                t
            }
            Piece::Cjk { grams } => grams.clone(),
        }
    }

    /// How many terms a query for this piece asks.
    pub fn weight(&self) -> usize {
        match self {
            Piece::Word { parts } if parts.len() > 1 => parts.len() + 1,
            Piece::Word { .. } => 1,
            Piece::Cjk { grams } => grams.len(),
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Alnum,
    Cjk,
    Joiner,
    Other,
}

/// Hangul (syllables, jamo, compatibility jamo), CJK ideographs, kana.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF      // Hangul Jamo
        | 0x3040..=0x30FF    // Hiragana, Katakana
        | 0x3130..=0x318F    // Hangul Compatibility Jamo
        | 0x3400..=0x4DBF    // CJK Extension A
        | 0x4E00..=0x9FFF    // CJK Unified Ideographs
        | 0xA960..=0xA97F    // Hangul Jamo Extended-A
        | 0xAC00..=0xD7A3    // Hangul Syllables
        | 0xD7B0..=0xD7FF    // Hangul Jamo Extended-B
        | 0xF900..=0xFAFF    // CJK Compatibility Ideographs
        | 0xFF66..=0xFF9F    // Half-width Katakana
        | 0xFFA0..=0xFFDC    // Half-width Hangul
        | 0x20000..=0x3FFFF  // CJK Extensions B and later
    )
}

fn class(c: char) -> Class {
    if is_cjk(c) {
        Class::Cjk
    } else if c.is_alphanumeric() {
        Class::Alnum
    } else if matches!(
        c,
        '-' | '.' | '/' | '_' | '\'' | '\u{2019}' | '\u{2010}' | '\u{2011}' | '\u{00B7}'
    ) {
        Class::Joiner
    } else {
        Class::Other
    }
}

/// Full-width ASCII (`Ｋ９`) as ASCII.
fn narrow(c: char) -> char {
    match c as u32 {
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        0x3000 => ' ',
        _ => c,
    }
}

/// Most beginnings of one word indexed.
const MAX_BEGINNINGS: usize = 8;

/// The beginnings of `word` that end where letters and digits meet (`k9a1`: `k`, `k9`,
/// `k9a`), the word itself not included.
fn beginnings(word: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut prev: Option<bool> = None;
    for (i, c) in word.char_indices() {
        let digit = c.is_numeric();
        if prev.is_some_and(|p| p != digit) && out.len() < MAX_BEGINNINGS {
            out.push(word[..i].to_string());
        }
        prev = Some(digit);
    }
    out
}

fn cut(s: &str) -> String {
    s.chars().take(MAX_TERM_CHARS).collect()
}

/// Accents folded (`Türkiye` → `turkiye`), through tantivy's ASCII folding.
fn fold(word: &str, folder: &mut Option<TextAnalyzer>) -> String {
    if word.is_ascii() {
        return cut(word);
    }
    let analyzer = folder.get_or_insert_with(|| {
        TextAnalyzer::builder(RawTokenizer::default())
            .filter(AsciiFoldingFilter)
            .build()
    });
    let mut stream = analyzer.token_stream(word);
    let folded = stream
        .next()
        .map_or_else(|| word.to_string(), |t| t.text.clone());
    cut(&folded)
}

/// The pieces of `text`, at most `max_terms` terms in all (the rest of the text is ignored).
pub fn pieces(text: &str, max_terms: usize) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut terms = 0;
    let mut folder = None;
    // The word being read: its finished parts and the part being read.
    let mut parts: Vec<String> = Vec::new();
    let mut part = String::new();
    let mut run: Vec<char> = Vec::new();
    // Whether the previous character was a joiner right after an alphanumeric one.
    let mut joining = false;

    let finish_word = |parts: &mut Vec<String>,
                       part: &mut String,
                       out: &mut Vec<Piece>,
                       terms: &mut usize,
                       folder: &mut Option<TextAnalyzer>| {
        if !part.is_empty() {
            parts.push(fold(part, folder));
            part.clear();
        }
        if parts.is_empty() {
            return;
        }
        let piece = Piece::Word {
            parts: std::mem::take(parts),
        };
        if *terms + piece.weight() <= max_terms {
            *terms += piece.weight();
            out.push(piece);
        } else {
            *terms = max_terms;
        }
    };
    let finish_run = |run: &mut Vec<char>, out: &mut Vec<Piece>, terms: &mut usize| {
        if run.is_empty() {
            return;
        }
        let grams: Vec<String> = if run.len() == 1 {
            vec![run[0].to_string()]
        } else {
            run.windows(2).map(|w| w.iter().collect()).collect()
        };
        run.clear();
        let room = max_terms.saturating_sub(*terms);
        let grams: Vec<String> = grams.into_iter().take(room).collect();
        if !grams.is_empty() {
            *terms += grams.len();
            out.push(Piece::Cjk { grams });
        }
    };

    for raw in text.chars() {
        if terms >= max_terms {
            break;
        }
        for c in raw.to_lowercase().map(narrow) {
            // Combining accents (`İ` lower-cases to `i` and a dot above) are dropped.
            if ('\u{0300}'..='\u{036F}').contains(&c) {
                continue;
            }
            match class(c) {
                Class::Alnum => {
                    finish_run(&mut run, &mut out, &mut terms);
                    if joining {
                        joining = false;
                        if parts.len() + 1 >= MAX_PARTS {
                            finish_word(&mut parts, &mut part, &mut out, &mut terms, &mut folder);
                        } else if !part.is_empty() {
                            parts.push(fold(&part, &mut folder));
                            part.clear();
                        }
                    }
                    if part.chars().count() < MAX_TERM_CHARS {
                        part.push(c);
                    }
                }
                Class::Cjk => {
                    joining = false;
                    finish_word(&mut parts, &mut part, &mut out, &mut terms, &mut folder);
                    run.push(c);
                }
                Class::Joiner if !part.is_empty() => joining = true,
                Class::Joiner | Class::Other => {
                    joining = false;
                    finish_word(&mut parts, &mut part, &mut out, &mut terms, &mut folder);
                    finish_run(&mut run, &mut out, &mut terms);
                }
            }
        }
    }
    finish_word(&mut parts, &mut part, &mut out, &mut terms, &mut folder);
    finish_run(&mut run, &mut out, &mut terms);
    out
}

/// Every term of `text`, in order, at most `max_terms`.
pub fn terms(text: &str, max_terms: usize) -> Vec<String> {
    pieces(text, max_terms)
        .iter()
        .flat_map(Piece::terms)
        .collect()
}

/// Terms one indexed text may have at most.
pub const MAX_FIELD_TERMS: usize = 10_000;

/// The tokenizer tantivy indexes with: [`terms`] as tokens.
#[derive(Clone, Default)]
pub struct Bigrams;

/// The tokens of one text, made at once.
pub struct Tokens {
    tokens: Vec<Token>,
    /// One past the current token (0 before the first `advance`).
    next: usize,
    none: Token,
}

impl Tokenizer for Bigrams {
    type TokenStream<'a> = Tokens;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Tokens {
        let tokens = terms(text, MAX_FIELD_TERMS)
            .into_iter()
            .enumerate()
            .map(|(position, text)| Token {
                offset_from: 0,
                offset_to: 0,
                position,
                text,
                position_length: 1,
            })
            .collect();
        Tokens {
            tokens,
            next: 0,
            none: Token::default(),
        }
    }
}

impl TokenStream for Tokens {
    fn advance(&mut self) -> bool {
        if self.next < self.tokens.len() {
            self.next += 1;
            true
        } else {
            false
        }
    }

    fn token(&self) -> &Token {
        self.next
            .checked_sub(1)
            .and_then(|i| self.tokens.get(i))
            .unwrap_or(&self.none)
    }

    fn token_mut(&mut self) -> &mut Token {
        match self.next.checked_sub(1) {
            Some(i) if i < self.tokens.len() => &mut self.tokens[i],
            _ => &mut self.none,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(text: &str) -> Vec<String> {
        terms(text, 100)
    }

    #[test]
    fn hangul_runs_become_overlapping_bigrams() {
        assert_eq!(t("석종건"), ["석종", "종건"]);
        assert_eq!(t("천무"), ["천무"]);
        assert_eq!(
            t("한화에어로스페이스"),
            ["한화", "화에", "에어", "어로", "로스", "스페", "페이", "이스"]
        );
    }

    #[test]
    fn a_one_character_run_stays_one_character() {
        assert_eq!(t("석"), ["석"]);
        assert_eq!(t("김 철 수"), ["김", "철", "수"]);
    }

    #[test]
    fn mixed_scripts_split_at_the_script_boundary() {
        assert_eq!(t("K9자주포"), ["k9", "k", "자주", "주포"]);
        assert_eq!(
            t("Seok Jong-gun (석종건)"),
            ["seok", "jong", "gun", "jonggun", "석종", "종건"]
        );
        assert_eq!(t("东京タワー"), ["东京", "京タ", "タワ", "ワー"]);
    }

    #[test]
    fn latin_is_lower_cased_and_split_into_words() {
        assert_eq!(t("Thunder 2000"), ["thunder", "2000"]);
        assert_eq!(
            t("PzH 2000 (Panzerhaubitze 2000)"),
            ["pzh", "2000", "panzerhaubitze", "2000"]
        );
        assert_eq!(t("  ,;!  "), Vec::<String>::new());
    }

    #[test]
    fn joined_words_are_also_indexed_written_together() {
        assert_eq!(t("K-9 155mm"), ["k", "9", "k9", "155mm", "155"]);
        assert_eq!(t("SAMP/T"), ["samp", "t", "sampt"]);
        assert_eq!(t("STANAG-4425"), ["stanag", "4425", "stanag4425"]);
        // A joiner not between two word characters separates.
        assert_eq!(t("- k9 -"), ["k9", "k"]);
        assert_eq!(t("k9- x"), ["k9", "k", "x"]);
    }

    #[test]
    fn beginnings_where_letters_and_digits_meet_are_indexed_too() {
        assert_eq!(t("K9A1"), ["k9a1", "k", "k9", "k9a"]);
        assert_eq!(t("FA-50GF"), ["fa", "50gf", "50", "fa50", "fa50gf"]);
        // At query time a piece asks its parts and their joined form only.
        assert_eq!(pieces("FA-50", 10)[0].weight(), 3);
    }

    #[test]
    fn accents_and_full_width_forms_are_folded() {
        assert_eq!(t("Türkiye"), ["turkiye"]);
        assert_eq!(t("Šekerinska"), ["sekerinska"]);
        assert_eq!(t("Ｋ９"), ["k9", "k"]);
        assert_eq!(t("İSTANBUL"), ["istanbul"]);
    }

    #[test]
    fn terms_are_bounded() {
        assert_eq!(terms("a b c d e", 3), ["a", "b", "c"]);
        assert_eq!(terms("가나다라마바", 2), ["가나", "나다"]);
        let long = "x".repeat(1000);
        assert_eq!(t(&long)[0].chars().count(), MAX_TERM_CHARS);
        let chain = vec!["a"; 40].join("-");
        assert!(terms(&chain, 1000).len() < 60);
    }

    #[test]
    fn the_tokenizer_streams_the_terms() {
        let mut tok = Bigrams;
        let mut stream = tok.token_stream("K-9 석종건");
        let mut seen = Vec::new();
        while let Some(token) = stream.next() {
            seen.push(token.text.clone());
        }
        assert_eq!(seen, ["k", "9", "k9", "석종", "종건"]);
        assert!(!stream.advance());
    }
}
