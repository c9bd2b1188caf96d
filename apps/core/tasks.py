"""Celery entry points owned by core: relaying the job outbox."""

from celery import shared_task

from apps.core.outbox import relay_pending


@shared_task(soft_time_limit=60, time_limit=120)
def relay_outbox() -> int:
    """Send outbox jobs the broker did not get (it was down) or lost; scheduled by beat."""
    return relay_pending()
