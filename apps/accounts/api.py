"""Who am I: the current user and their roles, for clients deciding what to offer."""

from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.roles import is_admin, is_reviewer


class MeSerializer(serializers.Serializer):
    authenticated = serializers.BooleanField()
    username = serializers.CharField(allow_null=True)
    is_reviewer = serializers.BooleanField()
    is_admin = serializers.BooleanField()


class MeView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        user = request.user
        return Response(
            MeSerializer(
                {
                    "authenticated": user.is_authenticated,
                    "username": user.username if user.is_authenticated else None,
                    "is_reviewer": is_reviewer(user),
                    "is_admin": is_admin(user),
                }
            ).data
        )
