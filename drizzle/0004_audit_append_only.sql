-- The audit trail is append-only: entries are never changed once written (deleting an agreement still
-- removes its trail through the foreign key's ON DELETE CASCADE).
CREATE OR REPLACE FUNCTION audit_events_refuse_update() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only: entries cannot be changed';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON "audit_events" FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_update();
