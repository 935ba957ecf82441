-- Won deals by the day they closed, with whose they were: the profit report counts each
-- client's wins in a period from the index alone, instead of looking up every won deal's row
-- (8,263 lookups for this year at ten times the design scale, a third of the report). Same
-- name, so the queries that name it stay as they are.
DROP INDEX deals_won_closed;
CREATE INDEX deals_won_closed ON deals(closed_at, contact_id) WHERE stage = 'won';
