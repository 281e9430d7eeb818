"""Values every page needs: the unread notification count, the user's seller profile, the claim windows."""
from functools import cache

from django.conf import settings

# The windows the pages and e-mails state, by the names templates use ({{ windows.seller_days }}).
WINDOW_SETTINGS = {
    "seller_days": "CLAIM_SELLER_BUSINESS_DAYS",
    "extended_days": "CLAIM_EXTENDED_BUSINESS_DAYS",
    "not_received_days": "CLAIM_NOT_RECEIVED_AFTER_DAYS",
    "not_received_after_delivery_days": "CLAIM_NOT_RECEIVED_AFTER_DELIVERY_DAYS",
    "sale_weeks": "SALE_CLOSES_AFTER_WEEKS",
    "return_ship_days": "CLAIM_RETURN_SHIP_BUSINESS_DAYS",
    "return_confirm_days": "CLAIM_RETURN_CONFIRM_BUSINESS_DAYS",
    "appeal_days": "CLAIM_APPEAL_DAYS",
    "refund_card_days": "REFUND_CARD_BUSINESS_DAYS",
}


def claim_windows() -> dict[str, int]:
    """The claim rules' time windows, read from settings (so a test's override shows on the page)."""
    return {name: getattr(settings, setting) for name, setting in WINDOW_SETTINGS.items()}


def portal(request):
    """Callables, so pages that do not show them run no query, and each runs at most once per request."""
    user = getattr(request, "user", None)

    @cache
    def unread_notifications() -> int:
        from claims.notifications import unread_count
        from rakuten_portal.navbar import cached_unread

        if user is None or not user.is_authenticated:
            return 0
        # The count the cached navbar holds (dropped whenever the user's notices change), read with the
        # navbar itself when it was shown first; counted only when it is not cached.
        known = getattr(request, "navbar_unread", None)
        if known is None:
            known = cached_unread(user)
        return unread_count(user) if known is None else known

    def seller_profile():
        if user is None:
            return None
        from orders.selectors import seller_profile_of

        return seller_profile_of(request)

    return {"unread_notifications": unread_notifications, "seller_profile": seller_profile, "windows": claim_windows()}
