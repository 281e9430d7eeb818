"""A query's SQL built by the ORM once per process and database, then run again with other values.

Some pages run the same query on every view with one value changed (the seller's id): building it (the
expressions resolved, joins and aliases set up, the SQL compiled) cost more than PostgreSQL took to answer it.
`prepared(key, build, using)` compiles `build(MARK)` once, remembers where MARK stands in its parameters and
gives the SQL with the caller's value there. The SQL is the ORM's, for the database in use (PostgreSQL or
SQLite); MARK is a number no row holds, so no other parameter is taken for it.
"""
from django.db import connections

MARK = -7_304_919_373_551
_compiled: dict = {}


def prepared(key, build, value, using: str = "default") -> tuple[str, list]:
    """(sql, params) of the queryset `build(MARK)` with `value` wherever MARK was, compiled once per key and database."""
    connection = connections[using]
    cache_key = (key, using, connection.vendor)
    entry = _compiled.get(cache_key)
    if entry is None:
        sql, params = build(MARK).query.get_compiler(using=using).as_sql()
        entry = _compiled[cache_key] = (sql, tuple(params), tuple(i for i, p in enumerate(params) if p == MARK))
    sql, params, slots = entry
    params = list(params)
    for i in slots:
        params[i] = value
    return sql, params


def fetch(sql: str, params, using: str = "default") -> list[tuple]:
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
