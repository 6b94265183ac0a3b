-- +goose Up
-- Photos of a school that its staff upload for the passport: the image
-- (checked and re-encoded) lives in the document store under key.
CREATE TABLE school_photos (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    school_id  BIGINT NOT NULL REFERENCES schools (id),
    key        TEXT NOT NULL UNIQUE,
    type       TEXT NOT NULL,
    size       BIGINT NOT NULL,
    width      INTEGER NOT NULL,
    height     INTEGER NOT NULL,
    added_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX school_photos_school ON school_photos (school_id, id);

-- +goose Down
DROP TABLE IF EXISTS school_photos;
