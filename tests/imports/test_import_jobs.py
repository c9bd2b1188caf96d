"""Background imports through the API: the job, its stages, and its errors."""

import pytest

from apps.imports.models import ImportJob

pytestmark = pytest.mark.django_db

PASTED = "A post about outer alignment.\n\nA reply that reads it differently.\n\nA third view."


def test_background_import_answers_202_with_a_job_that_finishes(
    alice, api_client_for, django_capture_on_commit_callbacks
):
    client = api_client_for(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/threads/import/",
            {"content": PASTED, "format": "text", "background": True},
            format="json",
        )
    assert response.status_code == 202, response.json()
    job_id = response.json()["id"]

    job = client.get(f"/api/import-jobs/{job_id}/").json()
    assert (job["status"], job["stage"], job["comments_total"]) == ("done", "done", 3)
    assert job["result"]["comments_created"] == 3
    assert client.get(f"/api/threads/{job['thread']}/").json()["comment_count"] == 3


def test_a_failed_background_import_says_why(
    alice, api_client_for, django_capture_on_commit_callbacks
):
    client = api_client_for(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/threads/import/",
            {"content": '{"data": {"post": ', "format": "forummagnum", "background": True},
            format="json",
        )
    job = client.get(f"/api/import-jobs/{response.json()['id']}/").json()
    assert job["status"] == "failed"
    assert "not valid JSON" in job["error"]["message"]
    assert ImportJob.objects.get().content == ""


def test_jobs_are_private_to_their_user(alice, bob, api_client_for, anon_client):
    job = ImportJob.objects.create(created_by=alice, workspace_id=1, content="x")
    assert api_client_for(bob).get(f"/api/import-jobs/{job.id}/").status_code == 404
    assert anon_client.get("/api/import-jobs/").status_code == 401
    assert api_client_for(alice).get("/api/import-jobs/").json()["count"] == 1
