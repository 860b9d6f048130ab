from django.urls import re_path

from . import views
from .models import Page

app_name = "sitepages"

# One address per page of the fixed set, at the root of the site (/a-propos/, ...):
# any other slug is not a page of this app.
SLUGS = "|".join(Page.Slug.values)

urlpatterns = [
    re_path(rf"^(?P<slug>{SLUGS})/$", views.PageView.as_view(), name="detail"),
]
