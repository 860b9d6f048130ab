from django.urls import path

from . import views

app_name = "comments"

urlpatterns = [
    path("articles/<slug:slug>/commentaires/", views.post_comment, name="post"),
    path("commentaires/<int:pk>/modifier/", views.edit_comment, name="edit"),
    path("commentaires/<int:pk>/supprimer/", views.delete_comment, name="delete"),
    path("commentaires/desabonnement/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("commentaires/confirmation/<str:token>/", views.confirm_email, name="confirm_email"),
]
