"""Websocket routes of the live chat (mounted by rakuten_portal/asgi.py)."""
from django.urls import path

from . import consumers

websocket_urlpatterns = [
    path("ws/chat/", consumers.VisitorConsumer.as_asgi()),
    path("ws/chat/agent/", consumers.AgentConsumer.as_asgi()),
]
