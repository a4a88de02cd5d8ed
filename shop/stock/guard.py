"""The database refuses stock levels written outside the stock services.

A variant's `num_in_stock` and `num_allocated` add up with its movements only
if every change goes through shop/stock/services.py. A trigger on the stock
record table refuses an UPDATE that changes either number, and an INSERT that
starts with stock, unless the services' flag is on: the Django admin, Oscar's
own `StockRecord.allocate()`, a form saving a stale copy of the row, a data
import or raw SQL are refused alike (an IntegrityError), whoever forgets.

The flag is scoped to the service's own statements, in its transaction:
- PostgreSQL: `set_config('shop.stock_write', 'on', true)`, transaction-local,
  switched off again when the service is done (a rolled-back transaction or
  savepoint takes it back by itself);
- SQLite has no session variables: the trigger asks a function the shop
  registers on each of its connections, `shop_stock_write()`, which reads a
  flag on that connection. Any other client (the sqlite3 shell) lacks the
  function, so its writes are refused too.

The triggers are installed after every `migrate` (SQLite drops a table's
triggers when a migration rebuilds it).
"""

from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.signals import connection_created
from oscar.core.loading import get_model
from psycopg.pq import TransactionStatus

TRIGGER = "stock_level_guard"
SETTING = "shop.stock_write"
MESSAGE = "stock levels change only through the stock services (shop/stock/services.py)"

StockRecord = get_model("partner", "StockRecord")


@contextmanager
def stock_levels_writable(using: str = DEFAULT_DB_ALIAS):
    """Let the statements inside write stock levels: for the stock services only."""
    connection = connections[using]
    if not connection.in_atomic_block:
        # A transaction-local setting needs a transaction to live in.
        with transaction.atomic(using=using), stock_levels_writable(using):
            yield
        return
    # Nested (a basket's allocations, each a service): switched once, outermost.
    depth = getattr(connection, "shop_stock_write", 0)
    if not depth:
        _switch(connection, on=True)
    connection.shop_stock_write = depth + 1
    try:
        yield
    finally:
        connection.shop_stock_write = depth
        if not depth and not _transaction_failed(connection):
            _switch(connection, on=False)


def _switch(connection, *, on: bool) -> None:
    # SQLite's trigger reads `shop_stock_write` itself (register_sqlite_function).
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, %s, true)", [SETTING, "on" if on else ""])


def _transaction_failed(connection) -> bool:
    # After an error inside the block, PostgreSQL refuses every statement until
    # the transaction or a savepoint rolls back, and that takes the flag with it.
    if connection.vendor != "postgresql":
        return False
    return connection.connection.info.transaction_status == TransactionStatus.INERROR


def register_sqlite_function(sender, connection, **kwargs) -> None:
    """Give each SQLite connection of the shop the function the trigger asks."""
    connection.shop_stock_write = 0  # how many stock services are writing now
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "shop_stock_write", 0, lambda: int(connection.shop_stock_write > 0)
        )


def install_trigger(using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    """(Re)create the guard; safe to run any number of times."""
    connection = connections[using]
    table = StockRecord._meta.db_table
    if table not in connection.introspection.table_names():
        return
    install = {"postgresql": _install_postgresql, "sqlite": _install_sqlite}.get(connection.vendor)
    if install is None:
        raise NotImplementedError(f"stock level guard for {connection.vendor}")
    with connection.cursor() as cursor:
        install(cursor, table)


def _install_postgresql(cursor, table: str) -> None:
    cursor.execute("SELECT current_schema()")
    schema = cursor.fetchone()[0]
    cursor.execute(
        f"""
        CREATE OR REPLACE FUNCTION "{schema}".{TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF coalesce(current_setting('{SETTING}', true), '') <> 'on' AND (
                (TG_OP = 'INSERT' AND (coalesce(NEW.num_in_stock, 0) <> 0
                                       OR coalesce(NEW.num_allocated, 0) <> 0))
                OR (TG_OP = 'UPDATE' AND (NEW.num_in_stock IS DISTINCT FROM OLD.num_in_stock
                                          OR NEW.num_allocated IS DISTINCT FROM OLD.num_allocated))
            ) THEN
                RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
            END IF;
            RETURN NEW;
        END $$
        """
    )
    cursor.execute(f'DROP TRIGGER IF EXISTS {TRIGGER} ON "{schema}"."{table}"')
    cursor.execute(
        f'CREATE TRIGGER {TRIGGER} BEFORE INSERT OR UPDATE ON "{schema}"."{table}" '
        f'FOR EACH ROW EXECUTE FUNCTION "{schema}".{TRIGGER}()'
    )


def _install_sqlite(cursor, table: str) -> None:
    refuse = f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
    cursor.execute(f'DROP TRIGGER IF EXISTS "{TRIGGER}_insert"')
    cursor.execute(
        f'CREATE TRIGGER "{TRIGGER}_insert" BEFORE INSERT ON "{table}" '
        "WHEN (coalesce(NEW.num_in_stock, 0) <> 0 OR coalesce(NEW.num_allocated, 0) <> 0) "
        f"AND shop_stock_write() IS NOT 1 {refuse}"
    )
    cursor.execute(f'DROP TRIGGER IF EXISTS "{TRIGGER}_update"')
    cursor.execute(
        f'CREATE TRIGGER "{TRIGGER}_update" BEFORE UPDATE OF num_in_stock, num_allocated '
        f'ON "{table}" WHEN (NEW.num_in_stock IS NOT OLD.num_in_stock '
        "OR NEW.num_allocated IS NOT OLD.num_allocated) "
        f"AND shop_stock_write() IS NOT 1 {refuse}"
    )


def installed(using: str = DEFAULT_DB_ALIAS) -> bool:
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT count(*) FROM pg_trigger WHERE tgname = %s AND tgrelid = %s::regclass",
                [TRIGGER, StockRecord._meta.db_table],
            )
            return cursor.fetchone()[0] == 1
        cursor.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
            [f"{TRIGGER}_%"],
        )
        return cursor.fetchone()[0] == 2


def connect() -> None:
    connection_created.connect(register_sqlite_function, dispatch_uid="stock-level-guard")
