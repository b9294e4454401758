//! One Markdown file's YAML front matter: found, loaded with a depth limit, and its fields
//! read into the raw elements, every problem located `path:line`.

use super::*;

/// The YAML front matter of a Markdown file: between a first line `---` and the next `---`.
pub(super) fn front_matter<'a>(
    path: &str,
    text: &'a str,
    problems: &mut Vec<Problem>,
) -> Option<MarkedYaml<'a>> {
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if first.trim_end() != "---" {
        problems.push(Problem::new(
            format!("{path}:1"),
            "missing front matter (the file must start with a '---' line)",
        ));
        return None;
    }
    let start = first.len();
    let mut end = None;
    let mut at = start;
    for line in lines {
        if line.trim_end() == "---" {
            end = Some(at);
            break;
        }
        at += line.len();
    }
    let Some(end) = end else {
        problems.push(Problem::new(
            format!("{path}:1"),
            "front matter not closed by a '---' line",
        ));
        return None;
    };
    let yaml = &text[start..end];
    match load_yaml(yaml) {
        Err((line, message)) => {
            problems.push(Problem::new(
                format!("{path}:{}", line + 1),
                format!("front matter is not valid YAML: {message}"),
            ));
            None
        }
        Ok(docs) => match docs.into_iter().next() {
            Some(root) if root.data.is_mapping() => Some(root),
            _ => {
                problems.push(Problem::new(
                    format!("{path}:2"),
                    "front matter is not a YAML mapping of fields",
                ));
                None
            }
        },
    }
}

/// How deep YAML collections may nest in front matter (NISP's nest 3 deep).
pub(super) const MAX_YAML_DEPTH: usize = 64;

/// Loads YAML documents as `MarkedYaml::load_from_str` does, refusing collections nested deeper
/// than [`MAX_YAML_DEPTH`] (an alias counts as deep as the node it copies) before they are built:
/// saphyr's `Parser::load` recurses once per level and its trees are cloned and dropped
/// recursively, so the events are fed to the loader here, in a loop. The error is (line in
/// `yaml`, 1-based; message).
pub(super) fn load_yaml(yaml: &str) -> Result<Vec<MarkedYaml<'_>>, (usize, String)> {
    let mut parser = Parser::new_from_str(yaml);
    let mut loader: YamlLoader<'_, MarkedYaml<'_>> = YamlLoader::default();
    // Per open collection: its anchor id (0: none) and the height of its tallest child so far.
    let mut open: Vec<(usize, usize)> = Vec::new();
    // The height of each anchored node: a scalar 0, a collection 1 + its tallest child.
    let mut heights: HashMap<usize, usize> = HashMap::new();
    let too_deep = |line: usize| {
        (
            line,
            format!("YAML nested deeper than {MAX_YAML_DEPTH} levels"),
        )
    };
    while let Some(next) = parser.next_event() {
        let (event, span) = next.map_err(|e| (e.marker().line(), e.info().to_string()))?;
        match &event {
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if open.len() >= MAX_YAML_DEPTH {
                    return Err(too_deep(span.start.line()));
                }
                open.push((*anchor, 0));
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some((anchor, tallest)) = open.pop() {
                    completed(&mut open, &mut heights, anchor, tallest + 1);
                }
            }
            Event::Scalar(_, _, anchor, _) => completed(&mut open, &mut heights, *anchor, 0),
            Event::Alias(id) => {
                let height = heights.get(id).copied().unwrap_or(0);
                if open.len() + height > MAX_YAML_DEPTH {
                    return Err(too_deep(span.start.line()));
                }
                completed(&mut open, &mut heights, 0, height);
            }
            _ => {}
        }
        loader.on_event(event, span);
    }
    match loader.error() {
        Some(e) => Err((e.marker().line(), e.info().to_string())),
        None => Ok(loader.into_documents()),
    }
}

/// A node of `height` is complete: it is recorded under its anchor (if any, not 0), and its
/// parent's tallest child may grow.
pub(super) fn completed(
    open: &mut [(usize, usize)],
    heights: &mut HashMap<usize, usize>,
    anchor: usize,
    height: usize,
) {
    if anchor > 0 {
        heights.insert(anchor, height);
    }
    if let Some(parent) = open.last_mut() {
        parent.1 = parent.1.max(height);
    }
}

/// Reading the fields of one file's front matter.
pub(super) struct File<'p> {
    pub(super) path: &'p str,
    pub(super) problems: &'p mut Vec<Problem>,
}

/// The file line of a node (the front matter starts on line 2).
pub(super) fn line_of(node: &MarkedYaml<'_>) -> usize {
    node.span.start.line() + 1
}

pub(super) fn field<'n, 'a>(
    map: &'n MarkedYaml<'a>,
    key: &str,
) -> Option<(&'n MarkedYaml<'a>, &'n MarkedYaml<'a>)> {
    match &map.data {
        YamlData::Mapping(m) => m.iter().find(|(k, _)| match &k.data {
            YamlData::Value(Scalar::String(s)) => s == key,
            _ => false,
        }),
        _ => None,
    }
}

impl File<'_> {
    pub(super) fn problem(&mut self, line: usize, message: impl Into<String>) {
        self.problems
            .push(Problem::new(format!("{}:{line}", self.path), message));
    }

    /// A scalar field as trimmed text and the line of its key; `None` when absent, null or
    /// blank. A list or mapping instead is a problem.
    pub(super) fn text(&mut self, map: &MarkedYaml<'_>, key: &str) -> Option<(String, usize)> {
        let (k, v) = field(map, key)?;
        let line = line_of(k);
        let s = match &v.data {
            YamlData::Value(Scalar::String(s)) => s.to_string(),
            YamlData::Value(Scalar::Null) => return None,
            YamlData::Value(Scalar::Boolean(b)) => b.to_string(),
            YamlData::Value(Scalar::Integer(i)) => i.to_string(),
            YamlData::Value(Scalar::FloatingPoint(f)) => f.to_string(),
            _ => {
                self.problem(line, format!("{key}: expected text"));
                return None;
            }
        };
        let s = s.trim();
        (!s.is_empty()).then(|| (s.to_string(), line))
    }

    /// A sequence field's items; none when absent or null. Anything else is a problem.
    pub(super) fn list<'n, 'a>(
        &mut self,
        map: &'n MarkedYaml<'a>,
        key: &str,
    ) -> &'n [MarkedYaml<'a>] {
        let Some((k, v)) = field(map, key) else {
            return &[];
        };
        match &v.data {
            YamlData::Sequence(items) => items,
            YamlData::Value(Scalar::Null) => &[],
            _ => {
                self.problem(line_of(k), format!("{key}: expected a list"));
                &[]
            }
        }
    }

    /// `refid` entries of a list field.
    pub(super) fn refs(&mut self, map: &MarkedYaml<'_>, key: &str) -> Vec<Ref> {
        let mut out = Vec::new();
        for item in self.list(map, key) {
            match self.text(item, "refid") {
                Some((id, line)) => out.push(Ref {
                    id: to_id(&id),
                    line,
                    typed: self.text(item, "type").is_some(),
                }),
                None => self.problem(line_of(item), format!("{key}: an entry without refid")),
            }
        }
        out
    }

    /// Whether the last entry of `status.history` is `flag: deleted`.
    pub(super) fn deleted(&mut self, root: &MarkedYaml<'_>) -> bool {
        let Some((_, status)) = field(root, "status") else {
            return false;
        };
        let history = self.list(status, "history");
        history
            .last()
            .and_then(|h| self.text(h, "flag"))
            .is_some_and(|(f, _)| f == "deleted")
    }

    pub(super) fn standard(
        &mut self,
        root: &MarkedYaml<'_>,
        nispid: String,
        line: usize,
        cover: bool,
    ) -> RawStandard {
        let document = field(root, "document").map(|(_, d)| d);
        let doc = |f: &mut Self, key: &str| document.and_then(|d| f.text(d, key)).map(|t| t.0);
        let orgid = self
            .text(root, "orgid")
            .map(|t| t.0)
            .or_else(|| doc(self, "org"));
        RawStandard {
            path: self.path.to_string(),
            line,
            id: to_id(&nispid),
            nispid,
            cover,
            deleted: self.deleted(root),
            title: doc(self, "title"),
            tag: self.text(root, "nisptag").map(|t| t.0),
            orgid,
            date: doc(self, "date"),
            version: doc(self, "version"),
            covers: if cover {
                self.refs(root, "coverstandards")
            } else {
                Vec::new()
            },
        }
    }

    pub(super) fn profile(
        &mut self,
        root: &MarkedYaml<'_>,
        nispid: String,
        line: usize,
        kind: ProfileKind,
    ) -> RawProfile {
        let mut groups = Vec::new();
        for g in self.list(root, "refgroup") {
            let obligation = match self.text(g, "obligation") {
                None => {
                    self.problem(line_of(g), "refgroup without an obligation");
                    None
                }
                Some((o, l)) => {
                    let parsed = ObligationLevel::parse(&o);
                    if parsed.is_none() {
                        self.problem(
                            l,
                            format!("unknown obligation \"{o}\" (expected mandatory, conditional, recommended, optional or none)"),
                        );
                    }
                    parsed
                }
            };
            let lifecycle = match self.text(g, "lifecycle") {
                None => Some(None),
                Some((l, line)) => {
                    let parsed = Lifecycle::parse(&l);
                    if parsed.is_none() {
                        self.problem(
                            line,
                            format!("unknown lifecycle \"{l}\" (expected current or candidate)"),
                        );
                    }
                    parsed.map(Some)
                }
            };
            let description = self.text(g, "description").map(|t| t.0);
            let standards = self.refs(g, "standards");
            if let (Some(obligation), Some(lifecycle)) = (obligation, lifecycle) {
                groups.push(RawGroup {
                    obligation,
                    lifecycle,
                    description,
                    standards,
                });
            }
        }
        let mut taxonomy = Vec::new();
        if let Some((k, _)) = field(root, "taxonomy") {
            let key_line = line_of(k);
            for item in self.list(root, "taxonomy") {
                match &item.data {
                    YamlData::Value(Scalar::String(s)) if !s.trim().is_empty() => {
                        taxonomy.push(Ref {
                            id: s.trim().to_string(),
                            line: line_of(item),
                            typed: true,
                        })
                    }
                    _ => self.problem(key_line, "taxonomy: expected node ids"),
                }
            }
        }
        RawProfile {
            path: self.path.to_string(),
            line,
            id: to_id(&nispid),
            nispid,
            kind,
            deleted: self.deleted(root),
            title: self.text(root, "title").map(|t| t.0),
            description: self.text(root, "description").map(|t| t.0),
            subprofiles: self.refs(root, "subprofiles"),
            groups,
            taxonomy,
        }
    }

    pub(super) fn node(&mut self, root: &MarkedYaml<'_>) -> Option<RawNode> {
        let level = match self.text(root, "level") {
            None => {
                self.problem(1, "taxonomy node without a level");
                None
            }
            Some((l, line)) => {
                let parsed = l.parse::<u32>().ok();
                if parsed.is_none() {
                    self.problem(line, format!("level \"{l}\" is not a whole number"));
                }
                parsed
            }
        }?;
        let parent = self.text(root, "parent").map(|(id, line)| Ref {
            id,
            line,
            typed: true,
        });
        let title = match self.text(root, "title") {
            Some((t, _)) => t,
            None => {
                self.problem(1, "taxonomy node without a title");
                return None;
            }
        };
        Some(RawNode {
            path: self.path.to_string(),
            parent,
            level,
            title,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use super::*;

    #[test]
    fn broken_yaml_is_located() {
        let text = "---\nnispid: a\ndocument:\n  title: [unclosed\n  date: \"\"\n---\n";
        let ps = parse_fixture(&with("standard/a.md", text)).unwrap_err();
        assert_eq!(ps.len(), 1, "{ps:?}");
        assert!(
            ps[0].starts_with("standard/a.md:5: front matter is not valid YAML"),
            "{ps:?}"
        );
        let text = "---\nnispid: a\n  bad: indent\n---\n";
        let ps = parse_fixture(&with("standard/a.md", text)).unwrap_err();
        assert!(
            ps[0].starts_with("standard/a.md:3: front matter is not valid YAML"),
            "{ps:?}"
        );
    }

    /// Front matter nested 100,000 deep, in flow and in block style, and through aliases: one
    /// located problem, no stack overflow.
    #[test]
    fn deeply_nested_yaml_is_refused() {
        let deep = |inner: String| format!("---\nnispid: a\ndocument: {inner}\n---\n");
        // saphyr's scanner may refuse flow collections itself, past 255 levels (it looks
        // ahead for keys).
        let flow = "recursion limit exceeded";
        let ours = "YAML nested deeper than 64 levels";
        for (text, line, block) in [
            (deep("[".repeat(100_000)), 3, false),
            (deep("{a: ".repeat(100_000)), 3, false),
            (deep(format!("\n{}x", "- ".repeat(100_000))), 4, true),
            (
                deep(format!("\n{}{}", "- ".repeat(50), "[".repeat(100_000))),
                4,
                false,
            ),
        ] {
            let ps = parse_fixture(&with("standard/a.md", &text)).unwrap_err();
            let at = format!("standard/a.md:{line}: front matter is not valid YAML: ");
            let expected: Vec<String> = [ours, flow]
                .iter()
                .take(if block { 1 } else { 2 })
                .map(|m| format!("{at}{m}"))
                .collect();
            assert!(ps.len() == 1 && expected.contains(&ps[0]), "{ps:?}");
        }
        // Each alias copies a node 40 deep into one 40 deep: 80 levels.
        let nest = |n: usize| format!("{}x{}", "[".repeat(n), "]".repeat(n));
        let text = format!(
            "---\nnispid: a\nx: &a {}\ny: {}*a{}\n---\n",
            nest(40),
            "[".repeat(40),
            "]".repeat(40)
        );
        let ps = parse_fixture(&with("standard/a.md", &text)).unwrap_err();
        assert_eq!(
            ps,
            ["standard/a.md:4: front matter is not valid YAML: YAML nested deeper than 64 levels"]
        );
        // 64 levels are fine (a mapping of one field holding 63 nested lists).
        let text = format!("---\nnispid: a\nx: {}\n---\n", nest(63));
        assert!(front_matter("a.md", &text, &mut Vec::new()).is_some());
        let text = format!("---\nnispid: a\nx: {}\n---\n", nest(64));
        assert!(front_matter("a.md", &text, &mut Vec::new()).is_none());
    }

    #[test]
    fn front_matter_must_be_there() {
        let ps = parse_fixture(&with("standard/a.md", "nispid: a\n")).unwrap_err();
        assert_eq!(
            ps,
            ["standard/a.md:1: missing front matter (the file must start with a '---' line)"]
        );
        let ps = parse_fixture(&with("standard/a.md", "---\nnispid: a\n")).unwrap_err();
        assert_eq!(
            ps,
            ["standard/a.md:1: front matter not closed by a '---' line"]
        );
        let ps = parse_fixture(&with("standard/a.md", "---\n- a\n---\n")).unwrap_err();
        assert_eq!(
            ps,
            ["standard/a.md:2: front matter is not a YAML mapping of fields"]
        );
        let ps = parse_fixture(&with("standard/a.md", "---\n---\n")).unwrap_err();
        assert_eq!(
            ps,
            ["standard/a.md:2: front matter is not a YAML mapping of fields"]
        );
    }

    #[test]
    fn non_utf8_is_located() {
        let mut input = as_input(&fixture());
        input.push((
            "standard/z.md".into(),
            b"---\nnispid: z\ntitle: \xFF\n---\n".to_vec(),
        ));
        let ps = parse_nisp(&input).unwrap_err();
        assert_eq!(ps.len(), 1);
        assert!(
            ps[0].location == "standard/z.md: line 3, column 8",
            "{ps:?}"
        );
    }
}
