//! Names of nations and blocs in the reader's language: Korean from the tables compiled in
//! (`nations_ko.tsv`, `blocs_ko.tsv`, sources in their headers), else the registry's own name.

use std::collections::HashMap;
use std::sync::LazyLock;

use super::Lang;

const NATIONS_KO: &str = include_str!("nations_ko.tsv");
const BLOCS_KO: &str = include_str!("blocs_ko.tsv");

static NATIONS: LazyLock<HashMap<&'static str, &'static str>> =
    LazyLock::new(|| parse_table(NATIONS_KO).0);
static BLOCS: LazyLock<HashMap<&'static str, &'static str>> =
    LazyLock::new(|| parse_table(BLOCS_KO).0);

/// A nation's name in `lang`: the Korean name of `code` when there is one, else
/// `registry_name` (always in English).
pub fn nation_name<'a>(lang: Lang, code: &str, registry_name: &'a str) -> &'a str {
    match lang {
        Lang::En => registry_name,
        Lang::Ko => NATIONS.get(code).copied().unwrap_or(registry_name),
    }
}

/// A bloc's name in `lang`: the Korean name of `code` when there is one, else
/// `registry_name`.
pub fn bloc_name<'a>(lang: Lang, code: &str, registry_name: &'a str) -> &'a str {
    match lang {
        Lang::En => registry_name,
        Lang::Ko => BLOCS.get(code).copied().unwrap_or(registry_name),
    }
}

/// The codes the Korean nation table names.
pub fn nation_codes_ko() -> impl Iterator<Item = &'static str> {
    NATIONS.keys().copied()
}

/// `CODE<TAB>NAME` lines (`#` comments and blank lines skipped) into a map, with a problem
/// (`line N: ...`) for every line that is not one: a missing or empty field, an extra field, a
/// code given twice.
fn parse_table(text: &str) -> (HashMap<&str, &str>, Vec<String>) {
    let mut map = HashMap::new();
    let mut problems = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        match fields.as_slice() {
            [code, name] if !code.trim().is_empty() && !name.trim().is_empty() => {
                if code.trim() != *code || name.trim() != *name {
                    problems.push(format!("line {n}: spaces around a field"));
                }
                if map.insert(*code, *name).is_some() {
                    problems.push(format!("line {n}: {code} given twice"));
                }
            }
            _ => problems.push(format!("line {n}: not CODE<TAB>NAME")),
        }
    }
    (map, problems)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    const SIPRI: &str = include_str!("../../../domain/src/sipri/sipri_countries.tsv");
    const DEMO: &str = include_str!("../../../../data/demo/dataset.json");
    const BLOCS_YAML: &str = include_str!("../../../../data/blocs/blocs.yaml");

    fn hangul(s: &str) -> bool {
        s.chars().any(|c| ('가'..='힣').contains(&c))
    }

    #[test]
    fn the_tables_parse_without_duplicates_or_empty_names() {
        for (table, min) in [(NATIONS_KO, 254), (BLOCS_KO, 5)] {
            let (map, problems) = parse_table(table);
            assert!(problems.is_empty(), "{problems:?}");
            assert!(map.len() >= min);
            for (code, name) in &map {
                assert!(hangul(name), "{code}: {name}");
            }
        }
        let (_, problems) = parse_table("KOR\t대한민국\nKOR\t한국\nUSA\t\nFRA\nDEU\t독일\tx\n");
        assert_eq!(problems.len(), 4, "{problems:?}");
    }

    #[test]
    fn every_iso_code_of_the_sipri_table_and_the_data_has_a_korean_name() {
        let mut codes = BTreeSet::new();
        for line in SIPRI.lines().filter(|l| !l.starts_with('#')) {
            let f: Vec<&str> = line.split('\t').collect();
            if f.len() == 3 && f[1] == "state" {
                codes.insert(f[2].to_string());
            }
        }
        assert!(codes.len() > 150);
        let demo: serde_json::Value = serde_json::from_str(DEMO).unwrap();
        for n in demo["nations"].as_array().unwrap() {
            codes.insert(n["code"].as_str().unwrap().to_string());
        }
        for line in BLOCS_YAML.lines() {
            if let Some(code) = line.trim().strip_prefix("- nation: ") {
                codes.insert(code.trim().to_string());
            }
        }
        let missing: Vec<_> = codes
            .iter()
            .filter(|c| !NATIONS.contains_key(c.as_str()))
            .collect();
        assert!(missing.is_empty(), "no Korean name for {missing:?}");
        // Bloc codes of the demo.
        for b in demo["blocs"].as_array().unwrap() {
            let code = b["code"].as_str().unwrap();
            assert!(BLOCS.contains_key(code), "no Korean name for bloc {code}");
        }
    }

    #[test]
    fn names_fall_back_to_the_registry() {
        assert_eq!(nation_name(Lang::Ko, "KOR", "South Korea"), "대한민국");
        assert_eq!(nation_name(Lang::Ko, "TUR", "Turkiye"), "튀르키예");
        assert_eq!(
            nation_name(Lang::Ko, "MKD", "North Macedonia"),
            "북마케도니아"
        );
        assert_eq!(nation_name(Lang::En, "KOR", "South Korea"), "South Korea");
        assert_eq!(nation_name(Lang::Ko, "XHN", "Hidden"), "Hidden");
        assert_eq!(
            bloc_name(Lang::Ko, "NATO", "North Atlantic Treaty Organization"),
            "북대서양조약기구"
        );
        assert_eq!(bloc_name(Lang::Ko, "EU", "European Union"), "유럽연합");
        assert_eq!(bloc_name(Lang::Ko, "EFTA", "x"), "유럽자유무역연합");
        assert_eq!(bloc_name(Lang::Ko, "ZZ", "Zed"), "Zed");
        assert_eq!(
            bloc_name(Lang::En, "EU", "European Union"),
            "European Union"
        );
        assert!(nation_codes_ko().count() >= 254);
    }
}
