"""The portal's Redis cache backend: Django's own, one client object per pool (rakuten_portal/cache.py)."""
import os
import uuid

import pytest

from rakuten_portal.cache import PortalRedisCache

BROKER = os.environ.get("CELERY_BROKER_URL", "")
pytestmark = pytest.mark.skipif(not BROKER.startswith("redis://"), reason="needs a Redis (CELERY_BROKER_URL)")


def test_the_backend_reuses_one_client_and_behaves_like_djangos():
    cache = PortalRedisCache(BROKER, {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})
    try:
        assert cache.add("counter", 1) and not cache.add("counter", 5)
        assert cache.incr("counter") == 2
        cache.set_many({"a": {"x": 1}, "b": "é"})
        assert cache.get_many(["a", "b", "missing"]) == {"a": {"x": 1}, "b": "é"}
        assert cache._cache.get_client() is cache._cache.get_client()
        assert cache._cache.get_client(write=True) is cache._cache.get_client()  # one server: one pool
    finally:
        cache.delete_many(["counter", "a", "b"])
