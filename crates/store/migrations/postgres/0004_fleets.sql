-- Issue 8: real fleets. Dated bloc memberships (a former member has an end), what kind of
-- grouping a bloc is (alliance, union, association, partnership), and the names a system or
-- standard has in other sources (SIPRI designations, NISP ids) as a JSON array of strings
-- (NULL when none), so that importing those sources adds to the record instead of a twin.
ALTER TABLE bloc_members ADD COLUMN until TEXT;
ALTER TABLE blocs ADD COLUMN kind TEXT;
ALTER TABLE systems ADD COLUMN aliases TEXT;
ALTER TABLE standards ADD COLUMN aliases TEXT;
