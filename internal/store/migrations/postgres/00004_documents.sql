-- +goose Up
-- The bytes of uploaded documents, when they are kept in the database (the
-- choice for several machines) rather than in a directory. key is the
-- opaque random key the documents' records point to; what a document is and
-- whose it is lives with the application, not here.
CREATE TABLE document_blobs (
    key        TEXT PRIMARY KEY,
    data       BYTEA NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE IF EXISTS document_blobs;
