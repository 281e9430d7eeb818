"""The username the login throttle (django-axes) counts, bounded to what an account's name can be.

Axes reads the name as posted and stores it in a 255-character column: a longer one was a 500 on
PostgreSQL. No account has a name longer than the user model allows, so the cut changes no lock.
"""
from django.contrib.auth import get_user_model


def throttled_username(request, credentials=None):
    """The posted (or authenticated-with) username, at most as long as a username may be; None if none."""
    field = get_user_model().USERNAME_FIELD
    username = credentials.get(field) if credentials else request.POST.get(field)
    if username is None:
        return None
    limit = get_user_model()._meta.get_field(field).max_length or 150
    return str(username)[:limit]
