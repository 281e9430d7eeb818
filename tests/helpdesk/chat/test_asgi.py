"""The site under ASGI (daphne, uvicorn): the same pages as under WSGI, and daphne's runserver."""
import pytest
from channels.testing import HttpCommunicator
from django.conf import settings

from rakuten_portal.asgi import application


def test_daphne_serves_runserver_and_the_asgi_app_is_set():
    assert settings.INSTALLED_APPS[0] == "daphne"
    assert settings.ASGI_APPLICATION == "rakuten_portal.asgi.application"


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("path", ["/", "/aide/", "/aide/nous-contacter/", "/aide/service-client/"])
async def test_pages_render_through_the_asgi_application(path):
    communicator = HttpCommunicator(application, "GET", path, headers=[(b"host", b"127.0.0.1")])
    response = await communicator.get_response(timeout=10)
    assert response["status"] == 200
    assert b"</html>" in response["body"]


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_a_missing_page_is_the_portal_404_under_asgi():
    communicator = HttpCommunicator(application, "GET", "/nulle-part/", headers=[(b"host", b"127.0.0.1")])
    response = await communicator.get_response(timeout=10)
    assert response["status"] == 404
