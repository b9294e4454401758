-- Issue 4: closed security policies (SPIF), catalogue fields of standards and NISP profiles,
-- and arms transfers (SIPRI).

-- A closed policy's categories and requirements as JSON ({"categories": [...], "required":
-- [...]}); NULL for an open policy.
ALTER TABLE policies ADD COLUMN rules TEXT;

ALTER TABLE standards ADD COLUMN tag TEXT;
ALTER TABLE standards ADD COLUMN published TEXT;
ALTER TABLE standards ADD COLUMN version TEXT;

-- A cover document (e.g. a STANAG) and the standards it covers.
CREATE TABLE standard_covers (
    standard TEXT NOT NULL REFERENCES standards (id) ON DELETE CASCADE,
    covered TEXT NOT NULL REFERENCES standards (id),
    PRIMARY KEY (standard, covered)
);

CREATE TABLE profiles (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT,
    label_id BIGINT REFERENCES labels (id),
    sources TEXT,
    illustrative BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE profile_subprofiles (
    profile TEXT NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
    subprofile TEXT NOT NULL REFERENCES profiles (id),
    PRIMARY KEY (profile, subprofile)
);

CREATE TABLE profile_obligations (
    profile TEXT NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
    standard TEXT NOT NULL REFERENCES standards (id),
    obligation TEXT NOT NULL,
    lifecycle TEXT,
    description TEXT,
    PRIMARY KEY (profile, standard)
);

-- `supplier` and `recipient` are nation codes when their kind is 'state', else actor names,
-- so they carry no foreign key; validation checks the state ones.
CREATE TABLE transfers (
    id TEXT PRIMARY KEY,
    sipri_id BIGINT,
    supplier TEXT NOT NULL,
    supplier_kind TEXT NOT NULL,
    recipient TEXT NOT NULL,
    recipient_kind TEXT NOT NULL,
    system TEXT REFERENCES systems (id),
    designation TEXT NOT NULL,
    description TEXT,
    category TEXT NOT NULL,
    ordered BIGINT,
    ordered_estimated BOOLEAN NOT NULL,
    number_ordered BIGINT,
    number_ordered_estimated BOOLEAN NOT NULL,
    status TEXT,
    tiv_unit DOUBLE PRECISION,
    tiv_deal_unit DOUBLE PRECISION,
    local_production BOOLEAN NOT NULL,
    -- Totals over the deliveries when the source does not split them by year.
    delivered BIGINT,
    delivered_estimated BOOLEAN NOT NULL,
    tiv_delivered DOUBLE PRECISION,
    label_id BIGINT REFERENCES labels (id),
    sources TEXT,
    illustrative BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE INDEX transfers_system ON transfers (system);

CREATE TABLE transfer_deliveries (
    transfer TEXT NOT NULL REFERENCES transfers (id) ON DELETE CASCADE,
    year BIGINT NOT NULL,
    year_estimated BOOLEAN NOT NULL,
    number BIGINT,
    number_estimated BOOLEAN NOT NULL,
    tiv DOUBLE PRECISION,
    PRIMARY KEY (transfer, year)
);
