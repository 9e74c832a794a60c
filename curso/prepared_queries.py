"""The few reads every signed-in page repeats, compiled once instead of on every request.

Building a query through the ORM (cloning the queryset, resolving the filter, compiling the SQL)
costs about 0.5 ms on the benchmark machine (bench/load.py), ten times the cost of running it on
an index: on a signed-in page, the session's user, the learner's statuses and their note cost
more to build than the rest of the page. A `PreparedQuery` is an ordinary queryset built with
placeholder values and compiled once per process and database alias; each call only runs that
SQL with the real values and converts the rows with the ORM's own converters (aware datetimes
on SQLite, and so on). It stays a normal query: counted by `assertNumQueries`, subject to the
same connection handling and errors.

Only for hot reads with plain equality filters; everything else uses the ORM. A query whose
other parameters depend on the content (a list of published sections) is compiled with them
(`fixed=True`) and kept with that content version (roadmap/cohorts/content.py).
"""

import threading
from collections.abc import Callable

from django.db import connections
from django.db.models import Model, QuerySet


class PreparedQuery:
    """`build(*placeholders)` returns the queryset; `rows(*values)` runs it with `values` in
    the placeholders' places. Placeholders must be distinct values that appear nowhere else in
    the query: compiling checks that every parameter of the SQL is one of them, unless `fixed`
    says the query's other parameters are constants compiled in with it."""

    def __init__(self, build: Callable[..., QuerySet], *placeholders, fixed: bool = False):
        self.build, self.placeholders, self.fixed = build, placeholders, fixed
        self._compiled: dict[str, tuple] = {}
        self._lock = threading.Lock()

    def _compile(self, alias: str) -> tuple:
        queryset = self.build(*self.placeholders).using(alias)
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        if (
            len(set(self.placeholders)) != len(self.placeholders)
            or not (self.fixed or set(params) <= set(self.placeholders))
            or not set(self.placeholders) <= set(params)  # each one must reach the SQL
        ):
            raise ValueError(f"Parámetros inesperados al preparar la consulta: {params!r}")
        # (True, index of the placeholder) or (False, a constant compiled in with the query)
        order = [
            (True, self.placeholders.index(param)) if param in self.placeholders else (False, param)
            for param in params
        ]
        expressions = [expression for expression, _sql, _alias in compiler.select]
        converters = [
            (
                index,
                compiler.connection.ops.get_db_converters(expression)
                + expression.get_db_converters(compiler.connection),
                expression,
            )
            for index, expression in enumerate(expressions)
        ]
        converters = [item for item in converters if item[1]]
        names = [
            getattr(getattr(expression, "target", None), "attname", None)
            for expression in expressions
        ]
        return sql, order, converters, names, queryset.model

    def compiled(self, alias: str = "default") -> tuple:
        compiled = self._compiled.get(alias)
        if compiled is None:
            with self._lock:
                compiled = self._compiled.setdefault(alias, self._compile(alias))
        return compiled

    def sql_with_params(self, *values, using: str = "default") -> tuple[str, list]:
        """The compiled SQL and its parameters for `values` (to run inside a larger statement)."""
        sql, order, _converters, _names, _model = self.compiled(using)
        return sql, [values[item] if placeholder else item for placeholder, item in order]

    def rows(self, *values, using: str = "default") -> list[tuple]:
        sql, params = self.sql_with_params(*values, using=using)
        _sql, _order, converters, _names, _model = self.compiled(using)
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if not converters:
            return rows
        converted = []
        for row in rows:
            row = list(row)
            for index, functions, expression in converters:
                value = row[index]
                for function in functions:
                    value = function(value, expression, connection)
                row[index] = value
            converted.append(tuple(row))
        return converted

    def instances(self, *values, using: str = "default") -> list[Model]:
        """The rows as model instances (for a query that selects whole rows of its model, no
        `select_related`, no annotations)."""
        _sql, _order, _converters, names, model = self.compiled(using)
        if names != [field.attname for field in model._meta.concrete_fields]:
            raise ValueError("instances() necesita filas enteras del modelo, sin más columnas.")
        return [model.from_db(using, names, row) for row in self.rows(*values, using=using)]
