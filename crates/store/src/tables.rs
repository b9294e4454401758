//! The registry's tables, each described once: its name, its key, its own columns in order,
//! and whether it carries the shared metadata columns (`label_id`, `sources`, `illustrative`,
//! always last). Reads select [`Table::columns`] in that order and find the metadata at
//! [`Table::meta_at`]; writes insert the same columns and update all but the key. So a column
//! is named in one place, whatever reads or writes it.

/// One table.
pub(crate) struct Table {
    pub name: &'static str,
    pub key: &'static [&'static str],
    pub own: &'static [&'static str],
    /// Whether the metadata columns follow the table's own.
    pub labelled: bool,
}

/// The metadata columns of labelled tables, after their own.
const META: [&str; 3] = ["label_id", "sources", "illustrative"];

impl Table {
    /// Every column, in the order rows are read and written.
    pub fn columns(&self) -> Vec<&'static str> {
        let meta: &[&'static str] = if self.labelled { &META } else { &[] };
        self.own.iter().chain(meta).copied().collect()
    }

    /// `SELECT` of every column.
    pub fn select(&self) -> String {
        format!("SELECT {} FROM {}", self.columns().join(", "), self.name)
    }

    /// Position of `label_id` in a row read by [`Table::select`].
    pub fn meta_at(&self) -> usize {
        self.own.len()
    }
}

pub(crate) const POLICIES: Table = Table {
    name: "policies",
    key: &["id"],
    own: &["id", "classifications", "rules"],
    labelled: false,
};

pub(crate) const NATIONS: Table = Table {
    name: "nations",
    key: &["code"],
    own: &["code", "name"],
    labelled: true,
};

pub(crate) const BLOCS: Table = Table {
    name: "blocs",
    key: &["code"],
    own: &["code", "name", "kind"],
    labelled: true,
};

pub(crate) const BLOC_MEMBERS: Table = Table {
    name: "bloc_members",
    key: &["bloc", "nation"],
    own: &["bloc", "nation", "since", "until"],
    labelled: false,
};

pub(crate) const ORGANIZATIONS: Table = Table {
    name: "organizations",
    key: &["id"],
    own: &["id", "name", "kind", "nation", "ncage"],
    labelled: true,
};

pub(crate) const PEOPLE: Table = Table {
    name: "people",
    key: &["id"],
    own: &["id", "name", "name_native", "organization", "title"],
    labelled: true,
};

pub(crate) const DOMAINS: Table = Table {
    name: "domains",
    key: &["code"],
    own: &["code", "name"],
    labelled: true,
};

pub(crate) const STANDARDS: Table = Table {
    name: "standards",
    key: &["id"],
    own: &[
        "id",
        "title",
        "body",
        "domain",
        "tag",
        "published",
        "version",
        "aliases",
    ],
    labelled: true,
};

pub(crate) const STANDARD_COVERS: Table = Table {
    name: "standard_covers",
    key: &["standard", "covered"],
    own: &["standard", "covered"],
    labelled: false,
};

pub(crate) const PROFILES: Table = Table {
    name: "profiles",
    key: &["id"],
    own: &["id", "kind", "title", "description"],
    labelled: true,
};

pub(crate) const PROFILE_SUBPROFILES: Table = Table {
    name: "profile_subprofiles",
    key: &["profile", "subprofile"],
    own: &["profile", "subprofile"],
    labelled: false,
};

pub(crate) const PROFILE_OBLIGATIONS: Table = Table {
    name: "profile_obligations",
    key: &["profile", "standard"],
    own: &[
        "profile",
        "standard",
        "obligation",
        "lifecycle",
        "description",
    ],
    labelled: false,
};

pub(crate) const SYSTEMS: Table = Table {
    name: "systems",
    key: &["id"],
    own: &["id", "name", "category", "producer", "origin", "aliases"],
    labelled: true,
};

pub(crate) const SYSTEM_OPERATORS: Table = Table {
    name: "system_operators",
    key: &["system", "nation"],
    own: &["system", "nation", "quantity"],
    labelled: false,
};

pub(crate) const CONFORMANCES: Table = Table {
    name: "conformances",
    key: &["system", "standard"],
    own: &["system", "standard", "status", "evidence"],
    labelled: true,
};

pub(crate) const GATEWAYS: Table = Table {
    name: "gateways",
    key: &["id"],
    own: &[
        "id",
        "name",
        "domain",
        "from_standard",
        "to_standard",
        "bidirectional",
        "fidelity",
        "status",
    ],
    labelled: true,
};

pub(crate) const TRANSFERS: Table = Table {
    name: "transfers",
    key: &["id"],
    own: &[
        "id",
        "sipri_id",
        "supplier",
        "supplier_kind",
        "recipient",
        "recipient_kind",
        "system",
        "designation",
        "description",
        "category",
        "ordered",
        "ordered_estimated",
        "status",
        "tiv_unit",
        "tiv_deal_unit",
        "local_production",
        "number_ordered",
        "number_ordered_estimated",
        "delivered",
        "delivered_estimated",
        "tiv_delivered",
    ],
    labelled: true,
};

pub(crate) const TRANSFER_DELIVERIES: Table = Table {
    name: "transfer_deliveries",
    key: &["transfer", "year"],
    own: &[
        "transfer",
        "year",
        "year_estimated",
        "number",
        "number_estimated",
        "tiv",
    ],
    labelled: false,
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_writes_name_the_same_columns() {
        assert_eq!(
            NATIONS.select(),
            "SELECT code, name, label_id, sources, illustrative FROM nations"
        );
        assert_eq!(NATIONS.meta_at(), 2);
        assert_eq!(BLOC_MEMBERS.columns(), ["bloc", "nation", "since", "until"]);
        for t in [&NATIONS, &SYSTEMS, &CONFORMANCES, &TRANSFERS, &BLOC_MEMBERS] {
            assert!(t.key.iter().all(|k| t.own.contains(k)), "{}", t.name);
        }
    }
}

/// The workspace's tables: one record a row, kept whole as its dataset JSON (`doc`, without
/// the metadata, which has the usual columns).
macro_rules! document_table {
    ($name:ident, $table:literal) => {
        pub(crate) const $name: Table = Table {
            name: $table,
            key: &["id"],
            own: &["id", "doc"],
            labelled: true,
        };
    };
}

document_table!(BODIES, "bodies");
document_table!(MEETINGS, "meetings");
document_table!(MINUTES, "minutes");
document_table!(PROPOSALS, "proposals");
document_table!(DECISIONS, "decisions");
document_table!(ACTION_ITEMS, "action_items");
document_table!(ENGAGEMENTS, "engagements");
document_table!(DOCUMENTS, "documents");
document_table!(CAPABILITY_AREAS, "capability_areas");
document_table!(NEEDS, "needs");
document_table!(OFFERS, "offers");
document_table!(INSTRUMENTS, "instruments");
