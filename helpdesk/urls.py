from django.urls import path

from . import views
from .chat import views as chat_views

app_name = "helpdesk"
urlpatterns = [
    path("", views.HelpIndexView.as_view(), name="index"),
    path("articles/<slug:slug>/", views.ArticleView.as_view(), name="article"),
    path("recherche/", views.SearchView.as_view(), name="search"),
    path("nous-contacter/", views.ContactPageView.as_view(), name="contact"),
    path("service-client/", views.ContactFormView.as_view(), name="contact_form"),
    path("service-client/envoyee/", views.ContactSentView.as_view(), name="contact_sent"),
    path("mes-demandes/", views.RequestListView.as_view(), name="requests"),
    path("mes-demandes/<str:reference>/", views.RequestDetailView.as_view(), name="request_detail"),
    path("pieces-jointes/<int:pk>/", views.attachment_file, name="attachment"),
    path("pieces-jointes/<int:pk>/miniature/", views.attachment_thumbnail, name="attachment_thumbnail"),
    path("chat/etat/", chat_views.chat_state, name="chat_state"),
]
