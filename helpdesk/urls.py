from django.urls import path
from django.views.generic import TemplateView

app_name = "helpdesk"
urlpatterns = [
    path("", TemplateView.as_view(template_name="helpdesk/index.html"), name="index"),
]
