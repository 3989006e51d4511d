-- The shop's server, version 5: the shop's own settings, first of them the time zone its days
-- are counted in, so that every till's reports and closes of the shop count the same days
-- whichever till the owner stands at. `till shop init` sets it from the till it runs at, once.

CREATE TABLE till_shop.settings (
    key   text PRIMARY KEY,
    value text NOT NULL
);

-- A setting of the shop (null when not set).
CREATE FUNCTION till_shop.setting(p_key text) RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT value FROM till_shop.settings WHERE key = p_key $$;

REVOKE ALL ON FUNCTION till_shop.setting(text) FROM PUBLIC;
DO $$
BEGIN
    EXECUTE format('GRANT EXECUTE ON FUNCTION till_shop.setting(text) TO %I', till_shop.tills_role());
END $$;
