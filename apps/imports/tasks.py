"""Celery entry points for imports too large to run inside a request."""

from celery import shared_task

from apps.core.outbox import run_job
from apps.imports.services import IMPORT_TASK, import_job_run


@shared_task(name=IMPORT_TASK, acks_late=True, soft_time_limit=300, time_limit=360)
def run_import_job_task(key: str) -> bool:
    """Run a queued ImportJob (the key is its id); its errors are recorded on the job."""
    return run_job(IMPORT_TASK, key, lambda k: import_job_run(job_id=int(k)))
