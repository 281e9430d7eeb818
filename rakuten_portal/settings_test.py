"""Settings for the test suite: the real settings with test-only defaults from the environment."""
import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-not-for-production-0123456789")
os.environ.setdefault("CACHE_URL", "locmemcache://")
os.environ.setdefault("CELERY_BROKER_URL", "memory://")
os.environ.setdefault("EMAIL_URL", "consolemail://")

from .settings import *  # noqa: E402,F403

MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = False
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
# WhiteNoise warns at start-up when the collected-static folder is missing.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
# On a Redis channel layer (CHANNEL_LAYER_URL), each test process has keys and Pub/Sub channels of its own
# (CHANNEL_LAYER_PREFIX in production): the chat's groups have fixed names (chat.agents, chat.queue,
# chat.conv.<id>), so two pytest-xdist workers (or two runs on one Redis, whatever their db numbers) would
# otherwise carry one's queue lists and messages to the other's sockets.
if "CONFIG" in CHANNEL_LAYERS["default"]:  # noqa: F405
    CHANNEL_LAYERS["default"]["CONFIG"]["prefix"] = (  # noqa: F405
        f"test-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-{os.getpid()}")
