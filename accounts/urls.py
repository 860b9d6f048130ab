from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("compte/", views.ProfileView.as_view(), name="profile"),
    path("compte/modifier/", views.ProfileEditView.as_view(), name="profile_edit"),
    path("compte/donnees/", views.export_data, name="data_export"),
    path("compte/supprimer/", views.DeleteAccountView.as_view(), name="delete"),
    path("auteurs/<str:username>/", views.AuthorView.as_view(), name="author"),
]
