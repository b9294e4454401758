-- Accounts, sessions and the audit log. Times are Unix seconds (the audit log: milliseconds).

-- A user: roles decide actions, the clearance (JSON of a Clearance) decides what they read.
-- Secrets live apart from the record: password_hash is an argon2id PHC string or NULL (no
-- password sign-in).
CREATE TABLE users (
    name TEXT PRIMARY KEY,
    nationality TEXT NOT NULL,
    organization TEXT NOT NULL,
    roles TEXT NOT NULL,
    clearance TEXT NOT NULL,
    password_hash TEXT,
    disabled BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- Sign-in through an identity provider: an account is keyed by (issuer, subject), never by
-- e-mail.
CREATE TABLE user_identities (
    issuer TEXT NOT NULL,
    subject TEXT NOT NULL,
    user_name TEXT NOT NULL REFERENCES users (name),
    PRIMARY KEY (issuer, subject)
);
CREATE INDEX user_identities_user ON user_identities (user_name);

-- API tokens, stored as the SHA-256 of the token; `id` is public (listing, revoking).
CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY,
    hash TEXT NOT NULL UNIQUE,
    user_name TEXT NOT NULL REFERENCES users (name),
    created_at BIGINT NOT NULL,
    expires_at BIGINT,
    revoked_at BIGINT,
    last_used_at BIGINT
);
CREATE INDEX api_tokens_user ON api_tokens (user_name);

-- Browser sessions, stored as the SHA-256 of the cookie's value.
CREATE TABLE sessions (
    hash TEXT PRIMARY KEY,
    user_name TEXT NOT NULL REFERENCES users (name),
    csrf TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    seen_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_name);

-- Failed sign-ins, per account ("user:NAME") and per address ("addr:IP"), for throttling.
CREATE TABLE sign_in_failures (
    key TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX sign_in_failures_key ON sign_in_failures (key, at);

-- One-time links that create the first administrator (SHA-256 of the link's secret).
CREATE TABLE setup_links (
    hash TEXT PRIMARY KEY,
    expires_at BIGINT NOT NULL
);

-- The audit log: one entry per write, chained by hash (see the store's audit module).
CREATE TABLE audit (
    seq BIGINT PRIMARY KEY,
    at BIGINT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    detail TEXT NOT NULL,
    digest_before TEXT NOT NULL,
    digest_after TEXT NOT NULL,
    prev TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_actor ON audit (actor, seq);
CREATE INDEX audit_at ON audit (at);

-- The records each audited write touched, to find a record's history.
CREATE TABLE audit_records (
    seq BIGINT NOT NULL REFERENCES audit (seq),
    kind TEXT NOT NULL,
    key TEXT NOT NULL
);
CREATE INDEX audit_records_key ON audit_records (kind, key, seq);
