"""The weekly reports: a small hand-computed data set checks every number of every table, chart and CSV."""
import csv
import io
from collections import Counter

from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims import domain, reports
from claims.business_days import PARIS
from claims.models import SatisfactionSurvey
from helpdesk.services import contact_request_answer, contact_request_create
from tests.factories import SellerFactory, StaffFactory, UserFactory, make_claim, make_order

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 18, 12, 0, tzinfo=PARIS)  # Wednesday; 4 weeks start Monday 23 February


def at(day, hour=10, minute=0, month=3):
    return datetime(2026, month, day, hour, minute, tzinfo=PARIS)


@pytest.fixture
def data():
    """Five claims, two requests, three answers to the satisfaction question (the numbers in each test)."""
    seller, agent, buyer = SellerFactory(), StaffFactory(), UserFactory()

    def claim(opened, reason="damaged"):
        return make_claim(order=make_order(buyer=buyer, seller=seller, now=opened, days_ago=20), now=opened,
                          reason=reason)

    def settle(claim_, answered, settled):
        # A full refund settles at once (an exchange would wait for the return first).
        proposal = domain.claim_propose(claim_id=claim_.pk, seller_user=seller.user, kind="full_refund", now=answered)
        domain.claim_accept(claim_id=claim_.pk, proposal_id=proposal.pk, buyer=buyer, now=settled)

    c1 = claim(at(23, month=2))  # week 1; answered 2 h later; settled Wednesday 25: 2 business days
    settle(c1, at(23, 12, month=2), at(25, month=2))
    c5 = claim(at(16, month=2))  # before the period; settled Tuesday 24 (week 1): 6 business days
    settle(c5, at(16, 11, month=2), at(24, month=2))
    c2 = claim(at(3, 9), reason="not_received")  # week 2; never answered; taken over Saturday 7; decided Tuesday 10
    assert domain.claim_take_over(claim_id=c2.pk, now=at(7, 0, 1))
    domain.claim_decide(claim_id=c2.pk, agent=agent, decision="seller_favour", reason="Livré", amount=None,
                        now=at(10, 15))
    c3 = claim(at(4, 11))  # week 2; answered 5 h later; withdrawn Thursday 12 (week 3): 6 business days
    domain.claim_post_message(claim_id=c3.pk, author=seller.user, body="Je regarde", now=at(4, 16))
    domain.claim_withdraw(claim_id=c3.pk, buyer=buyer, reason="solved", now=at(12))
    c4 = claim(at(16, 9), reason="different")  # week 4; answered 10 h later; still open
    domain.claim_post_message(claim_id=c4.pk, author=seller.user, body="Bonjour", now=at(16, 19))

    r1 = contact_request_create(topic="other", body="?", email="r1@example.com", language="fr", now=at(2, 9))
    contact_request_answer(contact_request=r1, agent=agent, body="Réponse", now=at(2, 12))  # 3 h
    contact_request_answer(contact_request=r1, agent=agent, body="Clos", now=at(3, 9), close=True)  # resolved 24 h
    r2 = contact_request_create(topic="other", body="?", email="r2@example.com", language="fr", now=at(10, 10))
    contact_request_answer(contact_request=r2, agent=agent, body="Réponse", now=at(10, 11))  # 1 h

    for case, answered, satisfied in (({"claim": c1}, at(26, month=2), True), ({"claim": c5}, at(5), False),
                                      ({"contact_request": r1}, at(4), True)):
        SatisfactionSurvey.objects.create(**case, email="x@example.com", created_at=answered, answered_at=answered,
                                          satisfied=satisfied, email_status="sent")


@pytest.fixture
def report(data):
    return reports.Report(weeks=4, now=NOW)


def test_claims_opened_per_week_by_reason(report):
    figure = report.opened_by_reason()
    assert figure.columns == ["Semaine du", "Article endommagé ou qui ne fonctionne pas",
                              "Article différent de la commande", "Produit contrefait", "Article non reçu",
                              "Autre problème", "Total"]
    assert figure.rows == [
        ["23/02/2026", 1, 0, 0, 0, 0, 1],
        ["02/03/2026", 1, 0, 0, 1, 0, 2],
        ["09/03/2026", 0, 0, 0, 0, 0, 0],
        ["16/03/2026", 0, 1, 0, 0, 0, 1],
    ]


def test_how_claims_ended_per_week(report):
    assert report.endings().rows == [
        ["23/02/2026", 2, 0, 0],
        ["02/03/2026", 0, 0, 0],
        ["09/03/2026", 0, 1, 1],
        ["16/03/2026", 0, 0, 0],
    ]


def test_claim_durations_in_business_days(report):
    # Opening to end: 2, 5, 6, 6 → median 5.5, p90 6; takeover (Saturday) to decision (Tuesday): 2.
    assert report.claim_times().rows == [["De l'ouverture à la fin", 5.5, 6.0],
                                         ["De la prise en charge à la décision", 2.0, 2.0]]


def test_response_times_in_hours(report):
    # Sellers: 2, 5, 10 h → median 5, p90 9; help desk: first responses 1 and 3 h, one resolution in 24 h.
    assert report.response_times().rows == [
        ["Première réponse du vendeur à une réclamation", 5.0, 9.0],
        ["Première réponse du service client à une demande", 2.0, 2.8],
        ["Résolution d'une demande (jusqu'à sa clôture)", 24.0, 24.0],
    ]


def test_satisfaction_per_week_and_over_the_period(report):
    assert report.satisfaction().rows == [
        ["23/02/2026", 1, 1, 100.0],
        ["02/03/2026", 2, 1, 50.0],
        ["09/03/2026", 0, 0, None],
        ["16/03/2026", 0, 0, None],
    ]
    assert report.satisfaction_rate() == 66.7


def test_periods_start_on_a_monday_in_paris():
    assert reports.period_start(NOW, 4) == at(23, 0, month=2)
    assert reports.period_start(NOW, 12) == datetime(2025, 12, 29, 0, 0, tzinfo=PARIS)
    assert len(reports.Report(weeks=52, now=NOW).mondays) == 52
    with pytest.raises(ValueError):
        reports.Report(weeks=5, now=NOW)


def test_the_csv_has_the_tables_numbers(report):
    rows = list(csv.reader(io.StringIO(reports.render_csv(report.satisfaction()))))
    assert rows == [["Semaine du", "Réponses", "Satisfaits", "Taux de satisfaction (%)"],
                    ["23/02/2026", "1", "1", "100.0"], ["02/03/2026", "2", "1", "50.0"],
                    ["09/03/2026", "0", "0", ""], ["16/03/2026", "0", "0", ""]]


def test_the_charts_are_static_svg_with_the_same_numbers(report):
    for figure in report.figures():
        svg = reports.render_svg(figure)
        assert svg.startswith("<svg") and "<script" not in svg
    svg = reports.render_svg(report.endings())
    assert "Résolues entre les parties" in svg and "Décidées par le service client" in svg


@pytest.fixture
def agent(client):
    user = StaffFactory()
    client.force_login(user)
    return user


def test_the_reports_page_shows_every_table_with_its_chart_and_csv(client, agent, data, monkeypatch):
    monkeypatch.setattr(reports.Report, "__init__", _fixed_now(reports.Report.__init__))
    response = client.get(reverse("admin:claims_reports"), {"semaines": 4})
    assert response.status_code == 200
    html = response.content.decode()
    for key in reports.FIGURE_KEYS:
        assert f'href="{reverse("admin:claims_report_chart", args=[key])}?semaines=4"' in html
        assert f'href="{reverse("admin:claims_report_csv", args=[key])}?semaines=4"' in html
        assert f'<table data-figure="{key}">' in html
    assert '<span data-figure="satisfaction-rate">66,7 %</span>' in html
    assert "<td>5,5</td><td>6,0</td>" in html
    assert "<script>" not in html
    assert html.count('src="data:image/svg+xml;base64,') == len(reports.FIGURE_KEYS)
    chart = client.get(reverse("admin:claims_report_chart", args=["opened"]), {"semaines": 4})
    assert chart["Content-Type"] == "image/svg+xml" and b"<script" not in chart.content
    assert "script-src" not in chart["Content-Security-Policy"] and "'none'" in chart["Content-Security-Policy"]
    download = client.get(reverse("admin:claims_report_csv", args=["endings"]), {"semaines": 4})
    assert download["Content-Disposition"] == 'attachment; filename="rapport-endings-4-semaines.csv"'
    assert download.content.decode().splitlines()[1] == "23/02/2026,2,0,0"


def _fixed_now(init):
    def fixed(self, *, weeks, now):
        init(self, weeks=weeks, now=NOW)
    return fixed


def test_the_desk_links_to_the_reports(client, agent):
    assert reverse("admin:claims_reports") in client.get(reverse("admin:index")).content.decode()


def test_an_unknown_figure_or_period_does_not_fail(client, agent):
    assert client.get(reverse("admin:claims_report_chart", args=["nothing"])).status_code == 404
    assert client.get(reverse("admin:claims_reports"), {"semaines": "abc"}).status_code == 200


@pytest.mark.parametrize("who", ["anonymous", "buyer", "seller"])
def test_only_agents_reach_the_reports(client, roles, who):
    if who != "anonymous":
        client.force_login(roles[who])
    for url in (reverse("admin:claims_reports"), reverse("admin:claims_report_csv", args=["opened"])):
        assert client.get(url).status_code == 302


def test_the_reports_page_does_not_grow_in_queries_with_rows(client, agent):
    seller = SellerFactory()
    make_claim(order=make_order(seller=seller))
    client.get(reverse("admin:claims_reports"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("admin:claims_reports"))
    for _ in range(5):
        make_claim(order=make_order(seller=seller))
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("admin:claims_reports"))
    assert len(many) == len(one)


# --- past weeks rolled up once (claims/report_weeks.py) ----------------------------------------------------------

LATER = NOW + timedelta(weeks=12)  # the fixture's weeks are frozen by then (37 days after their end)


def _all_figures(report):
    return [(figure.key, figure.rows) for figure in report.figures()] + [("rate", report.satisfaction_rate())]


def test_frozen_weeks_are_rolled_up_once_and_give_the_live_figures(data, settings):
    from claims.models import ReportWeek

    settings.REPORT_WEEK_FROZEN_AFTER = timedelta(days=3650)  # every week live: the reference
    live = _all_figures(reports.Report(weeks=52, now=LATER))
    assert not ReportWeek.objects.exists()
    settings.REPORT_WEEK_FROZEN_AFTER = timedelta(days=37)
    first = _all_figures(reports.Report(weeks=52, now=LATER))
    assert ReportWeek.objects.count() == 52 - 6  # from the week of 4 May on (not 37 days past their end): live
    with CaptureQueriesContext(connection) as again:
        second = _all_figures(reports.Report(weeks=52, now=LATER))
    assert first == second == live
    assert ReportWeek.objects.count() == 46 and not any("INSERT" in q["sql"] for q in again.captured_queries)
    endings = dict(second)["endings"]
    assert ["23/02/2026", 2, 0, 0] in endings and ["09/03/2026", 0, 1, 1] in endings
    # Derived data: deleted, they are computed again, the same.
    ReportWeek.objects.all().delete()
    assert _all_figures(reports.Report(weeks=52, now=LATER)) == live


def test_a_week_is_never_frozen_before_the_appeal_window_has_closed(settings):
    from claims import report_weeks

    settings.REPORT_WEEK_FROZEN_AFTER = timedelta(days=1)
    monday = datetime(2026, 3, 2, tzinfo=PARIS).date()
    end = datetime(2026, 3, 9, 0, 0, tzinfo=PARIS)
    assert not report_weeks.is_frozen(monday, end + timedelta(days=settings.CLAIM_APPEAL_DAYS))
    assert report_weeks.is_frozen(monday, end + timedelta(days=settings.CLAIM_APPEAL_DAYS + 1))


def test_percentiles_by_buckets_are_those_of_every_row_sorted():
    import random

    from claims.aggregates import bucketed_percentiles, interpolated

    rng = random.Random(10)
    for size in (1, 2, 3, 10, 257):
        rows = [rng.randint(0, 50_000) for _ in range(size)]
        exact = interpolated(sorted(Counter(rows).items()), [0.5, 0.9, 0.0, 1.0])

        def values_in(buckets):
            found = {}
            for value in sorted(set(rows)):
                if value // 600 in buckets:
                    found.setdefault(value // 600, []).append((value, rows.count(value)))
            return found

        buckets = Counter(value // 600 for value in rows)
        assert bucketed_percentiles(buckets, [0.5, 0.9, 0.0, 1.0], values_in) == pytest.approx(exact)
    assert bucketed_percentiles({}, [0.5], values_in) == [None]


def test_the_first_agent_reply_is_stored_on_the_request_and_later_ones_do_not_move_it(data):
    from helpdesk.models import ContactRequest

    assert dict(ContactRequest.objects.values_list("email", "first_response_at")) == {
        "r1@example.com": at(2, 12), "r2@example.com": at(10, 11)}
