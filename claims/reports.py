"""The agents' weekly reports: aggregates by week over indexed columns, drawn as SVG (pygal) and given as tables and CSV.

A report covers the last 4, 12 or 52 weeks (Monday 00:00 Paris to now). Each figure is a `Figure`:
its columns and rows are what the page's table, the CSV and the chart all read, so the three agree.
The weekly figures come from claims/report_weeks.py (past weeks rolled up once, recent ones live); the
claims' durations are the business days stored when they end (claims/durations.py), the others in hours.
"""
import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from functools import cached_property

from django.db.models import Count, DurationField, Q
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from helpdesk.models import ContactRequest

from . import report_weeks
from .aggregates import bucketed_percentiles, duration, interpolated, percentiles
from .business_days import PARIS
from .models import Claim

PERIODS = (4, 12, 52)
DEFAULT_WEEKS = 12
ENDINGS = report_weeks.ENDINGS


@dataclass
class Figure:
    key: str
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    chart: str = "stacked_bar"  # or "bar", "line", "" (table only)
    unit: str = ""

    def series(self):
        """(name, values) per column after the first, for the chart."""
        return [(name, [row[index + 1] for row in self.rows]) for index, name in enumerate(self.columns[1:])]


def period_start(now: datetime, weeks: int) -> datetime:
    """Monday 00:00 (Paris) of the first of the last `weeks` weeks, the current one included."""
    today = now.astimezone(PARIS).date()
    monday = today - timedelta(days=today.weekday()) - timedelta(weeks=weeks - 1)
    return datetime.combine(monday, time.min, tzinfo=PARIS)


def week_starts(start: datetime, weeks: int) -> list:
    return [(start + timedelta(weeks=index)).date() for index in range(weeks)]


def _week_label(day) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def _hours(value) -> float | None:
    return None if value is None else round(value.total_seconds() / 3600, 1)


def _days(value) -> float | None:
    return None if value is None else round(float(value), 1)


class Report:
    def __init__(self, *, weeks: int, now: datetime):
        if weeks not in PERIODS:
            raise ValueError(f"weeks must be one of {PERIODS}")
        self.weeks, self.now = weeks, now
        self.start = period_start(now, weeks)
        self.mondays = week_starts(self.start, weeks)

    @cached_property
    def _weeks(self) -> dict:
        """Each week's figures (claims/report_weeks.py): rolled up for the past weeks, live for the recent ones."""
        return report_weeks.figures(self.mondays, now=self.now)

    def _total(self, name: str) -> Counter:
        total = Counter()
        for week in self._weeks.values():
            total.update(getattr(week, name))
        return total

    def opened_by_reason(self) -> Figure:
        reasons = list(Claim.Reason)
        figure = Figure("opened", _("Réclamations ouvertes par semaine, par motif"),
                        [_("Semaine du")] + [str(reason.label) for reason in reasons] + [_("Total")])
        for monday in self.mondays:
            values = [self._weeks[monday].opened[reason.value] for reason in reasons]
            figure.rows.append([_week_label(monday)] + values + [sum(values)])
        return figure

    def endings(self) -> Figure:
        figure = Figure("endings", _("Fin des réclamations par semaine"),
                        [_("Semaine du"), _("Résolues entre les parties"), _("Annulées par l'acheteur"),
                         _("Décidées par le service client")])
        for monday in self.mondays:
            counts = Counter()
            for (status, _end, _decision), n in self._weeks[monday].ended.items():
                counts[status] += n
            figure.rows.append([_week_label(monday)] + [counts[status] for status in ENDINGS])
        return figure

    def claim_times(self) -> Figure:
        # Stored on the claim when it ends (claims/durations.py): counted by value, then interpolated.
        to_end, to_decision = Counter(), Counter()
        for (status, end, decision), n in self._total("ended").items():
            if end is not None:
                to_end[end] += n
            if status == Claim.Status.DECIDED and decision is not None:
                to_decision[decision] += n
        figure = Figure("claim_times", _("Durée des réclamations (jours ouvrés)"),
                        [_("Mesure"), _("Médiane"), _("90e centile")], chart="bar", unit=_("jours ouvrés"))
        figure.rows = [
            [_("De l'ouverture à la fin"), *map(_days, interpolated(sorted(to_end.items()), [0.5, 0.9]))],
            [_("De la prise en charge à la décision"),
             *map(_days, interpolated(sorted(to_decision.items()), [0.5, 0.9]))],
        ]
        return figure

    def _seller_delays_in(self, buckets: list[int]) -> dict:
        """The exact delays of the sellers' first answers of the period in the given buckets (one query on the
        (seller_answer_seconds, seller_answered_at) index: a few narrow ranges)."""
        width = report_weeks.SELLER_BUCKET
        inside = Q(seller_answer_seconds__lt=0)  # no row: the query runs whatever the buckets
        for bucket in buckets:
            inside |= Q(seller_answer_seconds__gte=bucket * width, seller_answer_seconds__lt=(bucket + 1) * width)
        rows = (Claim.objects.filter(inside, seller_answered_at__gte=self.start, seller_answered_at__lte=self.now)
                .order_by().values_list("seller_answer_seconds").annotate(n=Count("*")).order_by("seller_answer_seconds"))
        values = {}
        for value, n in rows:
            values.setdefault(value // width, []).append((value, n))
        return values

    def response_times(self) -> Figure:
        # The sellers' first answers given in the period; the delay is stored with the answer (claims/durations.py).
        seller = bucketed_percentiles(self._total("seller"), [0.5, 0.9], self._seller_delays_in)
        seller = [None if value is None else timedelta(seconds=value) for value in seller]
        requests = ContactRequest.objects.filter(created_at__gte=self.start, created_at__lte=self.now)
        # The first agent reply is stored on the request when it is sent (helpdesk/services.py).
        first_response = percentiles(requests, duration("first_response_at", "created_at"), [0.5, 0.9],
                                     output_field=DurationField())
        resolution = percentiles(requests.filter(status=ContactRequest.Status.CLOSED),
                                 duration("updated_at", "created_at"), [0.5, 0.9], output_field=DurationField())
        figure = Figure("response_times", _("Délais de réponse (heures)"),
                        [_("Mesure"), _("Médiane"), _("90e centile")], chart="bar", unit=_("heures"))
        figure.rows = [
            [_("Première réponse du vendeur à une réclamation"), *map(_hours, seller)],
            [_("Première réponse du service client à une demande"), *map(_hours, first_response)],
            [_("Résolution d'une demande (jusqu'à sa clôture)"), *map(_hours, resolution)],
        ]
        return figure

    def satisfaction(self) -> Figure:
        figure = Figure("satisfaction", _("Satisfaction après résolution, par semaine"),
                        [_("Semaine du"), _("Réponses"), _("Satisfaits"), _("Taux de satisfaction (%)")],
                        chart="line")
        for monday in self.mondays:
            n, yes = self._weeks[monday].answers, self._weeks[monday].satisfied
            figure.rows.append([_week_label(monday), n, yes, round(100 * yes / n, 1) if n else None])
        return figure

    def satisfaction_rate(self) -> float | None:
        """The period's rate: satisfied answers over answers (the weeks' sums: the period is made of its weeks)."""
        n = sum(week.answers for week in self._weeks.values())
        yes = sum(week.satisfied for week in self._weeks.values())
        return round(100 * yes / n, 1) if n else None

    def figures(self) -> list[Figure]:
        return [self.opened_by_reason(), self.endings(), self.claim_times(), self.response_times(),
                self.satisfaction()]

    def figure(self, key: str) -> Figure:
        builders = {"opened": self.opened_by_reason, "endings": self.endings, "claim_times": self.claim_times,
                    "response_times": self.response_times, "satisfaction": self.satisfaction}
        if key not in builders:
            raise KeyError(key)
        return builders[key]()


FIGURE_KEYS = ("opened", "endings", "claim_times", "response_times", "satisfaction")

SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>|<script\b[^>]*/>", re.S)


def render_svg(figure: Figure) -> str:
    """The figure as a static SVG: pygal draws it, its script is removed (the page shows it as an <img>)."""
    import pygal
    from pygal.style import Style

    style = Style(background="white", plot_background="white", foreground="#222", foreground_strong="#000",
                  foreground_subtle="#666", font_family="system-ui, sans-serif",
                  colors=("#bf0000", "#1f6fb2", "#2e8540", "#e08a00", "#6b4fa3", "#555555"))
    options = dict(js=[], disable_xml_declaration=True, style=style, width=900, height=420, explicit_size=False,
                   legend_at_bottom=True, truncate_legend=-1, print_values=False, show_y_guides=True,
                   title=figure.title, no_data_text=_("Aucune donnée"))
    if figure.chart == "stacked_bar":
        chart = pygal.StackedBar(**options)
        series = figure.series()[:-1] if figure.columns[-1] == _("Total") else figure.series()
    elif figure.chart == "line":
        chart = pygal.Line(**options, range=(0, 100))
        series = [figure.series()[-1]]
    else:
        chart = pygal.Bar(**options)
        series = figure.series()
    chart.x_labels = [row[0] for row in figure.rows]
    if figure.chart == "bar":
        chart.x_label_rotation = 0
    elif len(figure.rows) > 12:
        chart.x_labels_major_every = 4
        chart.show_minor_x_labels = False
    for name, values in series:
        chart.add(str(name), values)
    return SCRIPT.sub("", chart.render(is_unicode=True))


def svg_data_uri(svg: str) -> str:
    """The SVG as an image address for <img src> (the CSP allows data: images, never data: scripts)."""
    import base64

    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def render_csv(figure: Figure) -> str:
    """The figure's table as CSV (comma separated, dot decimals: what a spreadsheet import expects)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([str(column) for column in figure.columns])
    for row in figure.rows:
        writer.writerow(["" if value is None else value for value in row])
    return out.getvalue()


def display(value) -> str:
    """A table cell in the reader's format."""
    if value is None:
        return "—"
    if isinstance(value, float):
        return number_format(value, decimal_pos=1)
    return str(value)


PERIOD_LABELS = {4: gettext_lazy("4 dernières semaines"), 12: gettext_lazy("12 dernières semaines"),
                 52: gettext_lazy("52 dernières semaines")}
