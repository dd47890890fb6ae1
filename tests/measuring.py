"""A page as a user meets it, measured: its HTML and how many queries it took."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def page_and_queries(client, url, data=None) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, data)
    assert response.status_code == 200, url
    return response.content.decode(), len(queries)
