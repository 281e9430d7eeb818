from django.urls import path

from . import views

app_name = "claims"
urlpatterns = [
    path("<int:pk>/", views.ClaimDetailView.as_view(), name="detail"),
    path("notifications/", views.NotificationListView.as_view(), name="notifications"),
]
