//! The dataset file (PRODUCT.md "Dataset file", normative): reading with every problem located
//! by its JSON path, and canonical writing (export → import → export is byte-identical).

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use crate::import::{Incoming, Origins, Problem, Style, Unreadable};
use crate::label::Policy;
use crate::location::utf8;
use crate::model::*;

/// Parses a dataset file. A file that is not UTF-8, not JSON, or not a dataset is an error
/// (every such problem found). Otherwise each record is read on its own: records that cannot be
/// read are left out, their problems kept in [`Incoming::problems`] and their keys in
/// [`Incoming::unreadable`], so validation can still report every other problem at once.
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

    if !problems.is_empty() {
        return Err(problems);
    }

    let mut origins = Origins::new(Style::Json);
    let mut unreadable = Unreadable::default();
    let mut data = Dataset::default();
    let mut take =
        |kind: Kind, problems: &mut Vec<Problem>, unreadable: &mut Unreadable| -> Vec<Value> {
            match root.remove(kind.array()) {
                None | Some(Value::Null) => Vec::new(),
                Some(Value::Array(items)) => items,
                Some(other) => {
                    problems.push(Problem::new(
                        format!("$.{}", kind.array()),
                        format!("expected an array, found {}", type_name(&other)),
                    ));
                    unreadable.add_kind(kind);
                    Vec::new()
                }
            }
        };
    let policies = take(Kind::Policy, &mut problems, &mut unreadable);
    let nations = take(Kind::Nation, &mut problems, &mut unreadable);
    let blocs = take(Kind::Bloc, &mut problems, &mut unreadable);
    let organizations = take(Kind::Organization, &mut problems, &mut unreadable);
    let people = take(Kind::Person, &mut problems, &mut unreadable);
    let domains = take(Kind::Domain, &mut problems, &mut unreadable);
    let standards = take(Kind::Standard, &mut problems, &mut unreadable);
    let profiles = take(Kind::Profile, &mut problems, &mut unreadable);
    let systems = take(Kind::System, &mut problems, &mut unreadable);
    let conformances = take(Kind::Conformance, &mut problems, &mut unreadable);
    let gateways = take(Kind::Gateway, &mut problems, &mut unreadable);
    let transfers = take(Kind::Transfer, &mut problems, &mut unreadable);
    let bodies = take(Kind::Body, &mut problems, &mut unreadable);
    let meetings = take(Kind::Meeting, &mut problems, &mut unreadable);
    let minutes = take(Kind::Minutes, &mut problems, &mut unreadable);
    let proposals = take(Kind::Proposal, &mut problems, &mut unreadable);
    let decisions = take(Kind::Decision, &mut problems, &mut unreadable);
    let action_items = take(Kind::ActionItem, &mut problems, &mut unreadable);
    let engagements = take(Kind::Engagement, &mut problems, &mut unreadable);
    let documents = take(Kind::Document, &mut problems, &mut unreadable);
    let capability_areas = take(Kind::CapabilityArea, &mut problems, &mut unreadable);
    let needs = take(Kind::Need, &mut problems, &mut unreadable);
    let offers = take(Kind::Offer, &mut problems, &mut unreadable);
    let instruments = take(Kind::Instrument, &mut problems, &mut unreadable);
    for key in root.keys() {
        problems.push(Problem::new(
            format!("$.{key}"),
            format!(
                "unknown field (a dataset has: format, version, {})",
                Kind::ALL.map(Kind::array).join(", ")
            ),
        ));
    }

    let mut r = Reader {
        origins: &mut origins,
        problems: &mut problems,
        unreadable: &mut unreadable,
    };
    data.policies = r.records::<Policy>(Kind::Policy, policies);
    data.nations = r.records(Kind::Nation, nations);
    data.blocs = r.records(Kind::Bloc, blocs);
    data.organizations = r.records(Kind::Organization, organizations);
    data.people = r.records(Kind::Person, people);
    data.domains = r.records(Kind::Domain, domains);
    data.standards = r.records(Kind::Standard, standards);
    data.profiles = r.records(Kind::Profile, profiles);
    data.systems = r.records(Kind::System, systems);
    data.conformances = r.records(Kind::Conformance, conformances);
    data.gateways = r.records(Kind::Gateway, gateways);
    data.transfers = r.records(Kind::Transfer, transfers);
    data.bodies = r.records(Kind::Body, bodies);
    data.meetings = r.records(Kind::Meeting, meetings);
    data.minutes = r.records(Kind::Minutes, minutes);
    data.proposals = r.records(Kind::Proposal, proposals);
    data.decisions = r.records(Kind::Decision, decisions);
    data.action_items = r.records(Kind::ActionItem, action_items);
    data.engagements = r.records(Kind::Engagement, engagements);
    data.documents = r.records(Kind::Document, documents);
    data.capability_areas = r.records(Kind::CapabilityArea, capability_areas);
    data.needs = r.records(Kind::Need, needs);
    data.offers = r.records(Kind::Offer, offers);
    data.instruments = r.records(Kind::Instrument, instruments);

    Ok(Incoming {
        data,
        origins,
        problems,
        unreadable,
    })
}

/// The field holding a kind's key, to remember the keys of unreadable records.
pub(crate) fn key_field(kind: Kind) -> Option<&'static str> {
    match kind {
        Kind::Nation | Kind::Bloc | Kind::Domain => Some("code"),
        Kind::Conformance => None,
        _ => Some("id"),
    }
}

struct Reader<'a> {
    origins: &'a mut Origins,
    problems: &'a mut Vec<Problem>,
    unreadable: &'a mut Unreadable,
}

impl Reader<'_> {
    /// Converts each element on its own so that one bad record does not hide the others. The
    /// origins of the records kept are recorded in order.
    fn records<T: DeserializeOwned>(&mut self, kind: Kind, items: Vec<Value>) -> Vec<T> {
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.into_iter().enumerate() {
            let base = format!("$.{}[{i}]", kind.array());
            let key = key_field(kind)
                .and_then(|f| item.get(f))
                .and_then(Value::as_str)
                .map(str::to_string);
            match serde_path_to_error::deserialize::<_, T>(item) {
                Ok(r) => {
                    self.origins.push(kind, base);
                    out.push(r);
                }
                Err(e) => {
                    let path = e.path().to_string();
                    let location = if path == "." {
                        base
                    } else if path.starts_with('[') {
                        format!("{base}{path}")
                    } else {
                        format!("{base}.{path}")
                    };
                    self.problems
                        .push(Problem::new(location, e.into_inner().to_string()));
                    if let Some(k) = key {
                        self.unreadable.add_key(kind, k);
                    }
                }
            }
        }
        out
    }
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
    profiles: &'a [Profile],
    systems: &'a [System],
    conformances: &'a [Conformance],
    gateways: &'a [Gateway],
    transfers: &'a [Transfer],
    bodies: &'a [Body],
    meetings: &'a [Meeting],
    minutes: &'a [Minutes],
    proposals: &'a [Proposal],
    decisions: &'a [Decision],
    action_items: &'a [ActionItem],
    engagements: &'a [Engagement],
    documents: &'a [Document],
    capability_areas: &'a [CapabilityArea],
    needs: &'a [Need],
    offers: &'a [Offer],
    instruments: &'a [Instrument],
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
        profiles: &data.profiles,
        systems: &data.systems,
        conformances: &data.conformances,
        gateways: &data.gateways,
        transfers: &data.transfers,
        bodies: &data.bodies,
        meetings: &data.meetings,
        minutes: &data.minutes,
        proposals: &data.proposals,
        decisions: &data.decisions,
        action_items: &data.action_items,
        engagements: &data.engagements,
        documents: &data.documents,
        capability_areas: &data.capability_areas,
        needs: &data.needs,
        offers: &data.offers,
        instruments: &data.instruments,
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
        let problems = match r {
            Err(p) => p,
            Ok(incoming) => incoming.problems,
        };
        problems.into_iter().map(|p| p.to_string()).collect()
    }

    #[test]
    fn empty_dataset_roundtrips() {
        let text = to_string(&Dataset::default());
        let back = parse(text.as_bytes()).unwrap();
        assert_eq!(back.data, Dataset::default());
        assert_eq!(to_string(&back.data), text);
    }

    /// A record's label may be a string of STANAG 4774 XML: one nested a million deep is a
    /// located problem of that record, not a stack overflow.
    #[test]
    fn a_label_of_a_million_nested_elements_is_a_problem() {
        let xml = format!(
            "<ConfidentialityLabel xmlns=\\\"{}\\\">{}{}</ConfidentialityLabel>",
            crate::stanag4774::NS,
            "<a>".repeat(1_000_000),
            "</a>".repeat(1_000_000)
        );
        let text = format!(
            "{{\"format\": \"defcoop-dataset\", \"version\": 1,\n\"nations\": [\n\
             {{\"code\": \"AAA\", \"name\": \"A\", \"label\": \"{xml}\"}}]}}"
        );
        let incoming = parse(text.as_bytes()).unwrap();
        assert!(incoming.data.nations.is_empty());
        let m = messages(Ok(incoming));
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(
            m[0].contains("STANAG 4774 label, line 1: XML nested deeper than 100 elements"),
            "{m:?}"
        );
        assert!(m[0].starts_with("$.nations[0]"), "{m:?}");
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
        let m = messages(parse(br#"{"format": "other", "version": 2}"#));
        assert_eq!(m.len(), 2, "{m:?}");
        assert!(m[0].starts_with("$.format"));
        assert!(m[1].starts_with("$.version"));
        assert_eq!(messages(parse(b"[]")).len(), 1);
        let m = messages(parse(
            br#"{"format": "defcoop-dataset", "version": 1, "nations": {}}"#,
        ));
        assert_eq!(m, vec!["$.nations: expected an array, found an object"]);
    }

    #[test]
    fn unreadable_records_are_left_out_and_remembered() {
        let text = br#"{"format": "defcoop-dataset", "version": 1,
            "nations": [{"code": "KOR", "name": "Korea"}, {"code": "POL", "name": 7}]}"#;
        let incoming = parse(text).unwrap();
        assert_eq!(incoming.data.nations.len(), 1);
        assert_eq!(incoming.problems.len(), 1);
        assert!(incoming.unreadable.covers(Kind::Nation, "POL"));
        assert!(!incoming.unreadable.covers(Kind::Nation, "KOR"));
        assert_eq!(incoming.origins.at(Kind::Nation, 0, None), "$.nations[0]");
    }

    #[test]
    fn a_label_may_be_stanag_4774_xml() {
        let object = r#"{"policy": "ACME", "classification": "INTERNAL", "categories": [
            {"type": "restrictive", "name": "Sensitive", "values": ["RED", "BLUE"]}]}"#;
        let xml = serde_json::to_string(
            "<?xml version=\"1.0\"?>\n<originatorConfidentialityLabel><ConfidentialityInformation>\
             <PolicyIdentifier>ACME</PolicyIdentifier><Classification>INTERNAL</Classification>\
             <Category TagName=\"Sensitive\" Type=\"RESTRICTIVE\"><GenericValue>RED</GenericValue>\
             <GenericValue>BLUE</GenericValue></Category>\
             </ConfidentialityInformation></originatorConfidentialityLabel>",
        )
        .unwrap();
        let bad = serde_json::to_string(
            "<?xml version=\"1.0\"?>\n<originatorConfidentialityLabel\n xmlns:4774=\"urn:x\"/>",
        )
        .unwrap();
        let text = format!(
            r#"{{"format": "defcoop-dataset", "version": 1, "nations": [
                {{"code": "AAA", "name": "A", "label": {object}}},
                {{"code": "BBB", "name": "B", "label": {xml}}},
                {{"code": "CCC", "name": "C", "label": {bad}}},
                {{"code": "DDD", "name": "D", "label": {{"policy": "ACME"}}}}]}}"#
        );
        let incoming = parse(text.as_bytes()).unwrap();
        let nations = &incoming.data.nations;
        assert_eq!(nations.len(), 2);
        assert!(nations[0].label.is_some());
        assert_eq!(nations[0].label, nations[1].label);
        let m: Vec<String> = incoming.problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(
            m,
            [
                "$.nations[2].label: STANAG 4774 label, line 3: malformed XML: the namespace prefix \"4774\" (declared by xmlns:4774) is not a legal XML name: a name cannot start with a digit",
                "$.nations[3].label: missing field `classification`",
            ]
        );
        // Export stays the object form.
        assert!(to_string(&incoming.data).contains("\"policy\": \"ACME\""));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = "[".repeat(100_000);
        let m = messages(parse(deep.as_bytes()));
        assert_eq!(m.len(), 1);
        assert!(m[0].contains("recursion limit"), "{m:?}");
    }
}
