from django.urls import path

from . import views

app_name = "comments"

urlpatterns = [
    path("articles/<slug:slug>/commentaires/", views.post_comment, name="post"),
    path("articles/<slug:slug>/signaler/", views.report_article, name="report_article"),
    path("commentaires/<int:pk>/signaler/", views.report_comment, name="report_comment"),
    path("commentaires/desabonnement/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
