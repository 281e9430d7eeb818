"""The navbar's per-user part (links, bell and unread count, account), rendered once per user and language and
kept in the cache until something it shows changes; the forms with a CSRF token stay outside it.

Whatever changes what the fragment shows calls `navbar_changed` (new or read notifications, a seller
profile, the user's staff flag or name); the timeout only bounds a change that would slip through.
"""
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

TEMPLATES = {"links": "partials/navbar_links.html", "account": "partials/navbar_account.html"}


def _key(user_id: int, language: str) -> str:
    return f"navbar:{user_id}:{language}"


def navbar_parts(context) -> dict[str, str]:
    """The two cached fragments of the signed-in user's navbar, rendered on a miss."""
    user = context["user"]
    key = _key(user.pk, get_language())
    parts = cache.get(key)
    if parts is None:
        unread = context["unread_notifications"]
        unread = unread() if callable(unread) else unread
        values = {"user": user, "seller_profile": context["seller_profile"], "unread_notifications": unread}
        parts = {name: render_to_string(template, values, request=None) for name, template in TEMPLATES.items()}
        parts["unread"] = unread  # the bell's count, for cached_unread
        cache.set(key, parts, settings.NAVBAR_CACHE_SECONDS)
    request = context.get("request")
    if request is not None:
        request.navbar_unread = parts.get("unread")  # the page's own count, without another cache read
    # Our own rendered templates.
    return {name: mark_safe(html) for name, html in parts.items() if name in TEMPLATES}  # noqa: S308


def cached_unread(user) -> int | None:
    """How many notices the user's cached navbar counts as unread; None when it is not cached. It is dropped
    whenever the user's notices change, so 0 here means there is nothing to mark read (the claim page skips it)."""
    parts = cache.get(_key(user.pk, get_language()))
    return None if parts is None else parts.get("unread")


def navbar_changed(user_ids) -> None:
    """Forget these users' navbar once the current transaction commits (at once outside one)."""
    keys = [_key(user_id, language) for user_id in set(user_ids) for language, _name in settings.LANGUAGES]
    if keys:
        transaction.on_commit(lambda: cache.delete_many(keys))


def _user_saved(sender, instance, **kwargs):
    navbar_changed([instance.pk])  # the staff link and the name in the account link


def _seller_profile_changed(sender, instance, **kwargs):
    navbar_changed([instance.user_id])  # the seller links


def connect_invalidation() -> None:
    """Called once from OrdersConfig.ready: saving a user or a seller profile (also from the admin) forgets the
    navbar it shows in."""
    from django.contrib.auth import get_user_model
    from django.db.models.signals import post_delete, post_save

    from orders.models import SellerProfile

    post_save.connect(_user_saved, sender=get_user_model(), dispatch_uid="navbar_user_saved")
    post_save.connect(_seller_profile_changed, sender=SellerProfile, dispatch_uid="navbar_seller_saved")
    post_delete.connect(_seller_profile_changed, sender=SellerProfile, dispatch_uid="navbar_seller_deleted")
