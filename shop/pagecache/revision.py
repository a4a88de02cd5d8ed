"""Revisions: numbers the database raises on every change a stored page shows.

Every table of the apps storefront pages are built from (products, prices and
stock, ingredients, categories, the guide, the site) carries a trigger that
raises one or more rows of `pagecache_revision`, each a *scope*, in the same
transaction as the change. Nothing in Python has to remember to invalidate
anything: an order's stock allocation (a conditional UPDATE), a stocktake,
the dashboard, the admin, a data import or a raw SQL statement all raise them
alike, and a page stored under older numbers is never served again.

The scopes a change raises:
- always the table's own scope (its name): pages that read the table as a
  whole (the home page, the listing, the ingredient and guide pages);
- a catalogue row that belongs to a product (the product itself, its images,
  attributes, INCI lines) also raises `family:<parent id>`, so a product page
  depends on its own family only;
- a stock record also raises `stock:<product id>`: a product page keeps each
  fragrance's price and availability in a fragment of its own (`pages.py`), so
  an order for one fragrance re-renders that fragment, not the page;
- TRUNCATE, or a row whose product cannot be found, raises `all`, which every
  page depends on.

On PostgreSQL the trigger is a deferred constraint trigger: it runs at
commit, and takes a transaction-level advisory lock first, so revision rows are
locked only for the instant of the commit, always by one committing writer at a
time (no deadlocks between scopes, none with checkouts holding stock rows).
SQLite runs one writer at a time, so plain row triggers do.

A number never goes back: a missing row (a flushed database) is written from
the clock in milliseconds, above any number a running process may still hold
pages under.
"""

from django.apps import apps
from django.db import connections
from oscar.core.loading import get_model

from shop.pagecache.models import Revision

WATCHED_APPS = ("catalogue", "partner", "blog", "sites")
TABLE = Revision._meta.db_table
TRIGGER = "pagecache_bump"
ALL = "all"
# Any constant: the advisory lock that orders committing writers (PostgreSQL).
ADVISORY_LOCK = 7_405_113


def numbers(using: str = "default") -> dict[str, int]:
    """Every scope's number now, in one query; read before the data a page is built from."""
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT scope, number FROM {TABLE}")
        return dict(cursor.fetchall())


def family_scope(product) -> str:
    return f"family:{product.parent_id or product.pk}"


def stock_scope(product_id: int) -> str:
    return f"stock:{product_id}"


def _product_model():
    return get_model("catalogue", "Product")


def kind(model) -> str:
    """How a table's trigger finds its scopes: table, product, product_ref or stock."""
    product = _product_model()
    if model is product:
        return "product"
    if model is get_model("partner", "StockRecord"):
        return "stock"
    if model._meta.app_label == "catalogue":
        for field in model._meta.concrete_fields:
            if field.column == "product_id" and field.related_model is product:
                return "product_ref"
    return "table"


def watched_models() -> list:
    found = []
    for label in WATCHED_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if model._meta.managed and not model._meta.proxy:
                found.append(model)
    return sorted(found, key=lambda model: model._meta.db_table)


def watched_tables() -> list[str]:
    return [model._meta.db_table for model in watched_models()]


def install_triggers(using: str = "default") -> None:
    """Create or replace the triggers of every watched table that exists."""
    connection = connections[using]
    existing = set(connection.introspection.table_names())
    models = [model for model in watched_models() if model._meta.db_table in existing]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _install_postgresql(cursor, models)
        elif connection.vendor == "sqlite":
            _install_sqlite(cursor, models)
        else:
            raise NotImplementedError(f"page cache triggers for {connection.vendor}")


def _install_postgresql(cursor, models) -> None:
    # Schema-qualified: a session with another search_path writes it too.
    cursor.execute("SELECT current_schema()")
    schema = cursor.fetchone()[0]
    target = f'"{schema}"."{TABLE}"'
    products = f'"{schema}"."{_product_model()._meta.db_table}"'
    cursor.execute(
        f"""
        CREATE OR REPLACE FUNCTION "{schema}".{TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            kind text := TG_ARGV[0];
            scopes text[] := ARRAY[TG_TABLE_NAME::text];
            rows jsonb[];
            r jsonb;
            family text;
        BEGIN
            PERFORM pg_advisory_xact_lock({ADVISORY_LOCK});
            IF TG_LEVEL = 'STATEMENT' THEN
                scopes := scopes || '{ALL}'::text;
            ELSE
                IF TG_OP = 'INSERT' THEN rows := ARRAY[to_jsonb(NEW)];
                ELSIF TG_OP = 'DELETE' THEN rows := ARRAY[to_jsonb(OLD)];
                ELSE rows := ARRAY[to_jsonb(OLD), to_jsonb(NEW)];
                END IF;
                FOREACH r IN ARRAY rows LOOP
                    IF kind = 'product' THEN
                        scopes := scopes || ('family:' || COALESCE(r->>'parent_id', r->>'id'));
                    ELSIF kind = 'product_ref' THEN
                        SELECT 'family:' || COALESCE(p.parent_id, p.id) INTO family
                        FROM {products} p WHERE p.id = (r->>'product_id')::integer;
                        scopes := scopes || COALESCE(family, '{ALL}');
                    ELSIF kind = 'stock' THEN
                        scopes := scopes || COALESCE('stock:' || (r->>'product_id'), '{ALL}');
                    END IF;
                END LOOP;
            END IF;
            INSERT INTO {target} (scope, number)
            SELECT s, floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint
            FROM (SELECT DISTINCT unnest(scopes) AS s) AS d ORDER BY s
            ON CONFLICT (scope) DO UPDATE SET number = {target}.number + 1;
            RETURN NULL;
        END $$
        """
    )
    for model in models:
        table = model._meta.db_table
        cursor.execute(f'DROP TRIGGER IF EXISTS {TRIGGER} ON "{table}"')
        cursor.execute(f'DROP TRIGGER IF EXISTS {TRIGGER}_truncate ON "{table}"')
        cursor.execute(
            f"CREATE CONSTRAINT TRIGGER {TRIGGER} "
            f'AFTER INSERT OR UPDATE OR DELETE ON "{table}" '
            "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
            f"EXECUTE FUNCTION \"{schema}\".{TRIGGER}('{kind(model)}')"
        )
        cursor.execute(
            f'CREATE TRIGGER {TRIGGER}_truncate AFTER TRUNCATE ON "{table}" '
            f"FOR EACH STATEMENT EXECUTE FUNCTION \"{schema}\".{TRIGGER}('table')"
        )


def _sqlite_scopes(model, row: str) -> list[str]:
    """SQL expressions of the scopes a change to `row` (NEW or OLD) raises."""
    products = _product_model()._meta.db_table
    match kind(model):
        case "product":
            return [f"'family:' || COALESCE({row}.parent_id, {row}.id)"]
        case "product_ref":
            return [
                f"COALESCE((SELECT 'family:' || COALESCE(p.parent_id, p.id) FROM \"{products}\" p "
                f"WHERE p.id = {row}.product_id), '{ALL}')"
            ]
        case "stock":
            return [f"COALESCE('stock:' || {row}.product_id, '{ALL}')"]
    return []


def _install_sqlite(cursor, models) -> None:
    clock = "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)"
    for model in models:
        table = model._meta.db_table
        for event, rows in (("INSERT", ["NEW"]), ("UPDATE", ["OLD", "NEW"]), ("DELETE", ["OLD"])):
            scopes = [f"'{table}'"] + [s for row in rows for s in _sqlite_scopes(model, row)]
            union = " UNION ".join(f"SELECT {scope} AS s" for scope in scopes)
            name = f"{TRIGGER}_{table}_{event.lower()}"
            cursor.execute(f'DROP TRIGGER IF EXISTS "{name}"')
            cursor.execute(
                f'CREATE TRIGGER "{name}" AFTER {event} ON "{table}" BEGIN '
                f"INSERT INTO {TABLE} (scope, number) SELECT s, {clock} FROM ({union}) WHERE true "
                f"ON CONFLICT (scope) DO UPDATE SET number = number + 1; END"
            )


def triggered_tables(using: str = "default") -> set[str]:
    """The tables that raise revisions."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname = %s", [TRIGGER]
            )
            return {row[0].split(".")[-1].strip('"') for row in cursor.fetchall()}
        # One trigger per event: a table is watched when it has all three, each
        # raising the table's own scope (a renamed table keeps triggers that name
        # its old one: they need installing again).
        cursor.execute(
            "SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
            [f"{TRIGGER}_%"],
        )
        events: dict[str, int] = {}
        for table, sql in cursor.fetchall():
            if f"SELECT '{table}' AS s" in sql:
                events[table] = events.get(table, 0) + 1
        return {table for table, count in events.items() if count == 3}
