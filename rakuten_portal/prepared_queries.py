"""Querysets compiled to SQL once, then run with new parameters: for the few queries a page runs on every view.

Building a queryset's SQL (joins, columns, ordering, WHERE) costs more Python than reading its rows, and for a
page's fixed queries the text is the same on every view, only the ids differ. `Prepared` builds the queryset
once per database with placeholder ids, keeps the SQL, the positions of those ids among its parameters, the
column converters and the model loaders the ORM would use, and afterwards runs the SQL with the given ids
through the connection's cursor (so query logging, execute wrappers and transactions see it as usual) and
turns the rows into instances exactly as `QuerySet.__iter__` does (select_related included).

    CLAIM_EVENTS = Prepared(lambda claim_id: ClaimEvent.objects.filter(claim_id=claim_id).order_by("at", "id"))
    events = CLAIM_EVENTS(claim_id=claim.pk)

Only plain model querysets (no values(), annotations, prefetch or known related objects); the arguments are
ids (integers). The placeholders are integers no table here reaches; compiling checks each appears among the
parameters and no other parameter equals one.
"""
import inspect
from itertools import count
from weakref import ref as weak_ref

from django.db import connections
from django.db.models.query import _get_from_db, get_related_populators

_FIRST_PLACEHOLDER = 9_187_000_000_000_000_001


class _Compiled:
    """What the three kinds share: the builder's id names, placeholders for them, where they land among the
    SQL's parameters, the compiled form kept per database (and per `variant`, for a builder that reads a module
    value such as a cap), and the parameters of a run."""

    def __init__(self, build):
        self.build = build
        self.names = tuple(inspect.signature(build).parameters)
        self._compiled = {}  # (alias, vendor, variant) -> what a run needs

    def _placeholders(self) -> dict:
        return dict(zip(self.names, count(_FIRST_PLACEHOLDER)))

    def _slots(self, params, placeholders) -> list:
        by_value = {value: name for name, value in placeholders.items()}
        slots = [(index, by_value[param]) for index, param in enumerate(params)
                 if isinstance(param, int) and param in by_value]
        if {name for _, name in slots} != set(self.names):
            raise ValueError("a placeholder does not reach the SQL's parameters")
        return slots

    def _prepare(self, using, variant, ids) -> tuple:
        """(connection, compiled, params of this run)."""
        connection = connections[using]
        key = (connection.alias, connection.vendor, variant)
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compiled[key] = self._compile(connection)
        params = compiled["params"].copy()
        for index, name in compiled["slots"]:
            params[index] = int(ids[name])
        return connection, compiled, params


class PreparedSQL(_Compiled):
    """Any queryset's SQL (values, annotations, slices included) compiled once, with the given ids put in its
    parameters: for a query written around it (a subquery's text) or run on a cursor.

        FIRST = PreparedSQL(lambda seller_id: Claim.objects.filter(seller_id=seller_id).values_list("id")[:10])
        sql, params = FIRST(seller_id=7)
    """

    def _compile(self, connection):
        placeholders = self._placeholders()
        sql, params = self.build(**placeholders).query.get_compiler(connection=connection).as_sql()
        return {"sql": sql, "params": list(params), "slots": self._slots(params, placeholders)}

    def __call__(self, using: str = "default", variant=None, **ids) -> tuple[str, list]:
        _, compiled, params = self._prepare(using, variant, ids)
        return compiled["sql"], params


class Prepared(_Compiled):
    def _compile(self, connection):
        placeholders = self._placeholders()
        queryset = self.build(**placeholders)
        if queryset.query.annotation_select or queryset._prefetch_related_lookups or queryset._known_related_objects:
            raise ValueError("Prepared takes plain model querysets only")
        compiler = queryset.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        slots = self._slots(params, placeholders)
        select, klass_info = compiler.select, compiler.klass_info
        fields = [column[0] for column in select[: compiler.col_count]]
        fetch_mode = queryset._fetch_mode
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        return {
            "sql": sql, "params": list(params), "slots": slots,
            "converters": list(compiler.get_converters(fields).items()),
            "from_db": _get_from_db(klass_info["model"], fetch_mode), "track_peers": fetch_mode.track_peers,
            "init_list": [column[0].target.attname for column in select[start:end]], "start": start, "end": end,
            "related": get_related_populators(klass_info, select, connection.alias, fetch_mode),
        }

    def __call__(self, using: str = "default", **ids) -> list:
        connection, compiled, params = self._prepare(using, None, ids)
        with connection.cursor() as cursor:
            cursor.execute(compiled["sql"], params)
            rows = cursor.fetchall()
        from_db, init_list, start, end = compiled["from_db"], compiled["init_list"], compiled["start"], compiled["end"]
        converters, related, alias = compiled["converters"], compiled["related"], connection.alias
        objects, peers = [], []
        for row in rows:
            if converters:
                row = list(row)
                for position, (functions, expression) in converters:
                    value = row[position]
                    for function in functions:
                        value = function(value, expression, connection)
                    row[position] = value
            obj = from_db(alias, init_list, row[start:end])
            if compiled["track_peers"]:
                peers.append(weak_ref(obj))
                obj._state.peers = peers
            for populator in related:
                populator.populate(row, obj)
            objects.append(obj)
        return objects


class PreparedUnion(_Compiled):
    """Several plain querysets on the same ids read in one round trip: their SQL joined by UNION ALL (compiled
    once per database, like `Prepared`), each part's columns in its own positions (the others NULL, cast to the
    column's type), a first column naming the part. Each part's rows come back sorted in Python by its own
    ordering (its `order_by()`, else its model's `Meta.ordering`), which must name concrete fields only.

        rows = PreparedUnion(events=lambda claim_id: ClaimEvent.objects.filter(claim_id=claim_id), …)
        rows(claim_id=claim.pk)  # {"events": [...], …}
    """

    def __init__(self, **builds):
        self.builds = builds
        names = {tuple(inspect.signature(build).parameters) for build in builds.values()}
        if len(names) != 1:
            raise ValueError("every part takes the same ids")
        self.names = names.pop()
        self._compiled = {}

    def _compile(self, connection):
        placeholders = self._placeholders()
        parts = []
        for part, build in self.builds.items():
            queryset = build(**placeholders)
            query = queryset.query
            ordering = list(query.order_by or (query.get_meta().ordering if query.default_ordering else ()))
            queryset = queryset.order_by()
            if (queryset.query.annotation_select or queryset._prefetch_related_lookups or query.select_related
                    or query.low_mark or query.high_mark is not None or query.distinct):
                raise ValueError("PreparedUnion takes plain model querysets only")
            compiler = queryset.query.get_compiler(connection=connection)
            sql, params = compiler.as_sql()
            columns = [column for column in compiler.select[: compiler.col_count]]
            head = "SELECT " + ", ".join(column_sql for _, (column_sql, _), _ in columns) + " FROM "
            if not sql.startswith(head) or any(column_params for _, (_, column_params), _ in columns):
                raise ValueError(f"unexpected SQL for {part}: {sql[:80]}")
            if queryset._fetch_mode.track_peers:
                raise ValueError("PreparedUnion does not track peers")
            meta = queryset.model._meta
            keys = [(key.lstrip("-"), key.startswith("-")) for key in ordering]
            parts.append({
                "name": part, "from": sql[len(head) - len(" FROM "):], "params": list(params),
                "columns": [(column_sql, column.output_field) for column, (column_sql, _), _ in columns],
                "converters": list(compiler.get_converters([column for column, _, _ in columns]).items()),
                "from_db": _get_from_db(queryset.model, queryset._fetch_mode),
                "init_list": [column.target.attname for column, _, _ in columns],
                "sort": [(meta.get_field("id" if key == "pk" else key).attname, descending)
                         for key, descending in reversed(keys)],
            })
        selects, params, width, offset = [], [], sum(len(part["columns"]) for part in parts), 1
        for index, part in enumerate(parts):
            cells = [f"CAST(NULL AS {field.cast_db_type(connection)})" for part_before in parts[:index]
                     for _, field in part_before["columns"]]
            cells += [column_sql for column_sql, _ in part["columns"]]
            cells += [f"CAST(NULL AS {field.cast_db_type(connection)})" for part_after in parts[index + 1:]
                      for _, field in part_after["columns"]]
            selects.append(f"SELECT {index} AS union_part, " + ", ".join(cells) + part["from"])
            params += part["params"]
            part["start"], offset = offset, offset + len(part["columns"])
        assert offset == width + 1
        slots = self._slots(params, placeholders)
        return {"sql": " UNION ALL ".join(selects), "params": params, "slots": slots, "parts": parts}

    def __call__(self, using: str = "default", **ids) -> dict:
        connection, compiled, params = self._prepare(using, None, ids)
        with connection.cursor() as cursor:
            cursor.execute(compiled["sql"], params)
            rows = cursor.fetchall()
        parts, alias = compiled["parts"], connection.alias
        found = {part["name"]: [] for part in parts}
        for row in rows:
            part = parts[row[0]]
            values = list(row[part["start"]: part["start"] + len(part["columns"])])
            for position, (functions, expression) in part["converters"]:
                value = values[position]
                for function in functions:
                    value = function(value, expression, connection)
                values[position] = value
            found[part["name"]].append(part["from_db"](alias, part["init_list"], values))
        for part in parts:
            objects = found[part["name"]]
            for attname, descending in part["sort"]:  # the last key first: stable sorts give the full order
                objects.sort(key=lambda obj: getattr(obj, attname), reverse=descending)
        return found
