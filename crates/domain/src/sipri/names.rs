//! The SIPRI name table (`sipri_countries.tsv`): every name SIPRI writes for a supplier or a
//! recipient, mapped to an ISO 3166 alpha-3 nation or marked non-state or unknown.

use super::*;

pub(super) const TABLE_NAME: &str = "sipri_countries.tsv";
pub(super) const TABLE_TEXT: &str = include_str!("sipri_countries.tsv");

#[derive(Clone, Copy)]
pub(super) enum Kind {
    State(&'static str),
    NonState,
    Unknown,
}

pub(super) struct Table {
    /// Name → kind, and the names in file order.
    pub(super) by_name: HashMap<&'static str, Kind>,
    pub(super) order: Vec<&'static str>,
    pub(super) problems: Vec<Problem>,
}

pub(super) fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| load_table(TABLE_NAME, TABLE_TEXT))
}

pub(super) fn load_table(file: &str, text: &'static str) -> Table {
    let mut t = Table {
        by_name: HashMap::new(),
        order: Vec::new(),
        problems: Vec::new(),
    };
    for (i, line) in text.lines().enumerate() {
        let at = format!("{file}:{}", i + 1);
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let [name, kind, code] = fields[..] else {
            t.problems.push(Problem::new(
                at,
                format!("expected 3 TAB-separated fields, found {}", fields.len()),
            ));
            continue;
        };
        let kind = match (kind, code) {
            ("state", c) if c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase()) => {
                Kind::State(c)
            }
            ("state", c) => {
                t.problems.push(Problem::new(
                    at,
                    format!("a state needs a three-letter upper-case code, found \"{c}\""),
                ));
                continue;
            }
            ("non-state", "") => Kind::NonState,
            ("unknown", "") => Kind::Unknown,
            ("non-state" | "unknown", c) => {
                t.problems.push(Problem::new(
                    at,
                    format!("only states have a code, found \"{c}\""),
                ));
                continue;
            }
            (k, _) => {
                t.problems.push(Problem::new(
                    at,
                    format!("unknown kind \"{k}\" (expected state, non-state or unknown)"),
                ));
                continue;
            }
        };
        if name.is_empty() || name != name.trim() {
            t.problems.push(Problem::new(
                at,
                format!("name \"{name}\" is empty or has surrounding spaces"),
            ));
            continue;
        }
        if t.by_name.insert(name, kind).is_some() {
            t.problems
                .push(Problem::new(at, format!("name \"{name}\" appears twice")));
            continue;
        }
        t.order.push(name);
    }
    t
}

pub(super) fn to_actor(name: &str, kind: Kind) -> Actor {
    match kind {
        Kind::State(code) => Actor::State {
            code: code.to_string(),
            name: name.to_string(),
        },
        Kind::NonState => Actor::NonState {
            name: name.to_string(),
        },
        Kind::Unknown => Actor::Unknown {
            name: name.to_string(),
        },
    }
}

/// The actor SIPRI means by `name` (exactly as in its Supplier and Recipient columns).
pub fn actor(name: &str) -> Option<Actor> {
    table().by_name.get(name).map(|k| to_actor(name, *k))
}

/// The whole name table, in its file's order.
pub fn actors() -> Vec<Actor> {
    let t = table();
    t.order
        .iter()
        .filter_map(|n| t.by_name.get(n).map(|k| to_actor(n, *k)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_name_table_is_well_formed() {
        let t = table();
        assert!(t.problems.is_empty(), "{:#?}", t.problems);
        let all = actors();
        assert_eq!(all.len(), 214);
        let count = |f: fn(&Actor) -> bool| all.iter().filter(|a| f(a)).count();
        assert_eq!(count(|a| matches!(a, Actor::State { .. })), 183);
        assert_eq!(count(|a| matches!(a, Actor::NonState { .. })), 28);
        assert_eq!(count(|a| matches!(a, Actor::Unknown { .. })), 3);
        // One name per state code.
        let mut codes: Vec<&str> = all.iter().filter_map(Actor::code).collect();
        let n = codes.len();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), n);
        for (name, code) in [
            ("South Korea", "KOR"),
            ("North Korea", "PRK"),
            ("Poland", "POL"),
            ("Turkiye", "TUR"),
            ("UAE", "ARE"),
            ("Taiwan", "TWN"),
            ("Palestine", "PSE"),
            ("Kosovo", "XKX"),
            ("Soviet Union", "SUN"),
            ("Czechoslovakia", "CSK"),
            ("Yugoslavia", "YUG"),
            ("East Germany (GDR)", "DDR"),
        ] {
            assert_eq!(
                actor(name).as_ref().and_then(Actor::code),
                Some(code),
                "{name}"
            );
        }
        assert!(matches!(actor("NATO**"), Some(Actor::NonState { .. })));
        assert!(matches!(
            actor("Hezbollah (Lebanon)*"),
            Some(Actor::NonState { .. })
        ));
        assert!(matches!(
            actor("unknown supplier(s)"),
            Some(Actor::Unknown { .. })
        ));
        assert_eq!(actor("Atlantis"), None);
    }

    #[test]
    fn table_format_errors_are_located() {
        let t = load_table(
            "x.tsv",
            "# c\nA\tstate\tAA\nB\tnon-state\tBBB\nC\tnation\t\nD\tstate\nE\tstate\tEEE\nE\tstate\tEEF\n",
        );
        let ps: Vec<String> = t.problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            ps,
            vec![
                "x.tsv:2: a state needs a three-letter upper-case code, found \"AA\"",
                "x.tsv:3: only states have a code, found \"BBB\"",
                "x.tsv:4: unknown kind \"nation\" (expected state, non-state or unknown)",
                "x.tsv:5: expected 3 TAB-separated fields, found 2",
                "x.tsv:7: name \"E\" appears twice",
            ]
        );
    }
}
