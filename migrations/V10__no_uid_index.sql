-- `persons.uid` is shown and exported, never looked up: no query filters or joins on it (a login typed
-- at the counter is found through the search index's identifier tokens, `person_ids_fts`). Its index
-- cost a sort of every person at the end of each first directory load, and an update at each change.
DROP INDEX IF EXISTS persons_uid;
