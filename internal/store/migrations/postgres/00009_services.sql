-- +goose Up
-- What the other services' queues and seats need of an application: the
-- grade it is for, the profile (grades 10–11) and the camp shift.
ALTER TABLE applications ADD COLUMN grade INTEGER NOT NULL DEFAULT 1;
ALTER TABLE applications ADD COLUMN profile TEXT NOT NULL DEFAULT '';
ALTER TABLE applications ADD COLUMN shift_id BIGINT;
-- When the parent was reminded that granted meals end.
ALTER TABLE applications ADD COLUMN reminded_at TIMESTAMPTZ;

-- One active application of a kind and basis per child and campaign; a
-- camp voucher and granted meals or transport are active too.
DROP INDEX applications_one_active;
CREATE UNIQUE INDEX applications_one_active ON applications (city, kind, year, basis, child)
    WHERE status IN ('submitted', 'accepted', 'waiting', 'referral', 'voucher', 'granted');

-- A referral is a school's referral, a transfer's acceptance slip or a
-- camp's voucher; the seat it takes is of a profile or a shift.
ALTER TABLE referrals ADD COLUMN kind TEXT NOT NULL DEFAULT 'referral';
ALTER TABLE referrals ADD COLUMN profile TEXT NOT NULL DEFAULT '';
ALTER TABLE referrals ADD COLUMN shift_id BIGINT;

-- Summer camps of a city, which the department keeps, and their shifts.
CREATE TABLE camps (
    id      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    city    TEXT NOT NULL REFERENCES cities (slug),
    kind    TEXT NOT NULL, -- out_of_town or school
    name_kk TEXT NOT NULL,
    name_ru TEXT NOT NULL,
    name_en TEXT NOT NULL,
    address TEXT NOT NULL DEFAULT ''
);
CREATE INDEX camps_city ON camps (city);

CREATE TABLE camp_shifts (
    id      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    camp_id BIGINT NOT NULL REFERENCES camps (id),
    number  INTEGER NOT NULL,
    starts  DATE NOT NULL,
    ends    DATE NOT NULL,
    seats   INTEGER NOT NULL CHECK (seats >= 0),
    age_min INTEGER NOT NULL,
    age_max INTEGER NOT NULL,
    UNIQUE (camp_id, number)
);
ALTER TABLE applications ADD CONSTRAINT applications_shift FOREIGN KEY (shift_id) REFERENCES camp_shifts (id);
ALTER TABLE referrals ADD CONSTRAINT referrals_shift FOREIGN KEY (shift_id) REFERENCES camp_shifts (id);

-- +goose Down
ALTER TABLE referrals DROP CONSTRAINT referrals_shift;
ALTER TABLE applications DROP CONSTRAINT applications_shift;
DROP TABLE IF EXISTS camp_shifts;
DROP TABLE IF EXISTS camps;
ALTER TABLE referrals DROP COLUMN shift_id;
ALTER TABLE referrals DROP COLUMN profile;
ALTER TABLE referrals DROP COLUMN kind;
DROP INDEX applications_one_active;
CREATE UNIQUE INDEX applications_one_active ON applications (city, kind, year, basis, child)
    WHERE status IN ('submitted', 'accepted', 'waiting', 'referral');
ALTER TABLE applications DROP COLUMN reminded_at;
ALTER TABLE applications DROP COLUMN shift_id;
ALTER TABLE applications DROP COLUMN profile;
ALTER TABLE applications DROP COLUMN grade;
