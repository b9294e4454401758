-- The registry's generation: bumped by every write transaction, in the same transaction, so a
-- reader that cached the registry at generation N knows it is stale when it reads N' > N.
CREATE TABLE registry_generation (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    generation BIGINT NOT NULL
);
INSERT INTO registry_generation (id, generation) VALUES (1, 0);
