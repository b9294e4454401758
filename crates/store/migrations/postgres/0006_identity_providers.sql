-- Sign-in through the member organizations' own identity providers (OpenID Connect).
-- Times are Unix seconds.

-- A registered identity provider: one per issuer. The client secret is the credential this
-- platform presents to the provider's token endpoint, so it is kept as given (it cannot be
-- hashed); it is never listed or printed.
CREATE TABLE identity_providers (
    id TEXT PRIMARY KEY,
    organization TEXT NOT NULL,
    issuer TEXT NOT NULL UNIQUE,
    client_id TEXT NOT NULL,
    client_secret TEXT NOT NULL,
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- Sign-ins under way: the browser went to the provider and has not come back yet. Keyed by
-- the SHA-256 of the `state` parameter; consumed once; expired ones are pruned.
CREATE TABLE oidc_logins (
    state_hash TEXT PRIMARY KEY,
    provider TEXT NOT NULL REFERENCES identity_providers (id) ON DELETE CASCADE,
    nonce TEXT NOT NULL,
    verifier TEXT NOT NULL,
    next TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX oidc_logins_expiry ON oidc_logins (expires_at);
