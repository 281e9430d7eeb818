from django.urls import path

from . import views

app_name = "orders"
urlpatterns = [
    path("mon-compte/", views.AccountView.as_view(), name="account"),
    path("mon-compte/achats/", views.PurchaseListView.as_view(), name="purchases"),
    path("mon-compte/ventes/", views.SaleListView.as_view(), name="sales"),
    path("mon-compte/porte-monnaie/", views.WalletView.as_view(), name="wallet"),
    path("commandes/<str:number>/", views.OrderDetailView.as_view(), name="detail"),
    path("commandes/<str:number>/tout-est-ok/", views.confirm_receipt, name="confirm_receipt"),
]
