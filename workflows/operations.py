"""Migration operations that make an event table immutable in PostgreSQL.

``workflows`` migration 0001 creates the one trigger function; every app's migration that creates an
event table adds ``ImmutableEvents("<table>")`` (and depends on ``("workflows", "0001_initial")``).
"""

from django.db import migrations

FUNCTION = "workflows_event_immutable"

CREATE_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger AS $$
BEGIN
    -- Deleting an account sets its foreign key to NULL; the name kept beside it still says who acted.
    IF TG_OP = 'UPDATE' AND OLD.actor_id IS NOT NULL AND NEW.actor_id IS NULL
       AND (to_jsonb(NEW) - 'actor_id') = (to_jsonb(OLD) - 'actor_id') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'workflow events are immutable (% on %)', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
"""
DROP_FUNCTION = f"DROP FUNCTION IF EXISTS {FUNCTION}();"


def ImmutableEvents(table: str) -> migrations.RunSQL:
    """Refuse UPDATE and DELETE on ``table`` (the actor's account may still be deleted)."""
    return migrations.RunSQL(
        f"DROP TRIGGER IF EXISTS {table}_immutable ON {table};"
        f"CREATE TRIGGER {table}_immutable BEFORE UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {FUNCTION}();",
        f"DROP TRIGGER IF EXISTS {table}_immutable ON {table};",
    )


def ActorNamesBackfill(table: str) -> migrations.RunSQL:
    """Fill ``actor_name`` of the rows written before it existed (the trigger is paused for this one UPDATE)."""
    return migrations.RunSQL(
        f"ALTER TABLE {table} DISABLE TRIGGER USER;"
        f"UPDATE {table} AS e SET actor_name = CASE WHEN u.full_name = '' THEN u.email "
        f"ELSE u.full_name || ' <' || u.email || '>' END "
        f"FROM applicants_user AS u WHERE u.id = e.actor_id AND e.actor_name = '';"
        f"ALTER TABLE {table} ENABLE TRIGGER USER;",
        migrations.RunSQL.noop,
    )
