-- The shop's server, version 3: the shop's tills kept to this shop, and a day close the
-- server checks itself.
--
-- PostgreSQL's roles belong to the whole cluster, not to one database: on a server holding
-- several shops (a hosted one), version 1's group `till_shop_tills` let a till of one shop read
-- another's books. Each shop now has a group of its own, named from its database, and only its
-- members (and its owner) may connect to the shop's database at all; nobody else may create
-- objects in its `public` schema.
--
-- A close is still added up by the till that makes it (with the one report function every
-- till uses); the server now refuses one that cannot be right: a day that has not begun, no
-- Z at all, a Z left out that ends before the day does, a training Z, or a till that sent
-- entries while the close was being made (PostgreSQL's serialization failure: the till
-- tries again, reading everything anew).

-- A short mark of this database, for the names of its roles.
CREATE FUNCTION till_shop.tag() RETURNS text
LANGUAGE sql STABLE
AS $$ SELECT left(md5(current_database()), 8) $$;

-- This shop's group of tills.
CREATE FUNCTION till_shop.tills_role() RETURNS name
LANGUAGE sql STABLE
AS $$ SELECT ('till_shop_' || till_shop.tag() || '_tills')::name $$;

DROP FUNCTION till_shop.record_close(date, text, text);

-- Records a shop day close the caller added up, in the caller's serializable transaction.
-- p_until: the end of the day in the shop's zone (UTC text as the tills write times); p_heads:
-- {"terminal": head_id, ...} as the caller read every till. Answers {"no", "hash"}.
CREATE FUNCTION till_shop.record_close(p_day date, p_until text, p_report text, p_zs text, p_heads jsonb)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    last    till_shop.closes%ROWTYPE;
    t       record;
    z       jsonb;
    v_until timestamptz := p_until::timestamptz;
    v_no    bigint;
    v_prev  text;
    v_hash  text;
    v_count int := 0;
BEGIN
    IF p_day > (now() AT TIME ZONE 'UTC')::date + 1 THEN
        RAISE EXCEPTION '% has not begun yet: only today or an earlier day can be closed', p_day
            USING ERRCODE = 'check_violation';
    END IF;
    IF v_until < ((p_day + 1)::timestamp AT TIME ZONE 'UTC') - interval '14 hours'
       OR v_until > ((p_day + 1)::timestamp AT TIME ZONE 'UTC') + interval '12 hours' THEN
        RAISE EXCEPTION 'the close of % must end where that day ends, not at %', p_day, p_until
            USING ERRCODE = 'check_violation';
    END IF;
    -- Every till as the close read it: none may have sent anything since (their rows are held
    -- until the close commits, so none can meanwhile).
    FOR t IN SELECT name, head_id FROM till_shop.terminals ORDER BY name FOR SHARE LOOP
        IF (p_heads->>t.name)::bigint IS DISTINCT FROM t.head_id THEN
            RAISE EXCEPTION 'till % sent entries while the close was being made', t.name
                USING ERRCODE = 'serialization_failure';
        END IF;
    END LOOP;
    SELECT * INTO last FROM till_shop.closes ORDER BY no DESC LIMIT 1;
    IF FOUND AND p_day <= last.day THEN
        RAISE EXCEPTION 'the shop closed % already (its last close); days close in order', last.day
            USING ERRCODE = 'unique_violation';
    END IF;
    v_no := coalesce(last.no, 0) + 1;
    v_prev := coalesce(last.hash, repeat('0', 64));
    v_hash := till_shop.close_hash(v_prev, v_no, p_day, p_report, p_zs);
    INSERT INTO till_shop.closes (no, day, closed_by, report, zs, prev_hash, hash)
    VALUES (v_no, p_day, session_user, p_report, p_zs, v_prev, v_hash);
    FOR z IN SELECT value FROM jsonb_array_elements(p_zs::jsonb) LOOP
        IF NOT EXISTS (SELECT 1 FROM till_shop.entries
                        WHERE terminal = z->>'terminal' AND id = (z->>'entry_id')::bigint
                          AND kind IN ('z_closed', 'day_closed') AND hash = z->>'hash'
                          AND (detail::jsonb->>'training') IS DISTINCT FROM 'true'
                          AND coalesce(detail::jsonb->>'cutoff', '') < p_until) THEN
            RAISE EXCEPTION 'Z % of % is not a live Z of the shop''s copy ending before %', z->>'z_no', z->>'terminal', p_until
                USING ERRCODE = 'foreign_key_violation';
        END IF;
        -- The primary key refuses a Z taken by an earlier close.
        INSERT INTO till_shop.closed_zs (terminal, entry_id, close_no)
        VALUES (z->>'terminal', (z->>'entry_id')::bigint, v_no);
        v_count := v_count + 1;
    END LOOP;
    IF v_count = 0 THEN
        RAISE EXCEPTION 'a close takes at least one Z' USING ERRCODE = 'check_violation';
    END IF;
    -- Every live Z ending before the day does, and taken by no close, is in this one.
    IF EXISTS (SELECT 1 FROM till_shop.entries e
                WHERE e.kind = 'z_closed'
                  AND (e.detail::jsonb->>'training') IS DISTINCT FROM 'true'
                  AND e.detail::jsonb->>'cutoff' < p_until
                  AND NOT EXISTS (SELECT 1 FROM till_shop.closed_zs c
                                   WHERE c.terminal = e.terminal AND c.entry_id = e.id)) THEN
        RAISE EXCEPTION 'the close leaves out a Z that ends before %', p_until
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN jsonb_build_object('no', v_no, 'hash', v_hash);
END
$$;

-- Clears a till's standing alarm once the owner has looked (the shop's owner only: no till
-- may call it). The alarms stay on record.
CREATE FUNCTION till_shop.clear_alarm(p_terminal text) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    UPDATE till_shop.terminals SET alarm = NULL WHERE name = p_terminal;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no till named % has joined the shop', p_terminal USING ERRCODE = 'no_data_found';
    END IF;
END
$$;
REVOKE ALL ON FUNCTION till_shop.clear_alarm(text) FROM PUBLIC;

-- The shop's own group: the tills' functions, its database, and every till joined so far.
DO $$
DECLARE
    g name := till_shop.tills_role();
    r record;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = g) THEN
        EXECUTE format('CREATE ROLE %I NOLOGIN', g);
    END IF;
    EXECUTE format('GRANT USAGE ON SCHEMA till_shop TO %I', g);
    EXECUTE format('GRANT EXECUTE ON FUNCTION till_shop.ingest(text, jsonb), till_shop.tills(), '
                   'till_shop.journal(text, bigint, int), till_shop.close_list(), '
                   'till_shop.record_close(date, text, text, text, jsonb) TO %I', g);
    FOR r IN SELECT role FROM till_shop.terminals LOOP
        EXECUTE format('GRANT %I TO %I', g, r.role);
    END LOOP;
    EXECUTE format('REVOKE CONNECT, TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), g);
END $$;
REVOKE ALL ON FUNCTION till_shop.record_close(date, text, text, text, jsonb) FROM PUBLIC;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;

-- Version 1's group, shared by every shop on the server, no longer opens anything here.
REVOKE ALL ON FUNCTION till_shop.ingest(text, jsonb) FROM till_shop_tills;
REVOKE ALL ON FUNCTION till_shop.tills() FROM till_shop_tills;
REVOKE ALL ON FUNCTION till_shop.journal(text, bigint, int) FROM till_shop_tills;
REVOKE ALL ON FUNCTION till_shop.close_list() FROM till_shop_tills;
REVOKE USAGE ON SCHEMA till_shop FROM till_shop_tills;
