//! The validator's checks of each kind of record: fields, references, labels, policies.

use super::*;

impl Validator<'_> {
    pub(super) fn check_policy(&mut self, p: &Policy, at: Option<usize>) {
        let rec = (p, at);
        self.text(rec, "id", &p.id, id);
        if p.classifications.is_empty() {
            self.problem(
                rec,
                Some("classifications"),
                "a policy needs at least one classification",
            );
        }
        let mut seen = HashSet::new();
        for (i, c) in p.classifications.iter().enumerate() {
            let field = format!("classifications[{i}]");
            self.text(rec, &field, c, text);
            if !seen.insert(c.as_str()) {
                self.problem(
                    rec,
                    Some(&field),
                    format!("classification \"{c}\" listed twice"),
                );
            }
        }
        self.check_closed_policy(p, at);
    }

    /// A closed policy's categories and requirements: names present and unique, and every
    /// reference (excluded classes, required values) to something the policy defines.
    pub(super) fn check_closed_policy(&mut self, p: &Policy, at: Option<usize>) {
        let rec = (p, at);
        let classes: HashSet<&str> = p.classifications.iter().map(String::as_str).collect();
        let mut names = HashSet::new();
        for (i, cat) in p.categories.iter().enumerate() {
            let base = format!("categories[{i}]");
            self.text(rec, &format!("{base}.name"), &cat.name, text);
            if !names.insert(cat.name.as_str()) {
                self.problem(
                    rec,
                    Some(&format!("{base}.name")),
                    format!("category \"{}\" defined twice", cat.name),
                );
            }
            if cat.values.is_empty() {
                self.problem(
                    rec,
                    Some(&format!("{base}.values")),
                    format!("category \"{}\" needs at least one value", cat.name),
                );
            }
            let mut values = HashSet::new();
            for (j, v) in cat.values.iter().enumerate() {
                let field = format!("{base}.values[{j}]");
                self.text(rec, &format!("{field}.name"), &v.name, text);
                if !values.insert(v.name.as_str()) {
                    self.problem(
                        rec,
                        Some(&format!("{field}.name")),
                        format!(
                            "value \"{}\" of category \"{}\" defined twice",
                            v.name, cat.name
                        ),
                    );
                }
                for (k, class) in v.excluded_classes.iter().enumerate() {
                    if !classes.contains(class.as_str()) {
                        self.problem(
                            rec,
                            Some(&format!("{field}.excluded_classes[{k}]")),
                            format!("unknown classification \"{class}\""),
                        );
                    }
                }
            }
        }
        for (i, req) in p.required.iter().enumerate() {
            let base = format!("required[{i}]");
            if !classes.contains(req.classification.as_str()) {
                self.problem(
                    rec,
                    Some(&format!("{base}.classification")),
                    format!("unknown classification \"{}\"", req.classification),
                );
            }
            if req.values.is_empty() {
                self.problem(
                    rec,
                    Some(&format!("{base}.values")),
                    "a requirement needs at least one value",
                );
            }
            for (j, rv) in req.values.iter().enumerate() {
                let field = format!("{base}.values[{j}]");
                match p.categories.iter().find(|c| c.name == rv.category) {
                    None => self.problem(
                        rec,
                        Some(&format!("{field}.category")),
                        format!("unknown category \"{}\"", rv.category),
                    ),
                    Some(c) if !c.values.iter().any(|v| v.name == rv.value) => self.problem(
                        rec,
                        Some(&format!("{field}.value")),
                        format!("category \"{}\" has no value \"{}\"", rv.category, rv.value),
                    ),
                    Some(_) => {}
                }
            }
        }
    }

    pub(super) fn problem<T: Keyed>(
        &mut self,
        at: (&T, Option<usize>),
        field: Option<&str>,
        msg: impl Into<String>,
    ) {
        let location = self.location(at.0, at.1, field);
        self.problems.push(Problem::new(location, msg));
    }

    pub(super) fn text<T: Keyed>(
        &mut self,
        at: (&T, Option<usize>),
        field: &str,
        value: &str,
        check: Check,
    ) {
        if let Err(msg) = check(value) {
            self.problem(at, Some(field), msg);
        }
    }

    /// A record's aliases: each a text, none twice, none another record's alias (compared
    /// ignoring case and surrounding spaces: an alias names one record). `seen` maps the
    /// aliases met so far to their record.
    pub(super) fn aliases<'r, T: Keyed>(
        &mut self,
        at: (&T, Option<usize>),
        key: &'r str,
        aliases: &'r [String],
        noun: &str,
        seen: &mut HashMap<String, &'r str>,
    ) {
        for (i, a) in aliases.iter().enumerate() {
            let field = format!("aliases[{i}]");
            self.text(at, &field, a, text);
            match seen.entry(crate::import::alias_key(a)) {
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(key);
                }
                std::collections::hash_map::Entry::Occupied(e) if *e.get() == key => {
                    self.problem(at, Some(&field), format!("alias \"{a}\" listed twice"));
                }
                std::collections::hash_map::Entry::Occupied(e) => {
                    self.problem(
                        at,
                        Some(&field),
                        format!(
                            "alias \"{a}\" already names {noun} \"{}\" (an alias names one record; merge the two if they are one)",
                            e.get()
                        ),
                    );
                }
            }
        }
    }

    pub(super) fn reference<T: Keyed>(
        &mut self,
        at: (&T, Option<usize>),
        field: &str,
        value: &str,
        what: &str,
        known: &HashSet<&str>,
    ) {
        let kind = match what {
            "nation" => Kind::Nation,
            "organization" => Kind::Organization,
            "domain" => Kind::Domain,
            "standard" => Kind::Standard,
            "profile" => Kind::Profile,
            _ => Kind::System,
        };
        if !known.contains(value) && !self.unreadable.covers(kind, value) {
            self.problem(at, Some(field), format!("unknown {what} \"{value}\""));
        }
    }

    pub(super) fn meta<T: Keyed>(
        &mut self,
        at: (&T, Option<usize>),
        label: Option<&Label>,
        sources: &[Source],
    ) {
        if let Some(label) = label {
            if let Err(e) = check_label(label, &self.policies) {
                if !self.unreadable.covers(Kind::Policy, &label.policy) {
                    self.problem(at, Some("label"), e.to_string());
                }
            } else if at.1.is_some() && !self.writer.may_read(Some(label), &self.policies) {
                self.problem(
                    at,
                    Some("label"),
                    "you may only write a label that you satisfy yourself",
                );
            }
        }
        for (i, s) in sources.iter().enumerate() {
            self.text(at, &format!("sources[{i}].title"), &s.title, text);
            if let Some(url) = &s.url {
                self.text(at, &format!("sources[{i}].url"), url, web_url);
            }
        }
    }
}

pub(super) fn noun(kind: Kind) -> &'static str {
    kind.noun()
}
