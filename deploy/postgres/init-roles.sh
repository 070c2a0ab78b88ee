#!/usr/bin/env bash
# The database's provisioning, run by a superuser: by PostgreSQL's first start in compose
# (docker-entrypoint-initdb.d), by the local stack and the tests (deploy/local/lib.sh), and once by
# the operator in production (deploy/k8s/README.md). Idempotent.
#
# - One login role and one schema per service and for the portal, each role reaching only its
#   own schema (its search_path).
# - Each service's audit log belongs to a separate role, `<service>_audit` (no login), which
#   also owns the service's schema: a schema's owner may drop anything in it, and the service
#   role, which creates its own tables there, must not be able to drop, alter, truncate or
#   disable the triggers of its audit log. It may only INSERT and SELECT. The table is created
#   by the service's own migration (RuntimeMigrations.auditLog); an event trigger hands it to the
#   audit role the moment that migration creates its last trigger, so the migration needs no
#   privilege and no second step. Tests: Tests/RuntimeTests/AuditLogOwnerTests.swift.
#
# Passwords come from the environment (deploy/dev-secrets.sh locally, the secret store in
# production): LAYAR_DB_PASSWORD_<ROLE>.
set -euo pipefail
psql_super() {
  PGOPTIONS='-c client_min_messages=warning' psql -v ON_ERROR_STOP=1 -q -o /dev/null \
    --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" "$@"
}

psql_super <<'SQL'
CREATE SCHEMA IF NOT EXISTS layar_admin;
REVOKE ALL ON SCHEMA layar_admin FROM PUBLIC;

-- Gives `service`.audit_log (and its trigger function) to `service`_audit and leaves the
-- service role only INSERT and SELECT on it. A no-op while the log or a role is missing (a
-- test's scratch schema has no audit role).
CREATE OR REPLACE FUNCTION layar_admin.hand_over_audit_log(service text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
    audit_role text := service || '_audit';
BEGIN
    IF to_regclass(format('%I.audit_log', service)) IS NULL
        OR NOT EXISTS (SELECT FROM pg_roles WHERE rolname = audit_role)
        OR NOT EXISTS (SELECT FROM pg_roles WHERE rolname = service) THEN
        RETURN;
    END IF;
    EXECUTE format('ALTER TABLE %I.audit_log OWNER TO %I', service, audit_role);
    EXECUTE format('ALTER FUNCTION %I.audit_log_is_append_only() OWNER TO %I', service, audit_role);
    EXECUTE format('GRANT SELECT, INSERT ON %I.audit_log TO %I', service, service);
    -- SELECT on the sequence lets pg_dump, run as the service role, read its position.
    EXECUTE format('GRANT USAGE, SELECT ON SEQUENCE %I.audit_log_id_seq TO %I', service, service);
END $$;
REVOKE ALL ON FUNCTION layar_admin.hand_over_audit_log(text) FROM PUBLIC;

-- Fires at the end of every CREATE TRIGGER: the audit log migration creates
-- `audit_log_no_truncate` last.
CREATE OR REPLACE FUNCTION layar_admin.audit_log_created() RETURNS event_trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
    command record;
    service text;
BEGIN
    FOR command IN SELECT * FROM pg_event_trigger_ddl_commands() LOOP
        SELECT n.nspname INTO service
        FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE t.oid = command.objid AND t.tgname = 'audit_log_no_truncate' AND c.relname = 'audit_log';
        IF service IS NOT NULL THEN
            PERFORM layar_admin.hand_over_audit_log(service);
        END IF;
    END LOOP;
END $$;
REVOKE ALL ON FUNCTION layar_admin.audit_log_created() FROM PUBLIC;
DROP EVENT TRIGGER IF EXISTS layar_audit_log_handover;
CREATE EVENT TRIGGER layar_audit_log_handover ON ddl_command_end WHEN TAG IN ('CREATE TRIGGER')
    EXECUTE FUNCTION layar_admin.audit_log_created();
SQL

for role in intake verification assignment notification survey portal; do
  variable="LAYAR_DB_PASSWORD_${role^^}"
  password=${!variable:?"$variable is not set"}
  psql_super -v role="$role" -v password="$password" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'role', :'password')
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role') \gexec
SELECT format('CREATE SCHEMA IF NOT EXISTS %I AUTHORIZATION %I', :'role', :'role') \gexec
SELECT format('ALTER ROLE %I SET search_path = %I', :'role', :'role') \gexec
SELECT format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), :'role') \gexec
SQL
  [ "$role" = portal ] && continue  # the portal keeps no audit log of its own
  psql_super -v role="$role" <<'SQL'
SELECT format('CREATE ROLE %I NOLOGIN', :'role' || '_audit')
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role' || '_audit') \gexec
SELECT format('ALTER SCHEMA %I OWNER TO %I', :'role', :'role' || '_audit') \gexec
SELECT format('GRANT USAGE, CREATE ON SCHEMA %I TO %I', :'role', :'role') \gexec
-- A database provisioned before the audit role existed: its log changes hands now.
SELECT layar_admin.hand_over_audit_log(:'role');
SQL
done
psql_super <<SQL
REVOKE ALL ON SCHEMA public FROM PUBLIC;
REVOKE ALL ON DATABASE "$POSTGRES_DB" FROM PUBLIC;
SQL
