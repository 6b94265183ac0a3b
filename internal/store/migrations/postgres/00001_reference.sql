-- +goose Up
-- The reference data of each city: districts, the address register,
-- schools, catchments, teachers and the local person registry.

CREATE TABLE cities (
    slug    TEXT PRIMARY KEY,
    name_kk TEXT NOT NULL,
    name_ru TEXT NOT NULL,
    name_en TEXT NOT NULL,
    lat     DOUBLE PRECISION NOT NULL,
    lon     DOUBLE PRECISION NOT NULL,
    zoom    INTEGER NOT NULL
);

CREATE TABLE districts (
    city     TEXT NOT NULL REFERENCES cities (slug),
    slug     TEXT NOT NULL,
    name_kk  TEXT NOT NULL,
    name_ru  TEXT NOT NULL,
    name_en  TEXT NOT NULL,
    boundary JSONB NOT NULL DEFAULT '[]', -- geo.MultiPolygon
    PRIMARY KEY (city, slug)
);

CREATE TABLE streets (
    id        BIGINT PRIMARY KEY,
    city      TEXT NOT NULL REFERENCES cities (slug),
    district  TEXT NOT NULL,
    kind      TEXT NOT NULL,
    name_kk   TEXT NOT NULL,
    name_ru   TEXT NOT NULL,
    name_en   TEXT NOT NULL,
    old_names JSONB NOT NULL DEFAULT '[]',
    FOREIGN KEY (city, district) REFERENCES districts (city, slug)
);

CREATE TABLE buildings (
    id          BIGINT PRIMARY KEY,
    city        TEXT NOT NULL REFERENCES cities (slug),
    street_id   BIGINT NOT NULL REFERENCES streets (id),
    district    TEXT NOT NULL,
    number      TEXT NOT NULL,
    code        TEXT NOT NULL,
    lat         DOUBLE PRECISION NOT NULL,
    lon         DOUBLE PRECISION NOT NULL,
    residential BOOLEAN NOT NULL,
    UNIQUE (street_id, number),
    FOREIGN KEY (city, district) REFERENCES districts (city, slug)
);
CREATE INDEX buildings_city ON buildings (city);

CREATE TABLE schools (
    id              BIGINT PRIMARY KEY,
    city            TEXT NOT NULL REFERENCES cities (slug),
    bin             TEXT UNIQUE, -- NULL when unknown
    registry_id     TEXT UNIQUE, -- the national registry\'s id, when known
    number          INTEGER NOT NULL,
    name_kk         TEXT NOT NULL,
    name_ru         TEXT NOT NULL,
    name_en         TEXT NOT NULL,
    type            TEXT NOT NULL,
    ownership       TEXT NOT NULL,
    languages       JSONB NOT NULL,
    district        TEXT NOT NULL,
    building_id     BIGINT REFERENCES buildings (id),
    address_kk      TEXT NOT NULL,
    address_ru      TEXT NOT NULL,
    address_en      TEXT NOT NULL,
    lat             DOUBLE PRECISION NOT NULL,
    lon             DOUBLE PRECISION NOT NULL,
    phone           TEXT NOT NULL,
    email           TEXT NOT NULL,
    website         TEXT NOT NULL,
    director        TEXT NOT NULL,
    founded         INTEGER NOT NULL,
    shifts          INTEGER NOT NULL,
    start_times     JSONB NOT NULL,
    capacity        INTEGER NOT NULL,
    pupils          INTEGER NOT NULL,
    grade1_classes  INTEGER NOT NULL,
    grade10_classes INTEGER NOT NULL,
    profiles        JSONB NOT NULL,
    facilities      JSONB NOT NULL,
    accessibility   JSONB NOT NULL,
    FOREIGN KEY (city, district) REFERENCES districts (city, slug)
);
CREATE INDEX schools_city ON schools (city);

CREATE TABLE catchments (
    id        BIGINT PRIMARY KEY,
    city      TEXT NOT NULL REFERENCES cities (slug),
    school_id BIGINT NOT NULL REFERENCES schools (id),
    year      INTEGER NOT NULL,
    area      JSONB NOT NULL DEFAULT '[]', -- geo.Polygon
    UNIQUE (school_id, year)
);
CREATE INDEX catchments_city_year ON catchments (city, year);

-- A building belongs to at most one catchment a year.
CREATE TABLE catchment_buildings (
    catchment_id BIGINT NOT NULL REFERENCES catchments (id) ON DELETE CASCADE,
    building_id  BIGINT NOT NULL REFERENCES buildings (id),
    city         TEXT NOT NULL REFERENCES cities (slug),
    year         INTEGER NOT NULL,
    PRIMARY KEY (catchment_id, building_id),
    UNIQUE (year, building_id)
);

CREATE TABLE teachers (
    id         BIGINT PRIMARY KEY,
    city       TEXT NOT NULL REFERENCES cities (slug),
    school_id  BIGINT NOT NULL REFERENCES schools (id),
    surname    TEXT NOT NULL,
    name       TEXT NOT NULL,
    patronymic TEXT NOT NULL,
    category   TEXT NOT NULL,
    subjects   JSONB NOT NULL,
    languages  JSONB NOT NULL,
    experience INTEGER NOT NULL,
    indicators JSONB NOT NULL
);
CREATE INDEX teachers_school ON teachers (school_id);
CREATE INDEX teachers_city ON teachers (city);

-- The local person registry, standing in for the national one in the demo
-- and filled by imports elsewhere.
CREATE TABLE persons (
    iin        TEXT PRIMARY KEY,
    city       TEXT NOT NULL REFERENCES cities (slug),
    surname    TEXT NOT NULL,
    name       TEXT NOT NULL,
    patronymic TEXT NOT NULL,
    birth_date DATE NOT NULL,
    sex        TEXT NOT NULL,
    phone      TEXT NOT NULL
);
CREATE INDEX persons_city ON persons (city);

CREATE TABLE person_links (
    parent_iin TEXT NOT NULL REFERENCES persons (iin),
    child_iin  TEXT NOT NULL REFERENCES persons (iin),
    city       TEXT NOT NULL REFERENCES cities (slug),
    relation   TEXT NOT NULL,
    PRIMARY KEY (parent_iin, child_iin)
);
CREATE INDEX person_links_child ON person_links (child_iin);

-- The demo outbox: messages the demo would have sent.
CREATE TABLE outbox (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    city       TEXT NOT NULL DEFAULT '',
    recipient  TEXT NOT NULL,
    channel    TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE IF EXISTS outbox;
DROP TABLE IF EXISTS person_links;
DROP TABLE IF EXISTS persons;
DROP TABLE IF EXISTS teachers;
DROP TABLE IF EXISTS catchment_buildings;
DROP TABLE IF EXISTS catchments;
DROP TABLE IF EXISTS schools;
DROP TABLE IF EXISTS buildings;
DROP TABLE IF EXISTS streets;
DROP TABLE IF EXISTS districts;
DROP TABLE IF EXISTS cities;
