-- Issue 10: joint R&D matchmaking. Capability areas, needs, offers and funding instruments,
-- each record kept whole as its dataset JSON (`doc`) beside the usual metadata columns, as
-- the workspace's are (0007).

CREATE TABLE capability_areas (
    id TEXT PRIMARY KEY,
    doc TEXT NOT NULL,
    label_id INTEGER REFERENCES labels (id),
    sources TEXT,
    illustrative BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE needs (
    id TEXT PRIMARY KEY,
    doc TEXT NOT NULL,
    label_id INTEGER REFERENCES labels (id),
    sources TEXT,
    illustrative BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE offers (
    id TEXT PRIMARY KEY,
    doc TEXT NOT NULL,
    label_id INTEGER REFERENCES labels (id),
    sources TEXT,
    illustrative BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE instruments (
    id TEXT PRIMARY KEY,
    doc TEXT NOT NULL,
    label_id INTEGER REFERENCES labels (id),
    sources TEXT,
    illustrative BOOLEAN NOT NULL DEFAULT FALSE
);
