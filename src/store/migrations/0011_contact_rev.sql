-- A contact's revision: one more each time anything its card shows changes (its row, its tags,
-- fields or kept card lines), kept by triggers so no write path can forget it. `tend vdir sync`
-- compares it with the revision it last wrote to tell a changed contact from an unchanged one
-- without rendering either; updated_at cannot, since two changes can share a second.
-- Monotonic: a restore that writes an older revision back still moves it on.
ALTER TABLE contacts ADD COLUMN rev INTEGER NOT NULL DEFAULT 0;

CREATE TRIGGER contacts_rev AFTER UPDATE ON contacts WHEN NEW.rev <= OLD.rev
BEGIN
    UPDATE contacts SET rev = OLD.rev + 1 WHERE id = NEW.id;
END;

CREATE TRIGGER contact_tags_rev_insert AFTER INSERT ON contact_tags
BEGIN
    UPDATE contacts SET rev = rev + 1 WHERE id = NEW.contact_id;
END;
CREATE TRIGGER contact_tags_rev_delete AFTER DELETE ON contact_tags
BEGIN
    UPDATE contacts SET rev = rev + 1 WHERE id = OLD.contact_id;
END;

CREATE TRIGGER contact_fields_rev_insert AFTER INSERT ON contact_fields
BEGIN
    UPDATE contacts SET rev = rev + 1 WHERE id = NEW.contact_id;
END;
CREATE TRIGGER contact_fields_rev_update AFTER UPDATE ON contact_fields
BEGIN
    UPDATE contacts SET rev = rev + 1 WHERE id = NEW.contact_id;
END;
CREATE TRIGGER contact_fields_rev_delete AFTER DELETE ON contact_fields
BEGIN
    UPDATE contacts SET rev = rev + 1 WHERE id = OLD.contact_id;
END;

CREATE TRIGGER contact_extras_rev_insert AFTER INSERT ON contact_extras
BEGIN
    UPDATE contacts SET rev = rev + 1 WHERE id = NEW.contact_id;
END;
CREATE TRIGGER contact_extras_rev_delete AFTER DELETE ON contact_extras
BEGIN
    UPDATE contacts SET rev = rev + 1 WHERE id = OLD.contact_id;
END;
