"""Settings for pytest: the database and broker still come from the environment."""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-secret-key-not-used-anywhere-else-0123456789"
# Hashing cost is not what the tests measure.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}

# The throttles stay on, but the suite's permission and bad-input matrices send hundreds of
# requests a minute from one client: counting them is tests/accounts/test_throttling.py's job,
# which sets small rates itself. (DRF reads the rates once, at import, so they are set here.)
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"anon": "100000/min", "user": "100000/min", "login": "100000/min"},
}
# Throttle counters in this process's memory, whatever CACHE_URL says; tests clear it.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# A message taken by a worker that died before acknowledging it goes back to the queue after
# this long (tests/faults kills workers): short, yet longer than any countdown or job the tests
# send; each worker looks for such messages every second.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 10,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
