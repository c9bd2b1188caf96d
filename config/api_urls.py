"""The REST API's routes, one router over every app's viewsets."""

from django.urls import path
from rest_framework.routers import DefaultRouter

router = DefaultRouter()

urlpatterns = [*router.urls]
