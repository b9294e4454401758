//! Embedded migrations, one list per dialect. Applied at startup by each backend under a lock.

/// One schema step.
pub struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sql: &'static str,
}

pub const SQLITE: &[Migration] = &[
    Migration {
        version: 1,
        name: "registry",
        sql: include_str!("../migrations/sqlite/0001_registry.sql"),
    },
    Migration {
        version: 2,
        name: "catalogues and transfers",
        sql: include_str!("../migrations/sqlite/0002_catalogues_transfers.sql"),
    },
    Migration {
        version: 3,
        name: "registry generation",
        sql: include_str!("../migrations/sqlite/0003_generation.sql"),
    },
    Migration {
        version: 4,
        name: "fleets",
        sql: include_str!("../migrations/sqlite/0004_fleets.sql"),
    },
    Migration {
        version: 5,
        name: "accounts and audit",
        sql: include_str!("../migrations/sqlite/0005_accounts.sql"),
    },
    Migration {
        version: 6,
        name: "identity providers",
        sql: include_str!("../migrations/sqlite/0006_identity_providers.sql"),
    },
    Migration {
        version: 7,
        name: "workspace",
        sql: include_str!("../migrations/sqlite/0007_workspace.sql"),
    },
    Migration {
        version: 8,
        name: "users' people and calendar feeds",
        sql: include_str!("../migrations/sqlite/0008_person_feeds.sql"),
    },
    Migration {
        version: 9,
        name: "matchmaking",
        sql: include_str!("../migrations/sqlite/0009_matchmaking.sql"),
    },
];

pub const POSTGRES: &[Migration] = &[
    Migration {
        version: 1,
        name: "registry",
        sql: include_str!("../migrations/postgres/0001_registry.sql"),
    },
    Migration {
        version: 2,
        name: "catalogues and transfers",
        sql: include_str!("../migrations/postgres/0002_catalogues_transfers.sql"),
    },
    Migration {
        version: 3,
        name: "registry generation",
        sql: include_str!("../migrations/postgres/0003_generation.sql"),
    },
    Migration {
        version: 4,
        name: "fleets",
        sql: include_str!("../migrations/postgres/0004_fleets.sql"),
    },
    Migration {
        version: 5,
        name: "accounts and audit",
        sql: include_str!("../migrations/postgres/0005_accounts.sql"),
    },
    Migration {
        version: 6,
        name: "identity providers",
        sql: include_str!("../migrations/postgres/0006_identity_providers.sql"),
    },
    Migration {
        version: 7,
        name: "workspace",
        sql: include_str!("../migrations/postgres/0007_workspace.sql"),
    },
    Migration {
        version: 8,
        name: "users' people and calendar feeds",
        sql: include_str!("../migrations/postgres/0008_person_feeds.sql"),
    },
    Migration {
        version: 9,
        name: "matchmaking",
        sql: include_str!("../migrations/postgres/0009_matchmaking.sql"),
    },
];
