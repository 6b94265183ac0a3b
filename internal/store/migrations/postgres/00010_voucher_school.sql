-- +goose Up
-- A camp's voucher is a referral of no school: its school may be empty.
ALTER TABLE referrals ALTER COLUMN school_id DROP NOT NULL;

-- +goose Down
DELETE FROM referrals WHERE school_id IS NULL;
ALTER TABLE referrals ALTER COLUMN school_id SET NOT NULL;
