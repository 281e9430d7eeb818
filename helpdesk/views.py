"""Pages of the help centre (articles, search), the contact page, the contact form and "Mes demandes"."""
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, ListView, TemplateView
from django_ratelimit.core import is_ratelimited

from rakuten_portal.private_files import file_csp, serve_attachment, serve_thumbnail
from rakuten_portal.public_pages import cached_public_page

from . import articles, channels, opening_hours
from .forms import ContactForm, ReplyForm, SearchForm
from .models import ContactRequest
from .search import search_articles
from .selectors import access_attachment, access_request, requests_of
from .services import ContactRequestError, contact_request_create, contact_request_reply

SESSION_LAST_REFERENCE = "helpdesk_last_reference"
REQUESTS_PAGE_SIZE = 20
# The article a claim-related page sends a customer to for "Service client".
CONTACT_ARTICLE_SLUGS = ("faire-une-reclamation", "formulaire-de-contact", "nous-contacter")


def _phone_status(request) -> str:
    """The contact page says whether the line and the chat are open now: a cached copy lasts until that changes."""
    now = timezone.now()
    return f"{opening_hours.phone_schedule().status(now).label}|{opening_hours.chat_schedule().status(now).label}"


@method_decorator(cached_public_page(), name="dispatch")
class HelpIndexView(TemplateView):
    template_name = "helpdesk/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sections"] = articles.help_index(articles.current_language())
        context["search_form"] = SearchForm()
        return context


@method_decorator(cached_public_page(), name="dispatch")
class ArticleView(TemplateView):
    template_name = "helpdesk/article.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        language = articles.current_language()
        article = articles.article_for(self.kwargs["slug"], language)
        context.update(
            article=article,
            blocks=articles.body_blocks(article.body),
            related=articles.related_articles(article, language),
            search_form=SearchForm(),
            shows_contact_button=article.slug in CONTACT_ARTICLE_SLUGS,
        )
        return context


# One entry per language and query as typed, dropped with the other public pages when an article changes.
@method_decorator(cached_public_page(query=("q",), timeout_setting="HELP_SEARCH_CACHE_SECONDS"), name="dispatch")
class SearchView(TemplateView):
    template_name = "helpdesk/search.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = SearchForm(self.request.GET or None)
        query = form.cleaned_data["q"].strip() if form.is_valid() else ""
        context.update(search_form=form, query=query,
                       results=search_articles(query, articles.current_language()) if query else [])
        return context


@method_decorator(cached_public_page(vary=_phone_status), name="dispatch")
class ContactPageView(TemplateView):
    template_name = "helpdesk/contact_page.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        phone, chat = opening_hours.phone_schedule(), opening_hours.chat_schedule()
        context.update(
            phone_status=phone.status(now),
            timetable=phone.timetable(),
            phone_closed_on_holidays=phone.closed_on_holidays,
            chat_status=chat.status(now),
            chat_timetable=chat.timetable(),
            chat_closed_on_holidays=chat.closed_on_holidays,
            phone_number=channels.PHONE_NUMBER,
            phone_href=channels.phone_href(),
            postal_address=channels.POSTAL_ADDRESS,
            sales_email=channels.SALES_EMAIL,
            messaging_topics=channels.MESSAGING_TOPICS,
            social_networks=channels.SOCIAL_NETWORKS,
            mobile_apps=channels.MOBILE_APPS,
        )
        return context


def contact_rate(group, request) -> str:
    """Requests allowed per IP and per account, e.g. "5/h" (settings.HELPDESK_CONTACT_RATE)."""
    return getattr(settings, "HELPDESK_CONTACT_RATE", "5/h")


def contact_limited(request, *, increment: bool) -> bool:
    """Whether this IP or this account has sent too many requests; counts one more when `increment`."""
    limited = is_ratelimited(request, group="helpdesk.contact.ip", key="ip", rate=contact_rate, method="POST",
                             increment=increment)
    if request.user.is_authenticated:
        limited = is_ratelimited(request, group="helpdesk.contact.user", key="user", rate=contact_rate,
                                 method="POST", increment=increment) or limited
    return limited


@method_decorator(cached_public_page(), name="dispatch")
class ContactFormView(FormView):
    template_name = "helpdesk/contact_form.html"
    form_class = ContactForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        # Prefilled from the chat's fallback: ?sujet=tracking&commande=RK-…&message=…&email=… (each capped).
        initial = super().get_initial()
        query = self.request.GET
        if query.get("commande"):
            initial["order"] = initial["order_number"] = query["commande"][:20]
        if query.get("sujet") in ContactRequest.Topic.values:
            initial["topic"] = query["sujet"]
        if query.get("message"):
            initial["message"] = query["message"][:5000]
        if query.get("email"):
            initial["email"] = query["email"][:254]
        return initial

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        if contact_limited(request, increment=False):
            return self.limited_response(form)
        if not form.is_valid():
            return self.form_invalid(form)
        if contact_limited(request, increment=True):
            return self.limited_response(form)
        return self.form_valid(form)

    def limited_response(self, form):
        # Shown back with what was typed; the files are not even looked at.
        form = self.get_form_class()(data=self.request.POST, user=self.request.user)
        form.add_error(None, _(
            "Vous avez envoyé trop de demandes en peu de temps. Votre message n'a pas été envoyé : "
            "réessayez dans une heure, ou appelez-nous au %(phone)s."
        ) % {"phone": channels.PHONE_NUMBER})
        return self.render_to_response(self.get_context_data(form=form), status=429)

    def form_valid(self, form):
        if form.is_spam:
            # Look like a success to the robot, and keep nothing.
            self.request.session.pop(SESSION_LAST_REFERENCE, None)
            return redirect("helpdesk:contact_sent")
        user = self.request.user if self.request.user.is_authenticated else None
        data = form.cleaned_data
        contact_request = contact_request_create(
            topic=data["topic"], body=data["message"], email=form.contact_email(),
            language=articles.current_language(), now=timezone.now(), requester=user,
            order=data.get("order"), order_number=data.get("order_number", ""),
            seller_name=data.get("seller_name", ""), files=form.processed_files,
        )
        self.request.session[SESSION_LAST_REFERENCE] = contact_request.reference
        return redirect("helpdesk:contact_sent")


class ContactSentView(TemplateView):
    template_name = "helpdesk/contact_sent.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["reference"] = self.request.session.get(SESSION_LAST_REFERENCE, "")
        return context


class RequestListView(LoginRequiredMixin, ListView):
    template_name = "helpdesk/request_list.html"
    context_object_name = "contact_requests"
    paginate_by = REQUESTS_PAGE_SIZE

    def get_queryset(self):
        return requests_of(self.request.user)


class RequestDetailView(LoginRequiredMixin, DetailView):
    template_name = "helpdesk/request_detail.html"
    context_object_name = "contact_request"

    def get_object(self, queryset=None):
        return access_request(self.request.user, self.kwargs["reference"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("reply_form", ReplyForm())
        context["is_owner"] = self.object.requester_id == self.request.user.pk
        return context

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        if self.object.requester_id != request.user.pk:
            raise Http404  # staff read requests here but answer from the admin
        form = ReplyForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                contact_request_reply(contact_request=self.object, author=request.user,
                                      body=form.cleaned_data["message"], files=form.processed_files,
                                      now=timezone.now())
            except ContactRequestError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Votre réponse a été envoyée au service client."))
                return redirect(reverse("helpdesk:request_detail", args=[self.object.reference]))
        return self.render_to_response(self.get_context_data(reply_form=form))


@login_required
@file_csp
def attachment_file(request, pk):
    """The stored file, to its request's owner and staff only; PDFs are downloaded, never shown inline."""
    return serve_attachment(access_attachment(request.user, pk))


@login_required
@file_csp
def attachment_thumbnail(request, pk):
    """The image's thumbnail, with the same access rule."""
    return serve_thumbnail(access_attachment(request.user, pk))
