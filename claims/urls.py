from django.urls import path

from . import views, wizard

app_name = "claims"
urlpatterns = [
    path("commandes/<str:number>/nouvelle/", wizard.claim_wizard_view, name="wizard"),
    path("commandes/<str:number>/messages/", views.order_message_post, name="order_message"),
    path("espace-vendeur/", views.SellerDashboardView.as_view(), name="dashboard"),
    path("espace-vendeur/messages/", views.SellerOrderMessagesView.as_view(), name="dashboard_messages"),
    path("<int:pk>/", views.ClaimDetailView.as_view(), name="detail"),
    path("<int:pk>/message/", views.claim_message_post, name="message"),
    path("<int:pk>/proposer/", views.claim_propose_post, name="propose"),
    path("<int:pk>/propositions/<int:proposal_pk>/accepter/", views.claim_accept_post, name="accept"),
    path("<int:pk>/propositions/<int:proposal_pk>/refuser/", views.claim_decline_post, name="decline"),
    path("<int:pk>/annuler/", views.claim_withdraw_post, name="withdraw"),
    path("<int:pk>/delai/", views.claim_extend_post, name="extend"),
    path("pieces-jointes/<int:pk>/", views.attachment_file, name="attachment"),
    path("pieces-jointes/<int:pk>/miniature/", views.attachment_thumbnail, name="attachment_thumbnail"),
    path("avis/<str:token>/", views.satisfaction_answer, name="satisfaction"),
    path("notifications/", views.NotificationListView.as_view(), name="notifications"),
    path("notifications/lues/", views.notifications_mark_read, name="notifications_read"),
]
