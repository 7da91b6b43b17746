from django.urls import path

from . import views

app_name = "closing"

urlpatterns = [
    path("", views.MonthCloseListView.as_view(), name="month_list"),
    path("submit/", views.month_submit, name="month_submit"),
    path("<int:pk>/", views.MonthCloseDetailView.as_view(), name="month_detail"),
    path("<int:pk>/approve/", views.month_approve, name="month_approve"),
    path("<int:pk>/return/", views.month_return, name="month_return"),
    path("corrections/<int:pk>/", views.CorrectionDetailView.as_view(), name="correction_detail"),
    path("corrections/<int:pk>/approve/", views.correction_approve, name="correction_approve"),
    path("corrections/<int:pk>/reject/", views.correction_reject, name="correction_reject"),
    path("packages/request/", views.package_request, name="package_request"),
    path("packages/<int:pk>/retry/", views.package_retry, name="package_retry"),
    path("packages/<int:pk>/<str:fmt>/", views.package_file, name="package_file"),
]
