from django.urls import path

from shop.blog import feeds, views

app_name = "blog"

urlpatterns = [
    path("", views.ArticleListView.as_view(), name="index"),
    path("feed/", feeds.ArticleFeed(), name="feed"),
    path("<slug:slug>/", views.ArticleDetailView.as_view(), name="article-detail"),
]
