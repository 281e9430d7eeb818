"""Websocket routes of the live chat (mounted by rakuten_portal/asgi.py)."""
websocket_urlpatterns = []
