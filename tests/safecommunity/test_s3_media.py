"""Media on S3-compatible object storage (S3_BUCKET; MinIO in docker-compose.yml), against a
local S3 server (moto's server mode on a free port): evidence uploaded through the portal is an
object in a private bucket, downloaded back only through the portal's scope-checked view, a
published briefing's PDF too, and ``backup`` carries the bucket's objects (restored into it)."""

import hashlib
import socket
import tarfile

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from projects.models import Evidence
from reports import services
from safecommunity import backups
from tests.incidents.factories import IncidentFactory, aware

BUCKET = "sc-media-test"
KEYS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing-secret"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def s3(settings):
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", **KEYS)
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": endpoint,
                "access_key": KEYS["aws_access_key_id"],
                "secret_key": KEYS["aws_secret_access_key"],
                "region_name": "us-east-1",
                "location": "media",
                "addressing_style": "path",
                "default_acl": "private",
                "querystring_auth": True,
                "file_overwrite": False,
            },
        },
    }
    yield client
    server.stop()


def _objects(client) -> dict[str, bytes]:
    listed = client.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    return {o["Key"]: client.get_object(Bucket=BUCKET, Key=o["Key"])["Body"].read() for o in listed}


def test_evidence_and_published_pdfs_live_in_the_bucket_and_are_served_only_by_the_portal(
    client, world, s3, tmp_path, settings
):
    client.force_login(world.users["township1"])
    content = b"%PDF-1.4 evidence " + b"x" * 2000
    response = client.post(
        reverse("projects:evidence_create"),
        {
            "title": "防溺水宣传材料",
            "kind": "document",
            "dated": "2026-03-01",
            "file": SimpleUploadedFile("材料.pdf", content, content_type="application/pdf"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    evidence = Evidence.objects.get(title="防溺水宣传材料")
    stored = _objects(s3)
    assert stored == {f"media/{evidence.file.name}": content}  # in the bucket, nothing under MEDIA_ROOT
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]  # MEDIA_ROOT (in tmp_path) stays empty
    grants = s3.get_object_acl(Bucket=BUCKET, Key=f"media/{evidence.file.name}")["Grants"]
    assert [g["Permission"] for g in grants] == ["FULL_CONTROL"]  # private: the owner alone

    # Downloaded back through the portal's own view, after its scope check (never a bucket URL).
    url = reverse("projects:evidence_file", args=[evidence.pk])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == content
    client.force_login(world.users["township2"])
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the login page, not to the bucket
    assert "127.0.0.1" not in client.get(url)["Location"]

    # A published briefing's PDF: written to the bucket, served with its frozen SHA-256.
    IncidentFactory(village=world.village1, occurred_at=aware(2026, 3, 10), deaths=1)
    briefing, _ = services.briefing_generate(township=world.township1, year=2026, month=3)
    briefing = services.briefing_publish(briefing=briefing, user=world.users["township1"])
    assert f"media/{briefing.pdf.name}" in _objects(s3)
    client.force_login(world.users["township1"])
    response = client.get(reverse("reports:briefing_pdf", args=[briefing.pk]))
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert hashlib.sha256(body).hexdigest() == briefing.pdf_sha256

    # The backup carries every object of the bucket, and a restore puts them back.
    before = _objects(s3)
    archive = tmp_path / "media.tar"
    storage = backups._media_storage()
    assert storage is not None and backups._media_description(storage) == f"s3://{BUCKET}/media"
    assert backups._tar_storage(storage, archive) == len(before) == 2
    with tarfile.open(archive) as tar:
        assert sorted(tar.getnames()) == sorted(k.removeprefix("media/") for k in before)
    s3.put_object(Bucket=BUCKET, Key="media/stray/after-the-backup.txt", Body=b"later")
    s3.delete_object(Bucket=BUCKET, Key=f"media/{evidence.file.name}")
    assert backups._replace_storage(archive, storage) == 2
    assert _objects(s3) == before
