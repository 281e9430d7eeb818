"""The "forgotten password" page, throttled per client address and per target e-mail.

Without a limit, anyone could make the site send any number of e-mails to one address. The answer
depends only on the counters, never on whether an account has that e-mail: a known and an unknown
address get the same "sent" page, and the same refusal once over the limit.
"""
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.utils import timezone
from django.utils.timesince import timeuntil
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage

PER_ADDRESS_GROUP = "password_reset.ip"
PER_EMAIL_GROUP = "password_reset.email"


def _target_email(group, request) -> str:
    # Case and spaces do not make another address (the form's e-mail field has already stripped them).
    return request.POST.get("email", "").strip().lower()


def _usages(request):
    """Count this request against both limits; the usages that are now over."""
    usages = [
        get_usage(request, group=PER_ADDRESS_GROUP, key="ip", rate=settings.PASSWORD_RESET_RATE_PER_ADDRESS,
                  method="POST", increment=True),
        get_usage(request, group=PER_EMAIL_GROUP, key=_target_email, rate=settings.PASSWORD_RESET_RATE_PER_EMAIL,
                  method="POST", increment=True),
    ]
    return [usage for usage in usages if usage is not None and usage["should_limit"]]


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    """Django's reset view; a valid request over either limit sends nothing and says when to try again."""

    def form_valid(self, form):
        over = _usages(self.request)
        if not over:
            return super().form_valid(form)
        wait = max(usage["time_left"] for usage in over)
        now = timezone.now()
        form.add_error(None, _(
            "Trop de demandes de nouveau mot de passe en peu de temps : aucun e-mail n'a été envoyé. "
            "Réessayez dans %(delay)s."
        ) % {"delay": timeuntil(now + timedelta(seconds=max(wait, 60)), now)})
        return self.render_to_response(self.get_context_data(form=form), status=429)
