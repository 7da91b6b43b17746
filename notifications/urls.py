from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.NotificationListView.as_view(), name="notification_list"),
    path("bell/", views.bell, name="bell"),
    path("<int:pk>/", views.notification_open, name="notification_open"),
    path("<int:pk>/read/", views.notification_read, name="notification_read"),
    path("read-all/", views.notification_read_all, name="notification_read_all"),
    path("preferences/", views.preferences, name="preferences"),
    path("jobs/", views.JobRunListView.as_view(), name="jobrun_list"),
    path("deliveries/", views.DeliveryListView.as_view(), name="delivery_list"),
    path("channels/", views.WebhookChannelListView.as_view(), name="channel_list"),
    path("channels/new/", views.WebhookChannelCreateView.as_view(), name="channel_create"),
    path("channels/<int:pk>/edit/", views.WebhookChannelUpdateView.as_view(), name="channel_update"),
]
