"""The signed-in user read from the cache instead of the database on every request.

Every logged-in page paid one query for its user (Django's ModelBackend.get_user) on top of the session's
cache read. The user's row is now kept in the cache under `user:<id>` for USER_CACHE_SECONDS and dropped on
commit whenever the row is saved or deleted (the admin, a password change or reset, the login's last_login
update all save it), so what the session check compares (the password hash) and what the pages test
(is_active, is_staff) are never older than the row. Permissions are not cached: ModelBackend still reads
them from the database, once per request, when a page asks.

A QuerySet.update() on users would bypass the signals: nothing in the project does one; the timeout bounds
what such an update could leave for a while.
"""
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.db import transaction


def user_cache_key(user_id) -> str:
    return f"user:{user_id}"


class CachedUserBackend(ModelBackend):
    """ModelBackend, with get_user answered from the cache when it can."""

    def get_user(self, user_id):
        if not settings.USER_CACHE_SECONDS:
            return super().get_user(user_id)
        key = user_cache_key(user_id)
        user = cache.get(key)
        if user is None:
            user = super().get_user(user_id)  # None for a missing or inactive account: not cached
            if user is not None:
                cache.set(key, user, settings.USER_CACHE_SECONDS)
            return user
        return user if self.user_can_authenticate(user) else None


def forget_user(user_id) -> None:
    """Drop the cached row once the current transaction commits (at once outside one), and now too: a reader
    inside the transaction must not see the old row either."""
    key = user_cache_key(user_id)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def _user_changed(sender, instance, **kwargs):
    forget_user(instance.pk)


def _logged_in(sender, request, user, **kwargs):
    """A login (after its last_login update) reads the row once, so the pages that follow find it cached and
    every request after a login makes the same queries, the first one included."""
    if settings.USER_CACHE_SECONDS and user is not None and user.pk is not None:
        fresh = type(user)._default_manager.filter(pk=user.pk).first()
        if fresh is not None:
            cache.set(user_cache_key(user.pk), fresh, settings.USER_CACHE_SECONDS)


def connect_invalidation() -> None:
    """Called once from OrdersConfig.ready: any save or delete of a user (the admin's too) forgets its row; a
    login puts the fresh row in the cache."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.signals import user_logged_in
    from django.db.models.signals import post_delete, post_save

    User = get_user_model()
    post_save.connect(_user_changed, sender=User, dispatch_uid="cached_user_saved")
    post_delete.connect(_user_changed, sender=User, dispatch_uid="cached_user_deleted")
    user_logged_in.connect(_logged_in, dispatch_uid="cached_user_logged_in")
