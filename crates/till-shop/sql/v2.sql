-- The shop's books, version 2: what a till may read of the shop (every till's journal, the
-- tills' state, the shop's day closes) and the shop's day close itself, chained like a till's
-- journal. The figures are added up by the till that asks (till_core's one report function,
-- over the journals read here); the server keeps each close's bytes and chains them, and
-- `till shop verify` adds every close up again from the Zs it names.

-- One shop day close: the tills' Zs it takes, the report it printed, chained to the one before.
CREATE TABLE till_shop.closes (
    no         bigint PRIMARY KEY CHECK (no > 0),
    day        date UNIQUE NOT NULL,
    closed_at  timestamptz NOT NULL DEFAULT now(),
    -- The role that closed it (the till the owner closed it at).
    closed_by  name NOT NULL,
    -- The report as JSON text, kept byte for byte.
    report     text NOT NULL,
    -- The Zs it takes: a JSON array of {"terminal", "z_no", "entry_id", "hash"}, as text.
    zs         text NOT NULL,
    prev_hash  text NOT NULL,
    hash       text UNIQUE NOT NULL
);

-- Which close took which till's Z: a Z is taken once, by the first close whose day is on or
-- after its cutoff's day.
CREATE TABLE till_shop.closed_zs (
    terminal text NOT NULL,
    entry_id bigint NOT NULL,
    close_no bigint NOT NULL REFERENCES till_shop.closes (no),
    PRIMARY KEY (terminal, entry_id),
    FOREIGN KEY (terminal, entry_id) REFERENCES till_shop.entries (terminal, id)
);

-- A close's hash: the previous close's hash, its number (8 bytes big-endian), its day, its
-- report and its Zs, each as till_shop.field (length, then bytes).
CREATE FUNCTION till_shop.close_hash(prev text, no bigint, day date, report text, zs text)
RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
    SELECT encode(sha256(
           till_shop.field(convert_to(prev, 'UTF8'))
        || till_shop.field(int8send(no))
        || till_shop.field(convert_to(to_char(day, 'YYYY-MM-DD'), 'UTF8'))
        || till_shop.field(convert_to(report, 'UTF8'))
        || till_shop.field(convert_to(zs, 'UTF8'))), 'hex')
$$;

-- The tills of the shop and where each one's copy stands.
CREATE FUNCTION till_shop.tills()
RETURNS TABLE (name text, head_id bigint, head_hash text, alarm text, last_seen text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
    SELECT name, head_id, head_hash, alarm,
           to_char(last_seen AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
      FROM till_shop.terminals ORDER BY name
$$;

-- At most p_limit entries of a till's journal after entry p_after, in order, as the till wrote
-- them.
CREATE FUNCTION till_shop.journal(p_terminal text, p_after bigint, p_limit int)
RETURNS TABLE (id bigint, sale_id bigint, at text, kind text, detail text, snapshot text, prev_hash text, hash text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
    SELECT id, sale_id, at, kind, detail, snapshot, prev_hash, hash
      FROM till_shop.entries
     WHERE terminal = p_terminal AND id > p_after
     ORDER BY id LIMIT p_limit
$$;

-- The shop's day closes, in order.
CREATE FUNCTION till_shop.close_list()
RETURNS TABLE (no bigint, day text, closed_at text, closed_by text, report text, zs text, prev_hash text, hash text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
    SELECT no, to_char(day, 'YYYY-MM-DD'),
           to_char(closed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
           closed_by::text, report, zs, prev_hash, hash
      FROM till_shop.closes ORDER BY no
$$;

-- Records a shop day close the caller added up, in the caller's (serializable) transaction:
-- the day must come after the last closed one, and every Z it takes must be in the shop's copy
-- of its till's journal with that hash and in no earlier close. Answers {"no", "hash"}.
CREATE FUNCTION till_shop.record_close(p_day date, p_report text, p_zs text) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    last   till_shop.closes%ROWTYPE;
    z      jsonb;
    v_no   bigint;
    v_prev text;
    v_hash text;
BEGIN
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
                          AND kind IN ('z_closed', 'day_closed') AND hash = z->>'hash') THEN
            RAISE EXCEPTION 'Z % of % is not in the shop''s copy of its journal', z->>'z_no', z->>'terminal'
                USING ERRCODE = 'foreign_key_violation';
        END IF;
        -- The primary key refuses a Z taken by an earlier close.
        INSERT INTO till_shop.closed_zs (terminal, entry_id, close_no)
        VALUES (z->>'terminal', (z->>'entry_id')::bigint, v_no);
    END LOOP;
    RETURN jsonb_build_object('no', v_no, 'hash', v_hash);
END
$$;

REVOKE ALL ON FUNCTION till_shop.tills() FROM PUBLIC;
REVOKE ALL ON FUNCTION till_shop.journal(text, bigint, int) FROM PUBLIC;
REVOKE ALL ON FUNCTION till_shop.close_list() FROM PUBLIC;
REVOKE ALL ON FUNCTION till_shop.record_close(date, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION till_shop.tills() TO till_shop_tills;
GRANT EXECUTE ON FUNCTION till_shop.journal(text, bigint, int) TO till_shop_tills;
GRANT EXECUTE ON FUNCTION till_shop.close_list() TO till_shop_tills;
GRANT EXECUTE ON FUNCTION till_shop.record_close(date, text, text) TO till_shop_tills;
