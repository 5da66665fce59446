-- The shop application's tables, run once as the owner role `shop` in the database `shop` (ShopDatabase.start).
-- A small web shop: customers place orders; every business event is also written to the outbox table in the same
-- transaction (Debezium's outbox pattern: id, aggregatetype, aggregateid, type, payload), its payload the whole
-- aggregate's row (to_jsonb) as the change left it.

-- version and updated_at belong to the row, not to the writer: a trigger keeps them for every client (the generator,
-- psql, an ORM), so a change made by hand carries a version too and change data capture can order by it.
-- clock_timestamp(), not now(): now() is when the transaction began, and a transaction that began first may change
-- the row second (it waited for the row's lock), so now() could go back while the version goes up. The clock read
-- under the row lock grows with the version.
CREATE FUNCTION touch_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.version := OLD.version + 1;
    NEW.updated_at := clock_timestamp();
    RETURN NEW;
END
$$;

CREATE TABLE customers (
    id          bigserial   PRIMARY KEY,
    email       text        NOT NULL UNIQUE,
    name        text        NOT NULL,
    country     char(2)     NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    version     integer     NOT NULL DEFAULT 1
);
-- FULL: an update or delete carries the whole old row (Debezium's `before`), not only the primary key.
ALTER TABLE customers REPLICA IDENTITY FULL;
CREATE TRIGGER customers_touch BEFORE UPDATE ON customers FOR EACH ROW EXECUTE FUNCTION touch_row();

CREATE TABLE orders (
    id            bigserial   PRIMARY KEY,
    customer_id   bigint      NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    status        text        NOT NULL CHECK (status IN ('pending', 'paid', 'shipped', 'cancelled')),
    -- Money as an amount in minor units plus an ISO-4217 code, as in Syncline's canonical schemas.
    amount_minor  bigint      NOT NULL CHECK (amount_minor >= 0),
    currency      char(3)     NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    version       integer     NOT NULL DEFAULT 1
);
ALTER TABLE orders REPLICA IDENTITY FULL;
CREATE INDEX orders_customer ON orders (customer_id);
CREATE TRIGGER orders_touch BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION touch_row();

-- Debezium's outbox event router reads these column names by default. The generator deletes each row in the transaction
-- that inserted it: the write-ahead log keeps the insert for Debezium, the router ignores the delete, and the table stays
-- empty. The default replica identity (the primary key) is enough.
CREATE TABLE outbox (
    id             uuid         PRIMARY KEY,
    aggregatetype  varchar(255) NOT NULL,
    aggregateid    varchar(255) NOT NULL,
    type           varchar(255) NOT NULL,
    payload        jsonb        NOT NULL,
    created_at     timestamptz  NOT NULL DEFAULT now()
);
