"""get_FOO_display() with the choices' dictionary kept per field (rakuten_portal/choices_display.py)."""
from django.utils import translation

from claims.models import Claim, Notification
from orders.models import Order
from rakuten_portal import choices_display


def test_every_display_method_of_our_models_is_the_cached_one_and_says_what_django_said():
    notice = Notification(kind=Notification.Kind.MESSAGE)
    for language in ("fr", "en"):
        with translation.override(language):
            for instance, field_name in ((notice, "kind"), (Claim(reason="damaged"), "reason"),
                                         (Order(status=Order.Status.SHIPPED), "status")):
                field = instance._meta.get_field(field_name)
                assert getattr(instance, f"get_{field_name}_display")() == \
                    choices_display._django_get_field_display(instance, field)
    assert Notification(kind="no-such-kind").get_kind_display() == "no-such-kind"  # unknown: the value itself


def test_the_labels_follow_the_active_language_at_each_call():
    order = Order(status=Order.Status.SHIPPED)
    with translation.override("fr"):
        french = order.get_status_display()
    with translation.override("en"):
        english = order.get_status_display()
    assert french != english  # the cached label is lazy: translated in the language of each call
    with translation.override("fr"):
        assert order.get_status_display() == french == str(Order.Status.SHIPPED.label)
    with translation.override("en"):
        assert order.get_status_display() == english == str(Order.Status.SHIPPED.label)


def test_new_choices_on_a_field_are_read_again():
    field = Order._meta.get_field("status")
    saved = field.choices
    try:
        field.choices = [("shipped", "Parti")]
        assert Order(status="shipped").get_status_display() == "Parti"
    finally:
        field.choices = saved
    assert Order(status="shipped").get_status_display() != "Parti"
