from django.urls import path

from . import views

app_name = "committees"

urlpatterns = [
    path("", views.index, name="index"),
]
