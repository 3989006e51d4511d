-- The shop's server, version 4: when each till was last known to have sent everything.
--
-- A till's round ends, once the shop holds its whole journal, by saying so (heartbeat, with the
-- till's own last entry): the server then knows that till had nothing more to send at that
-- moment. A shop day close waits for a till not known to be caught up since the day ended (or,
-- for today's close, in the last two minutes): a till that sold offline all day is named,
-- never silently left out.

ALTER TABLE till_shop.terminals ADD COLUMN caught_up_at timestamptz;

-- The till named p_terminal holds p_local_head entries: when the shop holds as many (and the
-- same chain, as ingest checked), it is caught up now. Answers whether it is.
CREATE FUNCTION till_shop.heartbeat(p_terminal text, p_local_head bigint) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    t till_shop.terminals%ROWTYPE;
BEGIN
    SELECT * INTO t FROM till_shop.terminals WHERE name = p_terminal FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no till named % has joined the shop', p_terminal USING ERRCODE = 'no_data_found';
    END IF;
    IF session_user <> t.role AND NOT pg_has_role(session_user, (SELECT nspowner FROM pg_namespace WHERE nspname = 'till_shop'), 'MEMBER') THEN
        RAISE EXCEPTION 'the role % may not speak for till %', session_user, p_terminal USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF t.alarm IS NULL AND t.head_id = p_local_head THEN
        UPDATE till_shop.terminals SET caught_up_at = now(), last_seen = now() WHERE name = p_terminal;
        RETURN true;
    END IF;
    UPDATE till_shop.terminals SET last_seen = now() WHERE name = p_terminal;
    RETURN false;
END
$$;

-- The tills, now with when each was last caught up, and the server's clock.
DROP FUNCTION till_shop.tills();
CREATE FUNCTION till_shop.tills()
RETURNS TABLE (name text, head_id bigint, head_hash text, alarm text, last_seen text, caught_up_at text, server_now text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
    SELECT name, head_id, head_hash, alarm,
           to_char(last_seen AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
           to_char(caught_up_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
           to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
      FROM till_shop.terminals ORDER BY name
$$;

REVOKE ALL ON FUNCTION till_shop.heartbeat(text, bigint) FROM PUBLIC;
REVOKE ALL ON FUNCTION till_shop.tills() FROM PUBLIC;
DO $$
BEGIN
    EXECUTE format('GRANT EXECUTE ON FUNCTION till_shop.heartbeat(text, bigint), till_shop.tills() TO %I',
                   till_shop.tills_role());
END $$;
