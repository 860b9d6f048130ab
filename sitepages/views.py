from django.utils.decorators import method_decorator
from django.views.generic import DetailView

from notrecontinent import pagecache

from .models import Page


@method_decorator(pagecache.cache_for_readers(), name="get")
class PageView(DetailView):
    model = Page
    template_name = "sitepages/page_detail.html"
