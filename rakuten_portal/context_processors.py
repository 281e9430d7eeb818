"""Values every page needs: the unread notification count and the user's seller profile."""
from functools import cache


def portal(request):
    """Callables, so pages that do not show them run no query, and each runs at most once per request."""
    user = getattr(request, "user", None)

    @cache
    def unread_notifications() -> int:
        from claims.notifications import unread_count

        return unread_count(user) if user is not None and user.is_authenticated else 0

    def seller_profile():
        if user is None:
            return None
        from orders.selectors import seller_profile_of

        return seller_profile_of(request)

    return {"unread_notifications": unread_notifications, "seller_profile": seller_profile}
