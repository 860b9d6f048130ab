from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("auteurs/<str:username>/", views.AuthorView.as_view(), name="author"),
]
