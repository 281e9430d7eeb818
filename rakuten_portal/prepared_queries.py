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


class Prepared:
    def __init__(self, build):
        self.build = build
        self.names = tuple(inspect.signature(build).parameters)
        self._compiled = {}  # (alias, vendor) -> what a run needs

    def _compile(self, connection):
        placeholders = dict(zip(self.names, count(_FIRST_PLACEHOLDER)))
        queryset = self.build(**placeholders)
        if queryset.query.annotation_select or queryset._prefetch_related_lookups or queryset._known_related_objects:
            raise ValueError("Prepared takes plain model querysets only")
        compiler = queryset.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        by_value = {value: name for name, value in placeholders.items()}
        slots = [(index, by_value[param]) for index, param in enumerate(params)
                 if isinstance(param, int) and param in by_value]
        if {name for _, name in slots} != set(self.names):
            raise ValueError("a placeholder does not reach the SQL's parameters")
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
        connection = connections[using]
        key = (connection.alias, connection.vendor)
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compiled[key] = self._compile(connection)
        params = compiled["params"].copy()
        for index, name in compiled["slots"]:
            params[index] = int(ids[name])
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
