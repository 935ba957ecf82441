-- How often to be in touch with a contact (`tend cadence WHO 2w`): a repeat code ("2w", "3m"),
-- "off" for none whatever the defaults in config.toml say, or NULL for those defaults.
ALTER TABLE contacts ADD COLUMN cadence TEXT;
-- Today reads the contacts with a cadence of their own through this (and those a default
-- applies to through contacts_active and contact_tags_tag), not by reading every contact.
CREATE INDEX contacts_cadence ON contacts(id) WHERE cadence IS NOT NULL AND archived_at IS NULL;
