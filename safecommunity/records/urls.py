from django.urls import path

from . import views

app_name = "records"

urlpatterns = [
    path("<slug:kind>/new/", views.ImportCreateView.as_view(), name="import_new"),
    path("<slug:kind>/template/", views.ImportTemplateView.as_view(), name="import_template"),
    path("jobs/<int:pk>/", views.ImportDetailView.as_view(), name="import_detail"),
    path("jobs/<int:pk>/progress/", views.ImportProgressView.as_view(), name="import_progress"),
    path("jobs/<int:pk>/retry/", views.ImportRetryView.as_view(), name="import_retry"),
    path("jobs/<int:pk>/rejects/", views.ImportRejectsView.as_view(), name="import_rejects"),
]
