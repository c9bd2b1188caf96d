"""Settings for a deployment behind TLS; refuses to start without a real secret key."""

from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_str

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = env_str("SECRET_KEY")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be set to a random string of 50+ characters")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
# Nosniff, Referrer-Policy, X-Frame-Options and the CSP are in base: every environment has them.

# SECURE_PROXY_SSL_HEADER above trusts one proxy in front; its X-Forwarded-For entry is then the
# client that the anonymous and login throttles count.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "NUM_PROXIES": env_int("NUM_PROXIES", 1),
    # JSON only: DRF's browsable pages carry inline styles and an onclick that the CSP refuses;
    # /api/docs/ is the documentation people browse.
    "DEFAULT_RENDERER_CLASSES": ["drf_orjson_renderer.renderers.ORJSONRenderer"],
}
