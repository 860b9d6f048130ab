from django.urls import path

from . import views

app_name = "articles"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("categorie/<slug:slug>/", views.CategoryView.as_view(), name="category"),
    path("articles/<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("contribuer/", views.ContributeView.as_view(), name="contribute"),
    path("contribuer/nouveau/", views.ArticleCreateView.as_view(), name="create"),
    path("contribuer/<int:pk>/modifier/", views.ArticleUpdateView.as_view(), name="edit"),
    path("contribuer/<int:pk>/apercu/", views.ArticlePreviewView.as_view(), name="preview"),
    path("contribuer/<int:pk>/soumettre/", views.submit_article, name="submit"),
    path("contribuer/<int:pk>/retirer/", views.withdraw_article, name="withdraw"),
    path("contribuer/<int:pk>/supprimer/", views.ArticleDeleteView.as_view(), name="delete"),
]
