-- Users linked to a registry person, and calendar feed tokens.

-- The registry person (a person's id) a user is: who comments on minutes as a participant,
-- and whose personal calendar the user's feeds are. NULL: the user is nobody in the registry.
-- Not a foreign key: people are registry records, which are read through a reader's view.
ALTER TABLE users ADD COLUMN person TEXT;

-- What a token is good for: 'api' (the API and the pages, as its user) or 'calendar' (only
-- its user's personal calendar feed). Tokens made before this step are API tokens.
ALTER TABLE api_tokens ADD COLUMN scope TEXT NOT NULL DEFAULT 'api'
    CHECK (scope IN ('api', 'calendar'));
