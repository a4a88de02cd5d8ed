"""The catalogue's revision: a number the database raises on every change a page shows.

Every table of the apps a storefront page is built from (products, prices and
stock, ingredients, categories, the guide, the site) carries a trigger that
raises `pagecache_revision.number` in the same transaction as the change.
Nothing in Python has to remember to invalidate anything: an order's stock
allocation (a conditional UPDATE), a stocktake, the dashboard, the admin, a
data import or a raw SQL statement all raise it alike, and a page stored under
an older number is never served again.

On PostgreSQL the trigger is a deferred constraint trigger: it runs at
commit, so the revision row is locked only for the instant of the commit and
never while a transaction still waits for other row locks (no deadlocks with
checkouts holding stock rows); TRUNCATE has a statement trigger of its own.
SQLite runs one writer at a time, so plain row triggers do.

The number never goes back: when its row is missing (a flushed database), the
next change writes it starting from the clock in milliseconds, above any
number a running process may still hold pages under.
"""

from django.apps import apps
from django.db import connections

from shop.pagecache.models import Revision

WATCHED_APPS = ("catalogue", "partner", "blog", "sites")
TABLE = Revision._meta.db_table
TRIGGER = "pagecache_bump"


def current(using: str = "default") -> int | None:
    """The revision now; read before the data a page is built from.

    None when the row is missing (a database just flushed): then no page is
    stored or served until a change writes the row again.
    """
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT number FROM {TABLE} WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else None


def watched_tables() -> list[str]:
    tables = set()
    for label in WATCHED_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if model._meta.managed and not model._meta.proxy:
                tables.add(model._meta.db_table)
    return sorted(tables)


def install_triggers(using: str = "default", **kwargs) -> None:
    """Create the triggers that are missing; safe to run any number of times."""
    connection = connections[using]
    existing = set(connection.introspection.table_names())
    tables = [table for table in watched_tables() if table in existing]
    if TABLE not in existing:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _install_postgresql(cursor, tables)
        elif connection.vendor == "sqlite":
            _install_sqlite(cursor, tables)
        else:
            raise NotImplementedError(f"page cache triggers for {connection.vendor}")


def _install_postgresql(cursor, tables: list[str]) -> None:
    # Schema-qualified: a session with another search_path writes it too.
    cursor.execute("SELECT current_schema()")
    schema = cursor.fetchone()[0]
    target = f'"{schema}"."{TABLE}"'
    cursor.execute(
        f"""
        CREATE OR REPLACE FUNCTION "{schema}".{TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO {target} (id, number)
            VALUES (1, floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint)
            ON CONFLICT (id) DO UPDATE SET number = {target}.number + 1;
            RETURN NULL;
        END $$
        """
    )
    cursor.execute(
        "SELECT tgrelid::regclass::text, tgname FROM pg_trigger WHERE tgname IN (%s, %s)",
        [TRIGGER, f"{TRIGGER}_truncate"],
    )
    have = {(row[0].split(".")[-1].strip('"'), row[1]) for row in cursor.fetchall()}
    for table in tables:
        if (table, TRIGGER) not in have:
            cursor.execute(
                f"CREATE CONSTRAINT TRIGGER {TRIGGER} "
                f'AFTER INSERT OR UPDATE OR DELETE ON "{table}" '
                "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
                f'EXECUTE FUNCTION "{schema}".{TRIGGER}()'
            )
        if (table, f"{TRIGGER}_truncate") not in have:
            cursor.execute(
                f'CREATE TRIGGER {TRIGGER}_truncate AFTER TRUNCATE ON "{table}" '
                f'FOR EACH STATEMENT EXECUTE FUNCTION "{schema}".{TRIGGER}()'
            )


def _install_sqlite(cursor, tables: list[str]) -> None:
    for table in tables:
        for event in ("INSERT", "UPDATE", "DELETE"):
            cursor.execute(
                f'CREATE TRIGGER IF NOT EXISTS "{TRIGGER}_{table}_{event.lower()}" '
                f'AFTER {event} ON "{table}" BEGIN '
                f"INSERT INTO {TABLE} (id, number) "
                f"VALUES (1, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) "
                f"ON CONFLICT (id) DO UPDATE SET number = number + 1; END"
            )


def triggered_tables(using: str = "default") -> set[str]:
    """The tables that raise the revision."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname = %s", [TRIGGER]
            )
            return {row[0].split(".")[-1].strip('"') for row in cursor.fetchall()}
        cursor.execute(
            "SELECT DISTINCT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
            [f"{TRIGGER}_%"],
        )
        return {row[0] for row in cursor.fetchall()}
