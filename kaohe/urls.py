from django.urls import path

from kaohe.desk import views

app_name = "kaohe"
urlpatterns = [
    path("", views.home, name="home"),
    path("schemes/<slug:code>/ranking/", views.ranking, name="ranking"),
]
