-- The public wall (/wall/{org}): closed suggestions, last closed first, 20 a page. Without
-- this index a page read and sorted every closed suggestion (with 100,000 suggestions about
-- 100 ms a page on SQLite and 110 ms on PostgreSQL; about 20 ms with it, benches/web.rs):
-- now a page walks the index backwards and stops after its 20 rows, and the page's count
-- reads the index alone (group_id is in it; on PostgreSQL once the table is vacuumed).
CREATE INDEX suggestions_state_updated ON suggestions(state, updated_at, id, group_id);
