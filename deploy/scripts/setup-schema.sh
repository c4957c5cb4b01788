#!/bin/sh
# Create Temporal's two PostgreSQL databases and bring their schemas up to the server's version.
# Runs once per `docker compose up` in the temporal-admin-tools image, before the server starts.
# The same steps as the official images' setup: `create` and `setup-schema -v 0.0` leave an existing
# database as it is, and `update-schema` applies only the versions not applied yet.
# scripts/cluster (npm run test:cluster) runs this same script outside the image, with the tool, the
# schema folder and the password given by TEMPORAL_SQL_TOOL, TEMPORAL_SCHEMA_DIR and POSTGRES_PWD.
set -eu

: "${POSTGRES_SEEDS:=postgresql}"
: "${DB_PORT:=5432}"
: "${POSTGRES_USER:=temporal}"
: "${POSTGRES_PWD:?POSTGRES_PWD must be set}"
export SQL_PASSWORD="$POSTGRES_PWD"

if command -v nc >/dev/null 2>&1; then
  echo "waiting for PostgreSQL at $POSTGRES_SEEDS:$DB_PORT"
  until nc -z "$POSTGRES_SEEDS" "$DB_PORT"; do sleep 1; done
fi

SCHEMA="${TEMPORAL_SCHEMA_DIR:-/etc/temporal/schema/postgresql/v12}"
SQL_TOOL="${TEMPORAL_SQL_TOOL:-temporal-sql-tool}"
sql() {
  "$SQL_TOOL" --plugin postgres12 --ep "$POSTGRES_SEEDS" -p "$DB_PORT" -u "$POSTGRES_USER" "$@"
}
for pair in temporal:temporal temporal_visibility:visibility; do
  db=${pair%%:*}
  dir=${pair##*:}
  sql --db "$db" create
  sql --db "$db" setup-schema -v 0.0
  sql --db "$db" update-schema -d "$SCHEMA/$dir/versioned"
done
echo "PostgreSQL schemas are up to date"
