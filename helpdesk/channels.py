"""Every way to reach the service client, as listed on the contact page (hours are in phone_hours.py)."""
from django.conf import settings
from django.utils.translation import gettext_lazy as _

PHONE_NUMBER = getattr(settings, "SUPPORT_PHONE_NUMBER", "02 43 39 54 78")
POSTAL_ADDRESS = ("Service client Rakuten France", "92 rue Réaumur", "75002 Paris")
SALES_EMAIL = "fr-sales@mail.rakuten.com"
MESSAGING_TOPICS = (_("Vos achats"), _("Le suivi de vos commandes"), _("La gestion de votre compte"))
SOCIAL_NETWORKS = (
    ("Facebook", "https://www.facebook.com/RakutenFrance"),
    ("X (Twitter)", "https://x.com/RakutenFrance"),
    ("Instagram", "https://www.instagram.com/rakutenfrance/"),
)
MOBILE_APPS = (
    ("Google Play", "https://play.google.com/store/apps/details?id=fr.priceminister.android"),
    ("App Store", "https://apps.apple.com/fr/app/rakuten-achat-vente-en-ligne/id377218036"),
)


def phone_href() -> str:
    """The number as a tel: link target."""
    return "tel:+33" + PHONE_NUMBER.replace(" ", "").lstrip("0")
