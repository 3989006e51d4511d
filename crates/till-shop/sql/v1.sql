-- The shop's shared ledger, version 1: every till's journal, entry for entry, checked by
-- PostgreSQL itself. A till never writes a table: it calls till_shop.ingest, which takes its
-- entries in order and answers, per batch, how many were accepted, how many were already there
-- (the same bytes: a resend after a lost answer), and the alarm that stopped it, if any (a gap,
-- a fork, a broken chain). Released migrations are never edited: a change is a new file.

CREATE SCHEMA till_shop;
REVOKE ALL ON SCHEMA till_shop FROM PUBLIC;

-- The tills of the shop and where each one's chain stands.
CREATE TABLE till_shop.terminals (
    name       text PRIMARY KEY CHECK (name ~ '^[a-z0-9-]{1,32}$'),
    -- The PostgreSQL role the till logs in as; it may ingest for this terminal only.
    role       name UNIQUE NOT NULL,
    head_id    bigint NOT NULL DEFAULT 0 CHECK (head_id >= 0),
    head_hash  text NOT NULL DEFAULT repeat('0', 64),
    -- Set when an ingest found a gap, a fork or a broken chain: nothing more is taken from this
    -- till until the owner has looked (tampering, or a till restored from an old backup).
    alarm      text,
    joined_at  timestamptz NOT NULL DEFAULT now(),
    last_seen  timestamptz
);

-- Every entry of every till's journal, as the till wrote it: the text is kept byte for byte
-- (text, not jsonb, which would reorder keys), so each hash can be recomputed here.
CREATE TABLE till_shop.entries (
    terminal    text NOT NULL REFERENCES till_shop.terminals (name),
    id          bigint NOT NULL CHECK (id > 0),
    sale_id     bigint,
    at          text NOT NULL,
    kind        text NOT NULL,
    detail      text NOT NULL,
    snapshot    text,
    prev_hash   text NOT NULL,
    hash        text NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (terminal, id)
);
CREATE INDEX entries_kind ON till_shop.entries (kind, terminal);

-- What stopped an ingest, kept after the batch's answer.
CREATE TABLE till_shop.alarms (
    id        bigserial PRIMARY KEY,
    terminal  text NOT NULL REFERENCES till_shop.terminals (name),
    entry_id  bigint NOT NULL,
    kind      text NOT NULL CHECK (kind IN ('gap', 'fork', 'broken_chain')),
    detail    text NOT NULL,
    raised_at timestamptz NOT NULL DEFAULT now()
);

-- One field of an entry's hash: its length as 8 bytes big-endian, then its bytes (the till's
-- till_core::ledger::chain, byte for byte).
CREATE FUNCTION till_shop.field(b bytea) RETURNS bytea
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT int8send(length(b)::bigint) || b $$;

-- An entry's SHA-256, as the till computes it: the previous hash, the id (8 bytes big-endian),
-- the sale's id as decimal text or nothing, the time, the kind, the detail, and the snapshot
-- (or the one byte 0xFF when there is none).
CREATE FUNCTION till_shop.entry_hash(prev text, id bigint, sale_id bigint, at text, kind text, detail text, snapshot text)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT encode(sha256(
           till_shop.field(convert_to(prev, 'UTF8'))
        || till_shop.field(int8send(id))
        || till_shop.field(convert_to(coalesce(sale_id::text, ''), 'UTF8'))
        || till_shop.field(convert_to(at, 'UTF8'))
        || till_shop.field(convert_to(kind, 'UTF8'))
        || till_shop.field(convert_to(detail, 'UTF8'))
        || CASE WHEN snapshot IS NULL THEN till_shop.field('\xff'::bytea)
                ELSE till_shop.field(convert_to(snapshot, 'UTF8')) END), 'hex')
$$;

-- Takes a till's entries, in order, in one transaction. `entries` is a JSON array of objects
-- with the journal's columns (id, sale_id, at, kind, detail, snapshot, prev_hash, hash). The
-- answer: {"accepted": n, "duplicates": n, "head_id": n, "head_hash": "...", "alarm": null or
-- {"kind": "...", "entry_id": n, "detail": "..."}}. A till's role may ingest for its own
-- terminal only; the shop's owner (the schema's owner) for any.
CREATE FUNCTION till_shop.ingest(p_terminal text, p_entries jsonb) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    t          till_shop.terminals%ROWTYPE;
    e          jsonb;
    e_id       bigint;
    e_hash     text;
    stored     text;
    recomputed text;
    accepted   int := 0;
    duplicates int := 0;
    v_alarm    jsonb := NULL;
BEGIN
    SELECT * INTO t FROM till_shop.terminals WHERE name = p_terminal FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no till named % has joined the shop', p_terminal USING ERRCODE = 'no_data_found';
    END IF;
    IF session_user <> t.role AND NOT pg_has_role(session_user, (SELECT nspowner FROM pg_namespace WHERE nspname = 'till_shop'), 'MEMBER') THEN
        RAISE EXCEPTION 'the role % may not send entries for till %', session_user, p_terminal USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF t.alarm IS NOT NULL THEN
        RETURN jsonb_build_object('accepted', 0, 'duplicates', 0, 'head_id', t.head_id, 'head_hash', t.head_hash,
                                  'alarm', jsonb_build_object('kind', 'standing', 'entry_id', t.head_id, 'detail', t.alarm));
    END IF;
    FOR e IN SELECT value FROM jsonb_array_elements(p_entries) ORDER BY (value->>'id')::bigint LOOP
        e_id := (e->>'id')::bigint;
        e_hash := e->>'hash';
        recomputed := till_shop.entry_hash(e->>'prev_hash', e_id, (e->>'sale_id')::bigint, e->>'at', e->>'kind', e->>'detail', e->>'snapshot');
        IF e_id <= t.head_id THEN
            -- The same bytes as the entry held: the hash sent and the hash of the bytes sent
            -- both equal the one held (a hash alone could be replayed over other bytes).
            SELECT hash INTO stored FROM till_shop.entries WHERE terminal = p_terminal AND id = e_id;
            IF stored = e_hash AND recomputed = stored THEN
                duplicates := duplicates + 1;
                CONTINUE;
            END IF;
            v_alarm := jsonb_build_object('kind', 'fork', 'entry_id', e_id,
                'detail', format('entry %s of %s differs from the one the shop holds (a till restored from an old backup, or changed)', e_id, p_terminal));
            EXIT;
        END IF;
        IF e_id <> t.head_id + 1 THEN
            v_alarm := jsonb_build_object('kind', 'gap', 'entry_id', e_id,
                'detail', format('%s sent entry %s but the shop holds up to %s', p_terminal, e_id, t.head_id));
            EXIT;
        END IF;
        IF e->>'prev_hash' <> t.head_hash OR recomputed <> e_hash THEN
            v_alarm := jsonb_build_object('kind', 'broken_chain', 'entry_id', e_id,
                'detail', format('entry %s of %s does not follow the chain the shop holds, or its bytes do not give its hash', e_id, p_terminal));
            EXIT;
        END IF;
        INSERT INTO till_shop.entries (terminal, id, sale_id, at, kind, detail, snapshot, prev_hash, hash)
        VALUES (p_terminal, e_id, (e->>'sale_id')::bigint, e->>'at', e->>'kind', e->>'detail', e->>'snapshot', e->>'prev_hash', e_hash);
        t.head_id := e_id;
        t.head_hash := e_hash;
        accepted := accepted + 1;
    END LOOP;
    IF v_alarm IS NOT NULL THEN
        INSERT INTO till_shop.alarms (terminal, entry_id, kind, detail)
        VALUES (p_terminal, (v_alarm->>'entry_id')::bigint, v_alarm->>'kind', v_alarm->>'detail');
    END IF;
    UPDATE till_shop.terminals
       SET head_id = t.head_id, head_hash = t.head_hash, last_seen = now(), alarm = v_alarm->>'detail'
     WHERE name = p_terminal;
    RETURN jsonb_build_object('accepted', accepted, 'duplicates', duplicates, 'head_id', t.head_id,
                              'head_hash', t.head_hash, 'alarm', v_alarm);
END
$$;

-- The tills' group role: it may call ingest and nothing else (no table is granted to it).
DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'till_shop_tills') THEN
        CREATE ROLE till_shop_tills NOLOGIN;
    END IF;
END $$;
GRANT USAGE ON SCHEMA till_shop TO till_shop_tills;
REVOKE ALL ON FUNCTION till_shop.ingest(text, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION till_shop.ingest(text, jsonb) TO till_shop_tills;
