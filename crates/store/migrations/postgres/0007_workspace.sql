-- Issue 9: the consultative body's workspace. Each record is kept whole as its dataset JSON
-- (`doc`, without the metadata, which has its own columns as in every labelled table):
-- meetings, minutes and proposals are nested documents (agenda, history, plan) read and
-- written whole, and the domain checks every reference before a write.

CREATE TABLE bodies (
    id TEXT PRIMARY KEY,
    doc TEXT NOT NULL,
    label_id BIGINT REFERENCES labels (id),
    sources TEXT,
    illustrative BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE meetings (
    id TEXT PRIMARY KEY,
    doc TEXT NOT NULL,
    label_id BIGINT REFERENCES labels (id),
    sources TEXT,
    illustrative BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE minutes (
    id TEXT PRIMARY KEY,
    doc TEXT NOT NULL,
    label_id BIGINT REFERENCES labels (id),
    sources TEXT,
    illustrative BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE proposals (
    id TEXT PRIMARY KEY,
    doc TEXT NOT NULL,
    label_id BIGINT REFERENCES labels (id),
    sources TEXT,
    illustrative BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE decisions (
    id TEXT PRIMARY KEY,
    doc TEXT NOT NULL,
    label_id BIGINT REFERENCES labels (id),
    sources TEXT,
    illustrative BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE action_items (
    id TEXT PRIMARY KEY,
    doc TEXT NOT NULL,
    label_id BIGINT REFERENCES labels (id),
    sources TEXT,
    illustrative BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE engagements (
    id TEXT PRIMARY KEY,
    doc TEXT NOT NULL,
    label_id BIGINT REFERENCES labels (id),
    sources TEXT,
    illustrative BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE documents (
    id TEXT PRIMARY KEY,
    doc TEXT NOT NULL,
    label_id BIGINT REFERENCES labels (id),
    sources TEXT,
    illustrative BOOLEAN NOT NULL DEFAULT FALSE
);
