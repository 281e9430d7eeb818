"""The claim wizard (being built)."""
from django.http import Http404


def claim_wizard_view(request, number):
    raise Http404
