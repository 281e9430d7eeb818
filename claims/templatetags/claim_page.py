"""`{% load claim_page %}`: the claim page's repeated parts (thread, timeline, proposals, files) built in Python.

The page shows a dozen messages, steps and proposals, each through template variables, filters, translation
blocks, `{% url %}` and an include per file: most of its template time. Here each row is one `format_html`,
each URL pattern reversed once per page, and the markup is the one the templates wrote, byte for byte
(tests/claims/test_claim_page_html.py renders the former templates beside these).
"""
import html

from django import template
from django.template.backends.utils import csrf_input
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from claims.forms import (
    AppealForm,
    ClaimMessageForm,
    ProposalForm,
    ReturnShipmentForm,
    SupportReasonForm,
    WithdrawForm,
)
from claims.templatetags.claim_tags import actor_name, author_name
from rakuten_portal.dates import date_text
from rakuten_portal.formatting import money
from rakuten_portal.paths import row_path
from rakuten_portal.templatetags.bootstrap_fields import bootstrap_field, bootstrap_form

register = template.Library()

def _safe(text: str) -> str:
    """A catalogue text (`gettext("…")`, a literal, so makemessages finds it), written as {% translate "…" %}
    wrote it: not escaped (the translations are ours)."""
    return mark_safe(text)  # noqa: S308


def _datetime(value) -> str:
    """{{ value|date:"DATETIME_FORMAT" }}, in the site's time zone (rakuten_portal/dates.py)."""
    return date_text(timezone.localtime(value), "DATETIME_FORMAT")


def _e(value) -> str:
    """conditional_escape for the rows' plain values, without its lazy-string wrapper (called a hundred times)."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


class _Urls:
    """Each URL name reversed once per page (rakuten_portal/paths.py); a row's URL is its path with the ids put in."""

    def __init__(self):
        self._paths = {}

    def __call__(self, name, *ids):
        path = self._paths.get(name)
        if path is None:
            path = self._paths[name] = row_path(name, len(ids))
        return path(*ids)


def _attachments(attachments, urls) -> str:
    """claims/_attachments.html (its final newline included, as the include wrote it)."""
    if not attachments:
        return ""
    items = []
    for attachment in attachments:
        link = urls("claims:attachment", attachment.pk)
        if attachment.is_image:
            body = format_html(
                '\n        <a href="{}" target="_blank" rel="noopener" title="{}">\n'
                '          <img class="thumb" src="{}" alt="{}" loading="lazy">\n'
                '        </a>\n      ',
                link, attachment.original_name, urls("claims:attachment_thumbnail", attachment.pk),
                mark_safe(gettext("Photo : %(name)s") % {"name": conditional_escape(attachment.original_name)}))
        else:
            body = format_html(
                '\n        <a class="btn btn-sm btn-outline-secondary" href="{}"><span class="badge text-bg-secondary'
                ' me-1">PDF</span>{}</a>\n      ', link, attachment.original_name)
        items.append(format_html('\n    <li class="list-inline-item mb-2">\n      {}\n    </li>\n  ', body))
    return format_html('\n<ul class="list-inline attachments mb-0 mt-2">\n  {}\n</ul>\n\n',
                       mark_safe("".join(items)))


def _viewer_id(context):
    user = context.get("user")
    return user.pk if user is not None and user.is_authenticated else None


@register.simple_tag(takes_context=True)
def claim_thread_items(context) -> str:
    """The `<li>` of every message of the thread (claims/_claim_thread.html's loop)."""
    claim, urls, viewer_id = context["claim"], _Urls(), _viewer_id(context)
    thread = context["thread"]
    if not thread:
        return format_html('\n      <li class="text-muted">{}</li>\n    ', _safe(gettext("Aucun message pour l'instant.")))
    note = format_html('<span class="badge text-bg-warning">{}</span>', _safe(gettext("Note interne")))
    authors = {}
    rows = []
    for message in thread:
        key = (message.role, message.author_id == viewer_id and message.author_id is not None)
        if key not in authors:
            authors[key] = _e(author_name(message, claim, viewer_id))
        if message.internal:
            css = " thread-internal"
        elif message.author_id == viewer_id:
            css = " thread-mine"
        else:
            css = ""
        body = f'<div class="text-prewrap">{_e(message.body)}</div>' if message.body else ""
        rows.append(
            f'\n      <li class="thread-message thread-{_e(message.role)}{css}">\n'
            f'        <div class="small text-muted mb-1">\n'
            f'          <strong>{authors[key]}</strong> · {_e(_datetime(message.created_at))}\n'
            f'          {note if message.internal else ""}\n'
            f'        </div>\n'
            f'        {body}\n'
            f'        {_attachments(message.files, urls)}\n'
            f'      </li>\n    ')
    return mark_safe("".join(rows))


def _detail(detail: str) -> str:
    """{% translate event.detail %}: the stored text translated when the catalogue has it, escaped."""
    return mark_safe(conditional_escape(gettext(detail.replace("%", "%%"))).replace("%%", "%"))  # noqa: S308


@register.simple_tag(takes_context=True)
def claim_timeline_items(context) -> str:
    """The `<li>` of every step of the timeline (claims/_claim_timeline.html's loop)."""
    claim, viewer_id = context["claim"], _viewer_id(context)
    rows, actors = [], {}
    for event in context["events"]:
        actor_key = (event.automatic, event.actor_id)
        if actor_key not in actors:
            actors[actor_key] = _e(actor_name(event, claim, viewer_id))
        detail = f'<br><span class="small">{_detail(event.detail)}</span>' if event.detail else ""
        rows.append(
            f'\n      <li data-kind="{_e(event.kind)}">\n'
            f'        <strong>{_e(event.get_kind_display())}</strong>\n'
            f'        <br><span class="small text-muted">{_e(_datetime(event.at))} · {actors[actor_key]}</span>\n'
            f'        {detail}\n'
            f'      </li>\n    ')
    return mark_safe("".join(rows))  # noqa: S308 — every value above is escaped


def _accept_forms(context, proposal, urls, csrf) -> str:
    """The buyer's accept and decline forms under a pending proposal."""
    claim, choices, pending = context["claim"], context["refund_choices"], context["pending_proposal"]
    refund_to = ""
    if pending is not None and proposal.pk == pending.pk and len(choices) > 1:
        options = "".join(format_html(
            '<div class="form-check">\n'
            '              <input class="form-check-input" type="radio" name="refund_to" value="{}" id="id_refund_to_{}"{}>\n'
            '              <label class="form-check-label" for="id_refund_to_{}">{}</label></div>',
            value, value, mark_safe(" checked") if index == 0 else "", value, label)
            for index, (value, label) in enumerate(choices))
        refund_to = format_html(
            '\n          <fieldset class="mb-2" data-testid="refund-to"><legend class="form-label fs-6">{}</legend>\n'
            '            {}\n'
            '          </fieldset>\n          ',
            _safe(gettext("Où voulez-vous être remboursé ?")), mark_safe(options))
    return format_html(
        '\n      <div class="d-flex flex-wrap gap-2 mt-3 align-items-start">\n'
        '        <form method="post" action="{}">{}\n'
        '          {}\n'
        '          <button class="btn btn-primary" data-testid="accept" data-confirm="{}">{}</button>\n'
        '        </form>\n'
        '        <details class="decline">\n'
        '          <summary class="btn btn-outline-secondary">{}</summary>\n'
        '          <form method="post" action="{}" class="mt-2">{}\n'
        '            <label class="form-label" for="id_decline_reason_{}">{}</label>\n'
        '            <input class="form-control mb-2" type="text" name="reason" maxlength="500" id="id_decline_reason_{}">\n'
        '            <button class="btn btn-outline-danger" data-testid="decline">{}</button>\n'
        '          </form>\n'
        '        </details>\n'
        '      </div>\n    ',
        urls("claims:accept", claim.pk, proposal.pk), csrf, refund_to,
        _safe(gettext("Accepter cette proposition ? La réclamation sera close comme résolue.")), _safe(gettext("Accepter")),
        _safe(gettext("Refuser")), urls("claims:decline", claim.pk, proposal.pk), csrf, proposal.pk,
        context["decline_form"]["reason"].label, proposal.pk, _safe(gettext("Refuser la proposition")))


def _proposal(context, proposal, urls, csrf) -> str:
    """claims/_proposal.html for one proposal."""
    is_buyer, is_seller, can = context["is_buyer"], context["is_seller"], context["can"]
    pending = proposal.is_pending
    amount = format_html(' — <span class="fw-bold">{}</span>', money(proposal.amount)) if proposal.amount else ""
    status = _safe(gettext("En attente de l'acheteur")) if pending and not is_buyer else proposal.get_status_display()
    carrier = ""
    if proposal.carrier:
        carrier = format_html('<p class="mb-1">{}</p>', mark_safe(
            gettext("Transporteur : %(carrier)s, numéro de suivi : %(number)s")
            % {"carrier": conditional_escape(proposal.carrier), "number": conditional_escape(proposal.tracking_number)}))
    address = ""
    if proposal.return_address:
        postage = _safe(gettext("Frais de retour à la charge du vendeur.") if proposal.postage_by_seller
                        else gettext("Frais de retour à la charge de l'acheteur."))
        days = ""
        if pending:
            days = mark_safe(gettext("Si vous acceptez, vous aurez %(days)s jours ouvrés pour expédier l'article.")
                             % {"days": conditional_escape(context["windows"]["return_ship_days"])})
        address = format_html(
            '<p class="mb-1">{} <span class="text-prewrap">{}</span><br>\n      {}\n      {}</p>',
            _safe(gettext("Adresse de retour :")), proposal.return_address, postage, days)
    if pending and can["accept"]:
        actions = _accept_forms(context, proposal, urls, csrf)
    elif pending and is_seller:
        actions = format_html('\n      <p class="small text-muted mt-2 mb-0">{}</p>\n    ', _safe(
            gettext("En attente de la réponse de l'acheteur. Une nouvelle proposition remplacerait celle-ci.")))
    else:
        actions = ""
    return format_html(
        '\n<article class="card mb-3 proposal{}" data-testid="proposal">\n'
        '  <div class="card-body">\n'
        '    <div class="d-flex flex-wrap justify-content-between align-items-start gap-2">\n'
        '      <h3 class="h6 mb-1">{}{}</h3>\n'
        '      <span class="badge {}">{}</span>\n'
        '    </div>\n'
        '    <p class="small text-muted mb-2">{}</p>\n'
        '    {}\n'
        '    {}\n'
        '    {}\n'
        '    {}\n'
        '    {}\n'
        '  </div>\n'
        '</article>\n',
        mark_safe(" border-primary proposal-pending") if pending else "", proposal.get_kind_display(), amount,
        "text-bg-primary" if pending else "text-bg-light border", status, proposal.proposed_label, carrier, address,
        format_html('<p class="mb-1 text-prewrap">{}</p>', proposal.message) if proposal.message else "",
        _attachments(proposal.files, urls) if proposal.files else "", actions)


@register.simple_tag(takes_context=True)
def claim_proposal_cards(context) -> str:
    """Every proposal's card (claims/_proposal.html once per proposal)."""
    urls = _Urls()
    request = context.get("request")
    csrf = csrf_input(request) if request is not None else ""
    return mark_safe("".join(_proposal(context, proposal, urls, csrf) for proposal in context["proposals"]))


@register.simple_tag(takes_context=True)
def claim_attachments(context, attachments) -> str:
    """claims/_attachments.html for one list of files."""
    return _attachments(attachments, _Urls())


# The page's forms that read nothing of the claim: unbound, their markup depends only on the language and on
# which fields the role gets (the internal-note box is an agent's), so it is built once per process for each.
_STATIC_FORMS = (ClaimMessageForm, SupportReasonForm, AppealForm, ReturnShipmentForm, WithdrawForm)
_form_html = {}


def _static_form(form) -> bool:
    return type(form) in _STATIC_FORMS and not form.is_bound and not form.initial and form.prefix is None


# The proposal form's fields that read nothing of the claim (the kinds offered, the amount's maximum and the
# seller's return address do): kept like the forms above while the form is empty.
_STATIC_FIELDS = {ProposalForm: frozenset({"carrier", "tracking_number", "receipt", "return_postage", "message"})}


def _partly_static_form(form) -> str:
    static, language, parts = _STATIC_FIELDS[type(form)], get_language(), []
    for field in form:
        if field.name not in static:
            parts.append(bootstrap_field(field))
            continue
        key = (type(form), (field.name,), field.name, language)
        html = _form_html.get(key)
        if html is None:
            html = _form_html[key] = bootstrap_field(field)
        parts.append(html)
    return mark_safe("".join(parts))  # noqa: S308 — each part is bootstrap_field's


@register.simple_tag
def claim_form(form) -> str:
    """{% bootstrap_form form %}, kept per language for the forms above while they are empty."""
    if type(form) in _STATIC_FIELDS and not form.is_bound and form.prefix is None:
        return _partly_static_form(form)  # an empty form has no errors to show above its fields
    if not _static_form(form):
        return bootstrap_form(form)
    key = (type(form), tuple(form.fields), None, get_language())
    html = _form_html.get(key)
    if html is None:
        html = _form_html[key] = bootstrap_form(form)
    return html


@register.simple_tag
def claim_field(form, name: str) -> str:
    """{% bootstrap_field form.name %}, kept like claim_form."""
    if not _static_form(form):
        return bootstrap_field(form[name])
    key = (type(form), tuple(form.fields), name, get_language())
    html = _form_html.get(key)
    if html is None:
        html = _form_html[key] = bootstrap_field(form[name])
    return html
