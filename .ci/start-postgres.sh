#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster on 127.0.0.1:${PGPORT:-55432} and creates the
# database `onconav_test`. Prints the URL to use as ONCONAV_TEST_DATABASE_URL.
set -euo pipefail
PGPORT="${PGPORT:-55432}"
PGBIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
PGDATA="$(mktemp -d /tmp/onconav-pg.XXXXXX)"
chown postgres:postgres "$PGDATA"
su postgres -s /bin/sh -c "$PGBIN/initdb -D $PGDATA -A trust -U postgres --no-sync" >/dev/null
su postgres -s /bin/sh -c "$PGBIN/pg_ctl -D $PGDATA -l $PGDATA/server.log -w -o \"-p $PGPORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=1000\" start" >/dev/null
su postgres -s /bin/sh -c "$PGBIN/createdb -h 127.0.0.1 -p $PGPORT -U postgres onconav_test"
echo "postgres://postgres@127.0.0.1:$PGPORT/onconav_test"
