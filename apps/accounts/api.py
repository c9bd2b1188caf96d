"""Session sign-in for the browser app, and who am I: the current user and their roles."""

from django.contrib.auth import authenticate, login, logout
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_protect, ensure_csrf_cookie
from drf_spectacular.utils import extend_schema
from rest_framework import parsers, permissions, serializers
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from apps.accounts.roles import is_admin, is_reviewer
from apps.core.errors import ApplicationError
from apps.core.parsers import FormParser, JSONParser


class MeSerializer(serializers.Serializer):
    authenticated = serializers.BooleanField()
    username = serializers.CharField(allow_null=True)
    is_reviewer = serializers.BooleanField()
    is_admin = serializers.BooleanField()


def me(user) -> dict:
    return MeSerializer(
        {
            "authenticated": user.is_authenticated,
            "username": user.username if user.is_authenticated else None,
            "is_reviewer": is_reviewer(user),
            "is_admin": is_admin(user),
        }
    ).data


# Sets the CSRF cookie too, so a client served from elsewhere (the Vite dev server) can sign in.
@method_decorator(ensure_csrf_cookie, name="dispatch")
class MeView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(me(request.user))


class LoginSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False)


# DRF exempts its views from CSRF and checks it only for signed-in sessions; signing in is
# what creates the session, so the check is applied here explicitly.
@method_decorator(csrf_protect, name="dispatch")
class LoginView(APIView):
    """Sign in with a session cookie (the browser app); scripts use auth/token/ instead."""

    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []
    parser_classes = [JSONParser, FormParser, parsers.MultiPartParser]
    # Password guessing: a few tries a minute per client, shared with auth/token/.
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"

    @extend_schema(request=LoginSerializer, responses=MeSerializer)
    def post(self, request):
        data = LoginSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(request, **data.validated_data)
        if user is None:
            raise ApplicationError(
                "The username or password is not right.", code="invalid_credentials"
            )
        login(request, user)
        return Response(me(user))


# A token for username + password (scripts), throttled like the sign-in form. (A comment, not a
# docstring: a docstring would become the endpoint's description in the OpenAPI schema.)
class TokenView(ObtainAuthToken):
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"


@method_decorator(csrf_protect, name="dispatch")
class LogoutView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(request=None, responses=MeSerializer)
    def post(self, request):
        logout(request)
        return Response(me(request.user))
