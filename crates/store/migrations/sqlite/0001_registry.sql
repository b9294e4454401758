-- The registry (PRODUCT.md "Domain model"). Labels are interned: records point at labels(id).
-- `sources` holds the record's sources as a JSON array (NULL when none).
CREATE TABLE labels (
    id INTEGER PRIMARY KEY,
    body TEXT NOT NULL UNIQUE
);

CREATE TABLE policies (
    id TEXT PRIMARY KEY,
    classifications TEXT NOT NULL
);

CREATE TABLE nations (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    label_id INTEGER REFERENCES labels (id),
    sources TEXT,
    illustrative BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE blocs (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    label_id INTEGER REFERENCES labels (id),
    sources TEXT,
    illustrative BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE bloc_members (
    bloc TEXT NOT NULL REFERENCES blocs (code) ON DELETE CASCADE,
    nation TEXT NOT NULL REFERENCES nations (code),
    since TEXT,
    PRIMARY KEY (bloc, nation)
);

CREATE TABLE organizations (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    nation TEXT NOT NULL REFERENCES nations (code),
    ncage TEXT,
    label_id INTEGER REFERENCES labels (id),
    sources TEXT,
    illustrative BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE people (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    name_native TEXT,
    organization TEXT NOT NULL REFERENCES organizations (id),
    title TEXT NOT NULL,
    label_id INTEGER REFERENCES labels (id),
    sources TEXT,
    illustrative BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE domains (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    label_id INTEGER REFERENCES labels (id),
    sources TEXT,
    illustrative BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE standards (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    domain TEXT NOT NULL REFERENCES domains (code),
    label_id INTEGER REFERENCES labels (id),
    sources TEXT,
    illustrative BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE systems (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    category TEXT NOT NULL,
    producer TEXT REFERENCES organizations (id),
    origin TEXT NOT NULL REFERENCES nations (code),
    label_id INTEGER REFERENCES labels (id),
    sources TEXT,
    illustrative BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE system_operators (
    system TEXT NOT NULL REFERENCES systems (id) ON DELETE CASCADE,
    nation TEXT NOT NULL REFERENCES nations (code),
    quantity INTEGER,
    PRIMARY KEY (system, nation)
);

CREATE TABLE conformances (
    system TEXT NOT NULL REFERENCES systems (id),
    standard TEXT NOT NULL REFERENCES standards (id),
    status TEXT NOT NULL,
    evidence TEXT,
    label_id INTEGER REFERENCES labels (id),
    sources TEXT,
    illustrative BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (system, standard)
) WITHOUT ROWID;

CREATE INDEX conformances_standard ON conformances (standard);

CREATE TABLE gateways (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    domain TEXT NOT NULL REFERENCES domains (code),
    from_standard TEXT NOT NULL REFERENCES standards (id),
    to_standard TEXT NOT NULL REFERENCES standards (id),
    bidirectional BOOLEAN NOT NULL,
    fidelity TEXT NOT NULL,
    status TEXT NOT NULL,
    label_id INTEGER REFERENCES labels (id),
    sources TEXT,
    illustrative BOOLEAN NOT NULL DEFAULT FALSE
);
