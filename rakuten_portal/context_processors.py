"""Values every page needs: the unread notification count and the user's roles."""
from django.utils.functional import SimpleLazyObject


def portal(request):
    """Lazy, so pages that do not show them run no query."""
    user = getattr(request, "user", None)

    def unread():
        from claims.notifications import unread_count

        return unread_count(user) if user is not None and user.is_authenticated else 0

    def seller():
        if user is None or not user.is_authenticated:
            return None
        from orders.models import SellerProfile

        return SellerProfile.objects.filter(user=user).first()

    return {"unread_notifications": SimpleLazyObject(unread), "seller_profile": SimpleLazyObject(seller)}
