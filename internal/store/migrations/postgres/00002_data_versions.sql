-- +goose Up
-- The version of each city's reference data, bumped by every import in the
-- same transaction, so that running processes notice the change and
-- rebuild their in-memory indexes.
CREATE TABLE data_versions (
    city       TEXT PRIMARY KEY REFERENCES cities (slug),
    version    BIGINT NOT NULL,
    changed_at TIMESTAMPTZ NOT NULL
);

-- Imports find buildings by registration code and streets by name.
CREATE INDEX buildings_city_code ON buildings (city, code);
CREATE INDEX streets_city_kind_name ON streets (city, kind, name_ru);

-- +goose Down
DROP INDEX IF EXISTS streets_city_kind_name;
DROP INDEX IF EXISTS buildings_city_code;
DROP TABLE IF EXISTS data_versions;
