"""{% language_fragment %} writes what {% include %} wrote, in each language, and keeps one copy per language."""
import pytest
from django.template import Context, Template
from django.utils import translation

from rakuten_portal.templatetags import navbar_tags

INCLUDE = Template('{% include "partials/footer.html" %}')
FRAGMENT = Template('{% load navbar_tags %}{% language_fragment "partials/footer.html" %}')


@pytest.mark.parametrize("language", ["fr", "en", "fr"])
def test_the_footer_is_the_include_in_each_language(language):
    with translation.override(language):
        assert FRAGMENT.render(Context()) == INCLUDE.render(Context())
        assert FRAGMENT.render(Context()) == INCLUDE.render(Context())  # the kept copy


def test_the_two_languages_are_kept_apart():
    with translation.override("fr"):
        french = FRAGMENT.render(Context())
    with translation.override("en"):
        english = FRAGMENT.render(Context())
    assert "Nous contacter" in french and "Nous contacter" not in english
    assert {key[1] for key in navbar_tags._fragments} >= {"fr", "en"}
