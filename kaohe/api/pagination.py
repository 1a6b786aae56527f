"""Pages of 50 (``?page=2``, ``?page_size=`` up to 500), with the count and links to the neighbours."""

from rest_framework.pagination import PageNumberPagination


class Pages(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500
