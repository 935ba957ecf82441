-- `tend vdir sync`: the version of each file both sides last agreed on, when it differs from the
-- one tend last wrote (`text`). A change tend writes out is not yet agreed: vdirsyncer may bring
-- the phone's edit of the same card over it before the phone ever saw tend's, and the next sync
-- must then merge the three (tend's, the phone's, the last agreed) rather than take the phone's
-- as the only change. NULL: the same as `text`.
ALTER TABLE vdir_state ADD COLUMN base TEXT;
