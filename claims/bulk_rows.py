"""One INSERT for many plain rows: the sweep writes thousands of events and notifications per batch.

On PostgreSQL the rows travel as one array per column and are expanded by `unnest`, which spares the
ORM's per-object work (the bulk of a catch-up's time); elsewhere it is an ordinary bulk_create.
"""
from django.db import connection


def insert_rows(model, rows: list[dict]) -> list[int]:
    """Insert rows given by attname (missing fields take their default) and return the new ids."""
    if not rows:
        return []
    if connection.vendor != "postgresql":
        return [obj.pk for obj in model.objects.bulk_create([model(**row) for row in rows])]
    fields = [field for field in model._meta.concrete_fields if not field.primary_key and not field.generated]
    columns, arrays, params = [], [], []
    for field in fields:
        defaults = field.get_default()
        columns.append(connection.ops.quote_name(field.column))
        arrays.append(f"%s::{field.db_type(connection)}[]")
        params.append([field.get_db_prep_save(row.get(field.attname, defaults), connection) for row in rows])
    table = connection.ops.quote_name(model._meta.db_table)
    pk = connection.ops.quote_name(model._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) SELECT * FROM unnest({', '.join(arrays)}) RETURNING {pk}",
            params,
        )
        return [row[0] for row in cursor.fetchall()]
