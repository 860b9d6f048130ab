from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("articles/<slug:slug>/signaler/", views.report_article, name="article"),
    path("commentaires/<int:pk>/signaler/", views.report_comment, name="comment"),
]
