-- Ledger entries must name an existing balance, and reservation lines an existing reservation.
-- Until now two foreign keys said so. A foreign key is checked row by row: one query and one row
-- lock per inserted row. A reservation batch inserts 2 ledger entries and 1 line per reservation,
-- all naming the same few parent rows, and those checks were about 45 % of PostgreSQL's CPU per
-- reservation (pg_stat_statements, P1: ledger insert 158 us per reservation with the key, 46 us
-- without it). The same rule is now checked once per statement, over all the rows it inserted.
--
-- A foreign key also locks the parent row so that it cannot vanish before the insert commits.
-- Here the parents can never vanish: balances and reservations can be neither deleted nor
-- re-keyed (triggers below; no code path does either). A parent seen once stays, so the
-- statement check guards as much as the key did.

ALTER TABLE ledger DROP CONSTRAINT ledger_balance;
ALTER TABLE reservation_line DROP CONSTRAINT reservation_line_reservation_id_fkey;

CREATE FUNCTION ledger_entries_name_balances() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM (SELECT DISTINCT sku, location FROM new_entries) n
               WHERE NOT EXISTS (SELECT 1 FROM balance b WHERE b.sku = n.sku AND b.location = n.location)) THEN
        RAISE EXCEPTION 'a ledger entry names no balance (SKU and location)'
            USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'ledger_balance', TABLE = 'ledger';
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER ledger_balance AFTER INSERT ON ledger REFERENCING NEW TABLE AS new_entries
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_entries_name_balances();

CREATE FUNCTION reservation_lines_name_reservations() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM (SELECT DISTINCT reservation_id FROM new_lines) n
               WHERE NOT EXISTS (SELECT 1 FROM reservation r WHERE r.id = n.reservation_id)) THEN
        RAISE EXCEPTION 'a reservation line names no reservation'
            USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'reservation_line_reservation',
                  TABLE = 'reservation_line';
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER reservation_line_reservation AFTER INSERT ON reservation_line
    REFERENCING NEW TABLE AS new_lines
    FOR EACH STATEMENT EXECUTE FUNCTION reservation_lines_name_reservations();

-- The parents are permanent: their quantities and states change, their keys and rows stay.
CREATE FUNCTION rows_are_permanent() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% rows are permanent: % is not allowed', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'restrict_violation';
END
$$;
CREATE TRIGGER balance_is_permanent BEFORE DELETE OR UPDATE OF sku, location ON balance
    FOR EACH ROW EXECUTE FUNCTION rows_are_permanent();
CREATE TRIGGER balance_no_truncate BEFORE TRUNCATE ON balance
    FOR EACH STATEMENT EXECUTE FUNCTION rows_are_permanent();
CREATE TRIGGER reservation_is_permanent BEFORE DELETE OR UPDATE OF id ON reservation
    FOR EACH ROW EXECUTE FUNCTION rows_are_permanent();
CREATE TRIGGER reservation_no_truncate BEFORE TRUNCATE ON reservation
    FOR EACH STATEMENT EXECUTE FUNCTION rows_are_permanent();
