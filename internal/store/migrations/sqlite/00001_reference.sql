-- +goose Up
-- The reference data of each city: districts, the address register,
-- schools, catchments, teachers and the local person registry.

CREATE TABLE cities (
    slug    TEXT PRIMARY KEY,
    name_kk TEXT NOT NULL,
    name_ru TEXT NOT NULL,
    name_en TEXT NOT NULL,
    lat     REAL NOT NULL,
    lon     REAL NOT NULL,
    zoom    INTEGER NOT NULL
) STRICT;

CREATE TABLE districts (
    city     TEXT NOT NULL REFERENCES cities (slug),
    slug     TEXT NOT NULL,
    name_kk  TEXT NOT NULL,
    name_ru  TEXT NOT NULL,
    name_en  TEXT NOT NULL,
    boundary TEXT NOT NULL DEFAULT '[]', -- geo.MultiPolygon as JSON
    PRIMARY KEY (city, slug)
) STRICT;

CREATE TABLE streets (
    id        INTEGER PRIMARY KEY,
    city      TEXT NOT NULL REFERENCES cities (slug),
    district  TEXT NOT NULL,
    kind      TEXT NOT NULL,
    name_kk   TEXT NOT NULL,
    name_ru   TEXT NOT NULL,
    name_en   TEXT NOT NULL,
    old_names TEXT NOT NULL DEFAULT '[]',
    FOREIGN KEY (city, district) REFERENCES districts (city, slug)
) STRICT;

CREATE TABLE buildings (
    id          INTEGER PRIMARY KEY,
    city        TEXT NOT NULL REFERENCES cities (slug),
    street_id   INTEGER NOT NULL REFERENCES streets (id),
    district    TEXT NOT NULL,
    number      TEXT NOT NULL,
    code        TEXT NOT NULL,
    lat         REAL NOT NULL,
    lon         REAL NOT NULL,
    residential INTEGER NOT NULL,
    UNIQUE (street_id, number),
    FOREIGN KEY (city, district) REFERENCES districts (city, slug)
) STRICT;
CREATE INDEX buildings_city ON buildings (city);

CREATE TABLE schools (
    id              INTEGER PRIMARY KEY,
    city            TEXT NOT NULL REFERENCES cities (slug),
    bin             TEXT UNIQUE, -- NULL when unknown
    registry_id     TEXT UNIQUE, -- the national registry\'s id, when known
    number          INTEGER NOT NULL,
    name_kk         TEXT NOT NULL,
    name_ru         TEXT NOT NULL,
    name_en         TEXT NOT NULL,
    type            TEXT NOT NULL,
    ownership       TEXT NOT NULL,
    languages       TEXT NOT NULL,
    district        TEXT NOT NULL,
    building_id     INTEGER REFERENCES buildings (id),
    address_kk      TEXT NOT NULL,
    address_ru      TEXT NOT NULL,
    address_en      TEXT NOT NULL,
    lat             REAL NOT NULL,
    lon             REAL NOT NULL,
    phone           TEXT NOT NULL,
    email           TEXT NOT NULL,
    website         TEXT NOT NULL,
    director        TEXT NOT NULL,
    founded         INTEGER NOT NULL,
    shifts          INTEGER NOT NULL,
    start_times     TEXT NOT NULL,
    capacity        INTEGER NOT NULL,
    pupils          INTEGER NOT NULL,
    grade1_classes  INTEGER NOT NULL,
    grade10_classes INTEGER NOT NULL,
    profiles        TEXT NOT NULL,
    facilities      TEXT NOT NULL,
    accessibility   TEXT NOT NULL,
    FOREIGN KEY (city, district) REFERENCES districts (city, slug)
) STRICT;
CREATE INDEX schools_city ON schools (city);

CREATE TABLE catchments (
    id        INTEGER PRIMARY KEY,
    city      TEXT NOT NULL REFERENCES cities (slug),
    school_id INTEGER NOT NULL REFERENCES schools (id),
    year      INTEGER NOT NULL,
    area      TEXT NOT NULL DEFAULT '[]', -- geo.Polygon as JSON
    UNIQUE (school_id, year)
) STRICT;
CREATE INDEX catchments_city_year ON catchments (city, year);

-- A building belongs to at most one catchment a year.
CREATE TABLE catchment_buildings (
    catchment_id INTEGER NOT NULL REFERENCES catchments (id) ON DELETE CASCADE,
    building_id  INTEGER NOT NULL REFERENCES buildings (id),
    city         TEXT NOT NULL REFERENCES cities (slug),
    year         INTEGER NOT NULL,
    PRIMARY KEY (catchment_id, building_id),
    UNIQUE (year, building_id)
) STRICT;

CREATE TABLE teachers (
    id         INTEGER PRIMARY KEY,
    city       TEXT NOT NULL REFERENCES cities (slug),
    school_id  INTEGER NOT NULL REFERENCES schools (id),
    surname    TEXT NOT NULL,
    name       TEXT NOT NULL,
    patronymic TEXT NOT NULL,
    category   TEXT NOT NULL,
    subjects   TEXT NOT NULL,
    languages  TEXT NOT NULL,
    experience INTEGER NOT NULL,
    indicators TEXT NOT NULL
) STRICT;
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
    birth_date TEXT NOT NULL, -- YYYY-MM-DD
    sex        TEXT NOT NULL,
    phone      TEXT NOT NULL
) STRICT;
CREATE INDEX persons_city ON persons (city);

CREATE TABLE person_links (
    parent_iin TEXT NOT NULL REFERENCES persons (iin),
    child_iin  TEXT NOT NULL REFERENCES persons (iin),
    city       TEXT NOT NULL REFERENCES cities (slug),
    relation   TEXT NOT NULL,
    PRIMARY KEY (parent_iin, child_iin)
) STRICT;
CREATE INDEX person_links_child ON person_links (child_iin);

-- The demo outbox: messages the demo would have sent.
CREATE TABLE outbox (
    id         INTEGER PRIMARY KEY,
    city       TEXT NOT NULL DEFAULT '',
    recipient  TEXT NOT NULL,
    channel    TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at TEXT NOT NULL -- RFC 3339 in UTC
) STRICT;

-- +goose Down
DROP TABLE outbox;
DROP TABLE person_links;
DROP TABLE persons;
DROP TABLE teachers;
DROP TABLE catchment_buildings;
DROP TABLE catchments;
DROP TABLE schools;
DROP TABLE buildings;
DROP TABLE streets;
DROP TABLE districts;
DROP TABLE cities;
