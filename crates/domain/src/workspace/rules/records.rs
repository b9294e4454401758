//! The rules each workspace record follows on its own, and what it names.

use super::*;

impl Record for Body {
    fn id(&self) -> &str {
        &self.id
    }
    fn issues(&self) -> Vec<Issue> {
        let mut out = Vec::new();
        id_issues(&self.id, &mut out);
        text_issue("name", &self.name, &mut out);
        for (field, list, what) in [
            ("members", &self.members, "organization"),
            ("co_chairs", &self.co_chairs, "person"),
            ("secretariat", &self.secretariat, "organization"),
        ] {
            count_issue(field, list.len(), &mut out);
            duplicates(field, list.iter().map(String::as_str), what, &mut out);
        }
        out
    }
    fn refs(&self) -> Vec<Ref> {
        let mut out = Vec::new();
        for (i, m) in self.members.iter().enumerate() {
            out.push(reference(format!("members[{i}]"), Kind::Organization, m));
        }
        for (i, p) in self.co_chairs.iter().enumerate() {
            out.push(reference(format!("co_chairs[{i}]"), Kind::Person, p));
        }
        for (i, o) in self.secretariat.iter().enumerate() {
            out.push(reference(
                format!("secretariat[{i}]"),
                Kind::Organization,
                o,
            ));
        }
        out
    }
}

impl Record for Meeting {
    fn id(&self) -> &str {
        &self.id
    }
    fn issues(&self) -> Vec<Issue> {
        let mut out = Vec::new();
        id_issues(&self.id, &mut out);
        text_issue("title", &self.title, &mut out);
        span_issues(&self.start, Some(&self.end), &self.time_zone, &mut out);
        if let Some(url) = &self.online {
            web_url_issue("online", url, &mut out);
        }
        count_issue("participants", self.participants.len(), &mut out);
        duplicates(
            "participants",
            self.participants.iter().map(|p| p.person.as_str()),
            "person",
            &mut out,
        );
        count_issue("agenda", self.agenda.len(), &mut out);
        for (i, item) in self.agenda.iter().enumerate() {
            text_issue(&format!("agenda[{i}].title"), &item.title, &mut out);
            match (self.status, item.outcome) {
                (MeetingStatus::Held, None) => out.push(issue(
                    format!("agenda[{i}].outcome"),
                    format!(
                        "item {} (\"{}\") has no outcome: a meeting is closed (held) only when \
                         every agenda item has one (noted, agreed, deferred or rejected)",
                        i + 1,
                        item.title.chars().take(60).collect::<String>()
                    ),
                )),
                (MeetingStatus::Planned, Some(_)) => out.push(issue(
                    format!("agenda[{i}].outcome"),
                    "a planned meeting has no outcomes yet: record them when it is held",
                )),
                _ => {}
            }
        }
        out
    }
    fn refs(&self) -> Vec<Ref> {
        let mut out = Vec::new();
        if let Some(b) = &self.body {
            out.push(reference("body", Kind::Body, b));
        }
        for (i, p) in self.participants.iter().enumerate() {
            out.push(reference(
                format!("participants[{i}].person"),
                Kind::Person,
                &p.person,
            ));
        }
        for (i, item) in self.agenda.iter().enumerate() {
            if let Some(p) = &item.proposal {
                out.push(reference(
                    format!("agenda[{i}].proposal"),
                    Kind::Proposal,
                    p,
                ));
            }
        }
        out
    }
}

impl Record for Minutes {
    fn id(&self) -> &str {
        &self.id
    }
    fn issues(&self) -> Vec<Issue> {
        let mut out = Vec::new();
        id_issues(&self.id, &mut out);
        if self.text.len() > MAX_TEXT {
            out.push(issue("text", format!("is longer than {MAX_TEXT} bytes")));
        }
        if self.version == 0 {
            out.push(issue("version", "starts at 1"));
        }
        match (&self.corrects, self.version) {
            (None, v) if v > 1 => out.push(issue(
                "corrects",
                format!("version {v} corrects earlier minutes: name them"),
            )),
            (Some(c), _) if *c == self.id => {
                out.push(issue("corrects", "minutes cannot correct themselves"))
            }
            _ => {}
        }
        count_issue("comments", self.comments.len(), &mut out);
        if self.status == MinutesStatus::Draft && !self.comments.is_empty() {
            out.push(issue(
                "comments",
                "draft minutes have no comments: participants comment once they are circulated",
            ));
        }
        for (i, c) in self.comments.iter().enumerate() {
            text_issue(&format!("comments[{i}].text"), &c.text, &mut out);
            if let Some(at) = &c.at {
                if let Err(e) = time::civil(at) {
                    out.push(issue(format!("comments[{i}].at"), e));
                }
            }
        }
        out
    }
    fn refs(&self) -> Vec<Ref> {
        let mut out = vec![reference("meeting", Kind::Meeting, &self.meeting)];
        if let Some(c) = &self.corrects {
            out.push(reference("corrects", Kind::Minutes, c));
        }
        for (i, c) in self.comments.iter().enumerate() {
            out.push(reference(
                format!("comments[{i}].person"),
                Kind::Person,
                &c.person,
            ));
        }
        out
    }
}

/// Whether `action` has the shape of one of the engine's actions.
pub fn action_shape(action: &str) -> Result<(), String> {
    let parts: Vec<&str> = action.trim().split(':').collect();
    let ok = match parts.first() {
        Some(&"test") | Some(&"adopt") => parts.len() == 3,
        Some(&"field") => parts.len() == 2,
        Some(&"gateway") => parts.len() == 4,
        _ => false,
    } && parts.iter().all(|p| !p.trim().is_empty());
    if ok {
        Ok(())
    } else {
        Err(format!(
            "\"{}\" is not an action: test:SYSTEM:STANDARD, adopt:SYSTEM:STANDARD, \
             field:GATEWAY or gateway:DOMAIN:FROM:TO",
            action.chars().take(80).collect::<String>()
        ))
    }
}

impl Record for Proposal {
    fn id(&self) -> &str {
        &self.id
    }
    fn issues(&self) -> Vec<Issue> {
        let mut out = Vec::new();
        id_issues(&self.id, &mut out);
        text_issue("title", &self.title, &mut out);
        count_issue("history", self.history.len(), &mut out);
        match self.history.first() {
            None => out.push(issue(
                "history",
                "give the proposal's history, starting with its draft",
            )),
            Some(first) if first.status != ProposalStatus::Draft => out.push(issue(
                "history[0].status",
                format!(
                    "a proposal starts as a draft, not {}",
                    first.status.as_str()
                ),
            )),
            Some(_) => {}
        }
        let mut last_day = String::new();
        for (i, step) in self.history.iter().enumerate() {
            day_issue(&format!("history[{i}].on"), &step.on, &mut out);
            if step.on.as_str() < last_day.as_str() {
                out.push(issue(
                    format!("history[{i}].on"),
                    format!("{} is before the step before it ({last_day})", step.on),
                ));
            }
            last_day = step.on.clone();
            if i > 0 {
                let from = self.history[i - 1].status;
                if !from.may_become(step.status) {
                    let allowed: Vec<&str> = from.next().iter().map(|s| s.as_str()).collect();
                    out.push(issue(
                        format!("history[{i}].status"),
                        format!(
                            "a proposal cannot go from {} to {}{}",
                            from.as_str(),
                            step.status.as_str(),
                            if allowed.is_empty() {
                                format!(" ({} is final)", from.as_str())
                            } else {
                                format!(" (from {}: {})", from.as_str(), allowed.join(", "))
                            }
                        ),
                    ));
                }
            }
        }
        if let Some(last) = self.history.last() {
            if last.status != self.status {
                out.push(issue(
                    "status",
                    format!(
                        "is {} but the history ends with {}",
                        self.status.as_str(),
                        last.status.as_str()
                    ),
                ));
            }
        }
        let decided = matches!(
            self.status,
            ProposalStatus::Agreed | ProposalStatus::Rejected
        );
        if self.method.is_some() && !decided {
            out.push(issue(
                "method",
                "only an agreed or rejected proposal has a decision method",
            ));
        }
        if let Some(v) = &self.votes {
            if self.method != Some(DecisionMethod::Vote) {
                out.push(issue(
                    "votes",
                    "votes are given only when the method is vote",
                ));
            } else if v.in_favour + v.against + v.abstain == 0 {
                out.push(issue("votes", "a vote has at least one vote"));
            } else if (self.status == ProposalStatus::Agreed) != (v.in_favour > v.against) {
                out.push(issue(
                    "votes",
                    format!(
                        "{} for and {} against do not make the proposal {}",
                        v.in_favour,
                        v.against,
                        self.status.as_str()
                    ),
                ));
            }
        }
        if let Some(plan) = &self.plan {
            if !(1..=3).contains(&plan.target) {
                out.push(issue(
                    "plan.target",
                    format!("{} is not a level (1, 2 or 3)", plan.target),
                ));
            }
            if plan.covered_after < plan.covered_before {
                out.push(issue(
                    "plan.covered_after",
                    "a plan does not cover fewer triples than before it",
                ));
            }
            if plan.items.is_empty() {
                out.push(issue("plan.items", "a tabled plan has at least one action"));
            }
            count_issue("plan.items", plan.items.len(), &mut out);
            for (i, item) in plan.items.iter().enumerate() {
                if let Err(e) = action_shape(&item.action) {
                    out.push(issue(format!("plan.items[{i}].action"), e));
                }
            }
            duplicates(
                "plan.items",
                plan.items.iter().map(|i| i.action.as_str()),
                "action",
                &mut out,
            );
        }
        count_issue("documents", self.documents.len(), &mut out);
        duplicates(
            "documents",
            self.documents.iter().map(String::as_str),
            "document",
            &mut out,
        );
        out
    }
    fn refs(&self) -> Vec<Ref> {
        let mut out = Vec::new();
        if let Some(b) = &self.body {
            out.push(reference("body", Kind::Body, b));
        }
        if let Some(s) = &self.sponsor {
            out.push(reference("sponsor", Kind::Organization, s));
        }
        for (i, d) in self.documents.iter().enumerate() {
            out.push(reference(format!("documents[{i}]"), Kind::Document, d));
        }
        for (i, step) in self.history.iter().enumerate() {
            if let Some(p) = &step.by {
                out.push(reference(format!("history[{i}].by"), Kind::Person, p));
            }
            if let Some(m) = &step.meeting {
                out.push(reference(format!("history[{i}].meeting"), Kind::Meeting, m));
            }
        }
        out
    }
}

impl Record for Document {
    fn id(&self) -> &str {
        &self.id
    }
    fn issues(&self) -> Vec<Issue> {
        let mut out = Vec::new();
        id_issues(&self.id, &mut out);
        text_issue("title", &self.title, &mut out);
        if let Err(e) = crate::import::date_or_year(self.issued.trim()) {
            out.push(issue("issued", e));
        }
        if let Some(s) = &self.summary {
            text_issue("summary", s, &mut out);
        }
        if let Some(url) = &self.url {
            web_url_issue("url", url, &mut out);
        }
        count_issue("issuers", self.issuers.len(), &mut out);
        duplicates(
            "issuers",
            self.issuers.iter().map(String::as_str),
            "organization",
            &mut out,
        );
        count_issue("topics", self.topics.len(), &mut out);
        for (i, t) in self.topics.iter().enumerate() {
            text_issue(&format!("topics[{i}]"), t, &mut out);
        }
        out
    }
    fn refs(&self) -> Vec<Ref> {
        self.issuers
            .iter()
            .enumerate()
            .map(|(i, o)| reference(format!("issuers[{i}]"), Kind::Organization, o))
            .collect()
    }
}

impl Record for Decision {
    fn id(&self) -> &str {
        &self.id
    }
    fn issues(&self) -> Vec<Issue> {
        let mut out = Vec::new();
        id_issues(&self.id, &mut out);
        text_issue("text", &self.text, &mut out);
        count_issue("proposals", self.proposals.len(), &mut out);
        duplicates(
            "proposals",
            self.proposals.iter().map(String::as_str),
            "proposal",
            &mut out,
        );
        for (i, n) in self.agenda_items.iter().enumerate() {
            if *n == 0 {
                out.push(issue(
                    format!("agenda_items[{i}]"),
                    "agenda items are numbered from 1",
                ));
            }
        }
        out
    }
    fn refs(&self) -> Vec<Ref> {
        let mut out = vec![reference("meeting", Kind::Meeting, &self.meeting)];
        for (i, p) in self.proposals.iter().enumerate() {
            out.push(reference(format!("proposals[{i}]"), Kind::Proposal, p));
        }
        out
    }
}

impl Record for ActionItem {
    fn id(&self) -> &str {
        &self.id
    }
    fn issues(&self) -> Vec<Issue> {
        let mut out = Vec::new();
        id_issues(&self.id, &mut out);
        text_issue("title", &self.title, &mut out);
        day_issue("due", &self.due, &mut out);
        match (&self.owner.person, &self.owner.organization) {
            (Some(_), Some(_)) => {
                out.push(issue("owner", "give a person or an organization, not both"))
            }
            (None, None) => out.push(issue("owner", "give a person or an organization")),
            _ => {}
        }
        if let Some(a) = &self.plan_action {
            if self.proposal.is_none() {
                out.push(issue(
                    "proposal",
                    "a plan action comes from a proposal's plan: name the proposal",
                ));
            }
            if let Err(e) = action_shape(a) {
                out.push(issue("plan_action", e));
            }
        }
        out
    }
    fn refs(&self) -> Vec<Ref> {
        let mut out = Vec::new();
        if let Some(p) = &self.owner.person {
            out.push(reference("owner.person", Kind::Person, p));
        }
        if let Some(o) = &self.owner.organization {
            out.push(reference("owner.organization", Kind::Organization, o));
        }
        if let Some(d) = &self.decision {
            out.push(reference("decision", Kind::Decision, d));
        }
        if let Some(p) = &self.proposal {
            out.push(reference("proposal", Kind::Proposal, p));
        }
        out
    }
}

impl Record for Engagement {
    fn id(&self) -> &str {
        &self.id
    }
    fn issues(&self) -> Vec<Issue> {
        let mut out = Vec::new();
        id_issues(&self.id, &mut out);
        text_issue("title", &self.title, &mut out);
        span_issues(&self.start, self.end.as_deref(), &self.time_zone, &mut out);
        if self.participants.len() < 2 {
            out.push(issue(
                "participants",
                "an engagement is between at least two people",
            ));
        }
        count_issue("participants", self.participants.len(), &mut out);
        duplicates(
            "participants",
            self.participants.iter().map(String::as_str),
            "person",
            &mut out,
        );
        for (field, list) in [("topics", &self.topics), ("outcomes", &self.outcomes)] {
            count_issue(field, list.len(), &mut out);
            for (i, t) in list.iter().enumerate() {
                text_issue(&format!("{field}[{i}]"), t, &mut out);
            }
        }
        out
    }
    fn refs(&self) -> Vec<Ref> {
        self.participants
            .iter()
            .enumerate()
            .map(|(i, p)| reference(format!("participants[{i}]"), Kind::Person, p))
            .collect()
    }
}
