//! The dataset file (PRODUCT.md "Dataset file", normative): reading with every problem located
//! by its JSON path, and canonical writing (export → import → export is byte-identical).

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use crate::import::{Incoming, Origins, Problem, Style};
use crate::label::Policy;
use crate::model::*;

/// Locates a byte offset as `line L, column C` (1-based; columns count characters).
pub fn line_col(text: &[u8], offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |p| p + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line, column)
}

/// Checks that `bytes` are UTF-8; the error names the first bad byte's line and column.
pub fn utf8(bytes: &[u8]) -> Result<&str, Problem> {
    std::str::from_utf8(bytes).map_err(|e| {
        let (line, column) = line_col(bytes, e.valid_up_to());
        Problem::new(
            format!("line {line}, column {column}"),
            format!(
                "the file is not UTF-8 (invalid byte 0x{:02X} at byte offset {})",
                bytes[e.valid_up_to()],
                e.valid_up_to()
            ),
        )
    })
}

/// Parses a dataset file. On failure returns every problem found: syntax errors stop at the
/// first; after that each record is checked on its own, so all type errors are reported.
pub fn parse(bytes: &[u8]) -> Result<Incoming, Vec<Problem>> {
    let text = utf8(bytes).map_err(|p| vec![p])?;
    let root: Value = serde_json::from_str(text).map_err(|e| {
        vec![Problem::new(
            format!("line {}, column {}", e.line(), e.column()),
            format!("not valid JSON: {}", strip_position(&e.to_string())),
        )]
    })?;
    let Value::Object(mut root) = root else {
        return Err(vec![Problem::new(
            "$",
            "a dataset is a JSON object with \"format\": \"defcoop-dataset\"",
        )]);
    };

    let mut problems = Vec::new();
    match root.remove("format") {
        Some(Value::String(f)) if f == DATASET_FORMAT => {}
        Some(other) => problems.push(Problem::new(
            "$.format",
            format!("expected \"{DATASET_FORMAT}\", found {other}"),
        )),
        None => problems.push(Problem::new(
            "$",
            format!("missing \"format\": \"{DATASET_FORMAT}\""),
        )),
    }
    match root.remove("version") {
        Some(Value::Number(n)) if n.as_u64() == Some(DATASET_VERSION) => {}
        Some(other) => problems.push(Problem::new(
            "$.version",
            format!("this build reads version {DATASET_VERSION}, found {other}"),
        )),
        None => problems.push(Problem::new(
            "$",
            format!("missing \"version\": {DATASET_VERSION}"),
        )),
    }

    let mut origins = Origins::new(Style::Json);
    let mut data = Dataset::default();
    let mut take = |kind: Kind, problems: &mut Vec<Problem>| -> Vec<Value> {
        match root.remove(kind.array()) {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) => {
                for i in 0..items.len() {
                    origins.push(kind, format!("$.{}[{i}]", kind.array()));
                }
                items
            }
            Some(other) => {
                problems.push(Problem::new(
                    format!("$.{}", kind.array()),
                    format!("expected an array, found {}", type_name(&other)),
                ));
                Vec::new()
            }
        }
    };
    let policies = take(Kind::Policy, &mut problems);
    let nations = take(Kind::Nation, &mut problems);
    let blocs = take(Kind::Bloc, &mut problems);
    let organizations = take(Kind::Organization, &mut problems);
    let people = take(Kind::Person, &mut problems);
    let domains = take(Kind::Domain, &mut problems);
    let standards = take(Kind::Standard, &mut problems);
    let systems = take(Kind::System, &mut problems);
    let conformances = take(Kind::Conformance, &mut problems);
    let gateways = take(Kind::Gateway, &mut problems);
    for key in root.keys() {
        problems.push(Problem::new(
            format!("$.{key}"),
            format!(
                "unknown field (a dataset has: format, version, {})",
                Kind::ALL.map(Kind::array).join(", ")
            ),
        ));
    }

    data.policies = records::<Policy>(Kind::Policy, policies, &mut problems);
    data.nations = records(Kind::Nation, nations, &mut problems);
    data.blocs = records(Kind::Bloc, blocs, &mut problems);
    data.organizations = records(Kind::Organization, organizations, &mut problems);
    data.people = records(Kind::Person, people, &mut problems);
    data.domains = records(Kind::Domain, domains, &mut problems);
    data.standards = records(Kind::Standard, standards, &mut problems);
    data.systems = records(Kind::System, systems, &mut problems);
    data.conformances = records(Kind::Conformance, conformances, &mut problems);
    data.gateways = records(Kind::Gateway, gateways, &mut problems);

    if problems.is_empty() {
        Ok(Incoming { data, origins })
    } else {
        Err(problems)
    }
}

/// Converts each element on its own so that one bad record does not hide the others.
fn records<T: DeserializeOwned>(
    kind: Kind,
    items: Vec<Value>,
    problems: &mut Vec<Problem>,
) -> Vec<T> {
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        match serde_path_to_error::deserialize::<_, T>(item) {
            Ok(r) => out.push(r),
            Err(e) => {
                let path = e.path().to_string();
                let base = format!("$.{}[{i}]", kind.array());
                let location = if path == "." {
                    base
                } else if path.starts_with('[') {
                    format!("{base}{path}")
                } else {
                    format!("{base}.{path}")
                };
                problems.push(Problem::new(location, e.into_inner().to_string()));
            }
        }
    }
    out
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// serde_json appends " at line L column C" to messages; the location says it already.
fn strip_position(msg: &str) -> &str {
    msg.rfind(" at line ").map_or(msg, |i| &msg[..i])
}

#[derive(Serialize)]
struct File<'a> {
    format: &'static str,
    version: u64,
    policies: &'a [Policy],
    nations: &'a [Nation],
    blocs: &'a [Bloc],
    organizations: &'a [Organization],
    people: &'a [Person],
    domains: &'a [Domain],
    standards: &'a [Standard],
    systems: &'a [System],
    conformances: &'a [Conformance],
    gateways: &'a [Gateway],
}

/// Writes a dataset in canonical form: normalized, two-space indented, ending in a newline.
pub fn to_string(data: &Dataset) -> String {
    let mut data = data.clone();
    data.normalize();
    let file = File {
        format: DATASET_FORMAT,
        version: DATASET_VERSION,
        policies: &data.policies,
        nations: &data.nations,
        blocs: &data.blocs,
        organizations: &data.organizations,
        people: &data.people,
        domains: &data.domains,
        standards: &data.standards,
        systems: &data.systems,
        conformances: &data.conformances,
        gateways: &data.gateways,
    };
    // Serializing plain structs of strings and numbers into a String cannot fail.
    let mut out = serde_json::to_string_pretty(&file).unwrap_or_default();
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(r: Result<Incoming, Vec<Problem>>) -> Vec<String> {
        r.err()
            .unwrap_or_default()
            .into_iter()
            .map(|p| p.to_string())
            .collect()
    }

    #[test]
    fn empty_dataset_roundtrips() {
        let text = to_string(&Dataset::default());
        let back = parse(text.as_bytes()).unwrap();
        assert_eq!(back.data, Dataset::default());
        assert_eq!(to_string(&back.data), text);
    }

    #[test]
    fn syntax_error_names_line_and_column() {
        let m = messages(parse(
            b"{\"format\": \"defcoop-dataset\",\n  \"version\": 1,,\n}",
        ));
        assert_eq!(m.len(), 1);
        assert!(
            m[0].starts_with("line 2, column 16: not valid JSON"),
            "{m:?}"
        );
    }

    #[test]
    fn not_utf8_names_the_byte() {
        let m = messages(parse(b"{\"format\": \"x\xff\"}"));
        assert_eq!(m.len(), 1);
        assert!(
            m[0].contains("line 1, column 14") && m[0].contains("0xFF"),
            "{m:?}"
        );
    }

    #[test]
    fn every_bad_record_is_reported_with_its_path() {
        let text = r#"{"format": "defcoop-dataset", "version": 1,
            "nations": [{"code": "KOR"}, {"code": "POL", "name": "Poland", "colour": "red"}],
            "systems": [{"id": "k9", "name": "K9", "category": "spg", "origin": "KOR",
                         "operators": [{"nation": "POL", "quantity": -3}]}],
            "conformances": [{"system": "k9", "standard": "S", "status": "rumoured"}],
            "extra": []}"#;
        let m = messages(parse(text.as_bytes()));
        assert_eq!(m.len(), 5, "{m:#?}");
        assert!(m[0].starts_with("$.extra: unknown field"));
        assert!(m[1].starts_with("$.nations[0]: missing field `name`"));
        assert!(m[2].starts_with("$.nations[1].colour: unknown field `colour`"));
        assert!(m[3].starts_with("$.systems[0].operators[0].quantity: invalid value"));
        assert!(m[4].starts_with("$.conformances[0].status: unknown variant `rumoured`"));
    }

    #[test]
    fn wrong_format_and_version_are_reported() {
        let m = messages(parse(
            br#"{"format": "other", "version": 2, "nations": {}}"#,
        ));
        assert_eq!(m.len(), 3, "{m:?}");
        assert!(m[0].starts_with("$.format"));
        assert!(m[1].starts_with("$.version"));
        assert!(m[2].starts_with("$.nations: expected an array, found an object"));
        assert_eq!(messages(parse(b"[]")).len(), 1);
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = "[".repeat(100_000);
        let m = messages(parse(deep.as_bytes()));
        assert_eq!(m.len(), 1);
        assert!(m[0].contains("recursion limit"), "{m:?}");
    }
}
