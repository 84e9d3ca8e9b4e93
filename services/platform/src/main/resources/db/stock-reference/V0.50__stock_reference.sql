-- What a service knows of stock's locations and items, from stock.location.changed and
-- stock.item.changed (services never read each other's tables). Used by the services that check
-- requests against them (StockReferences); they add db/stock-reference to their Flyway locations.
CREATE TABLE known_location (
    code       TEXT PRIMARY KEY,
    type       TEXT        NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE known_item (
    sku        TEXT PRIMARY KEY,
    updated_at TIMESTAMPTZ NOT NULL
);
