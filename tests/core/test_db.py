"""The `__any` lookup: `__in` with the values as one array parameter on PostgreSQL."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.forum.models import Comment
from tests.factories import make_thread

pytestmark = pytest.mark.django_db


def test_any_selects_what_in_selects_for_fields_and_relations():
    first, second = make_thread(), make_thread()
    ids = list(first.comments.values_list("id", flat=True))
    assert set(Comment.objects.filter(id__any=[*ids, ids[0], None])) == set(first.comments.all())
    assert set(Comment.objects.filter(thread_id__any=[second.id])) == set(second.comments.all())
    assert set(Comment.objects.filter(thread__any=[first.id, second.id]).values_list("id")) == set(
        Comment.objects.filter(thread__in=[first.id, second.id]).values_list("id")
    )


def test_any_of_nothing_selects_nothing_without_a_query():
    make_thread()
    with CaptureQueriesContext(connection) as queries:
        assert list(Comment.objects.filter(id__any=[])) == []
        assert list(Comment.objects.filter(thread_id__any=[None])) == []
    assert len(queries) == 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="array parameters are PostgreSQL's")
def test_any_sends_one_array_parameter_on_postgresql():
    thread = make_thread()
    ids = list(thread.comments.values_list("id", flat=True))
    sql, params = Comment.objects.filter(id__any=ids).query.sql_with_params()
    assert "= ANY(%s)" in sql
    assert params == (ids,)
