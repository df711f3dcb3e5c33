"""Keyset pagination: pages whose cost does not grow with the list (issue 9).

Django's Paginator counts the whole list and skips `OFFSET` rows, so page 1 of 8,000 actions
costs a COUNT over all of them and page 300 reads 7,500 rows to throw away. A keyset page
instead continues *after* (or *before*) a row: `?after=<pk>` reads that row's sort values and
asks for the next rows in order, which an index on the sort keys answers by reading one page
(`WHERE due_date >= :v AND (due_date > :v OR (due_date = :v AND id > :pk)) ORDER BY due_date, id
LIMIT 26`). There is no total and no page number; the pages say "first", "previous", "next".

`keys` are the ordering, most significant first, as field names (`-` for descending), ending in
`pk` so the order is total. A NULL sorts as the largest value on every database (`NULLS LAST`
ascending, `NULLS FIRST` descending, PostgreSQL's default). Names in `nullable` may be NULL.

A cursor that no longer exists (the row was deleted, or never was the user's) opens the first
page: the cursor's values are read from the same queryset, so they never reveal anything the
list does not show.
"""

from dataclasses import dataclass

from django.db.models import F, Q

AFTER, BEFORE = "after", "before"


@dataclass
class KeysetPage:
    object_list: list
    has_next: bool
    has_previous: bool

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    @property
    def next_cursor(self):
        return _pk(self.object_list[-1]) if self.object_list else None

    @property
    def previous_cursor(self):
        return _pk(self.object_list[0]) if self.object_list else None

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)


def _pk(row):
    """The key of a row: a model object, or a dict of values() with "pk" among them."""
    return row["pk"] if isinstance(row, dict) else row.pk


def _parse(keys):
    return [(key.lstrip("-"), key.startswith("-")) for key in keys]


def keyset_order(keys, *, reverse=False):
    """`order_by()` arguments for `keys`, NULL sorting as the largest value."""
    order = []
    for name, descending in _parse(keys):
        if descending != reverse:
            order.append(F(name).desc(nulls_first=True))
        else:
            order.append(F(name).asc(nulls_last=True))
    return order


def _equal(name, value) -> Q:
    return Q(**{f"{name}__isnull": True}) if value is None else Q(**{name: value})


def _beyond(name, value, descending, nullable) -> Q | None:
    """Rows that come after `value` in this key's order (NULL being the largest value)."""
    if not descending:
        if value is None:
            return None  # nothing is larger than NULL
        beyond = Q(**{f"{name}__gt": value})
        return beyond | Q(**{f"{name}__isnull": True}) if nullable else beyond
    if value is None:
        return Q(**{f"{name}__isnull": False})  # everything is smaller than NULL
    return Q(**{f"{name}__lt": value})


def _bound(name, value, descending, nullable) -> Q | None:
    """A range on the first key alone, redundant with the condition but one an index can
    start from (an OR of terms is no index range)."""
    if value is None:
        return None if descending else Q(**{f"{name}__isnull": True})
    if descending:
        return Q(**{f"{name}__lte": value})
    if nullable:
        return None
    return Q(**{f"{name}__gte": value})


def _continuing(keys, values, nullable, *, reverse) -> Q:
    parsed = [(name, descending != reverse) for name, descending in _parse(keys)]
    condition = Q(pk__in=[])
    equal = Q()
    for (name, descending), value in zip(parsed, values, strict=True):
        beyond = _beyond(name, value, descending, name in nullable)
        if beyond is not None:
            condition |= equal & beyond
        equal &= _equal(name, value)
    name, descending = parsed[0]
    bound = _bound(name, values[0], descending, name in nullable)
    return condition & bound if bound is not None else condition


def _cursor(params, name):
    value = params.get(name, "")
    return int(value) if value.isdigit() and len(value) < 19 else None


def keyset_page(queryset, params, *, keys, size=25, nullable=()) -> KeysetPage:
    """The page of `queryset` (in the order of `keys`) that `params` (`after`/`before`) asks
    for: two queries on a later page (the cursor's values, the rows), one on the first."""
    after, before = _cursor(params, AFTER), _cursor(params, BEFORE)
    cursor = after if after is not None else before
    values = None
    if cursor is not None:
        names = [name for name, _descending in _parse(keys)]
        values = queryset.prefetch_related(None).filter(pk=cursor).values_list(*names).first()
    if values is None:
        rows = list(queryset.order_by(*keyset_order(keys))[: size + 1])
        return KeysetPage(rows[:size], has_next=len(rows) > size, has_previous=False)
    reverse = cursor == before and after is None
    rows = list(
        queryset.filter(_continuing(keys, values, nullable, reverse=reverse)).order_by(
            *keyset_order(keys, reverse=reverse)
        )[: size + 1]
    )
    more = len(rows) > size
    rows = rows[:size]
    if reverse:
        rows.reverse()
        return KeysetPage(rows, has_next=True, has_previous=more)
    return KeysetPage(rows, has_next=more, has_previous=True)


def capped_count(queryset, cap=1000) -> int:
    """How many rows, counting no further than `cap` + 1 (a COUNT over a LIMIT subquery)."""
    return queryset.order_by()[: cap + 1].count()
