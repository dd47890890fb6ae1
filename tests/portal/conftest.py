"""Fixtures for the production tests: a real S3-compatible server, and the settings that put
the portal's uploads in its bucket."""

import socket

import boto3
import pytest
from moto.server import ThreadedMotoServer

BUCKET = "partnerportal-test"
CREDENTIALS = {"STORAGE_ACCESS_KEY_ID": "testing", "STORAGE_SECRET_ACCESS_KEY": "testing"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def s3_server():
    """moto in server mode: an S3 API over real HTTP on 127.0.0.1, as the portal's boto3
    client meets Google Cloud Storage's or any other S3-compatible service."""
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_server):
    """An empty bucket for one test; the environment that points the portal at it."""
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    name = f"{BUCKET}-{free_port()}"
    client.create_bucket(Bucket=name)
    environment = {
        "STORAGE_BUCKET": name,
        "STORAGE_ENDPOINT_URL": s3_server,
        "STORAGE_REGION": "us-east-1",
        **CREDENTIALS,
    }
    yield client, name, environment


def bucket_storages(environment) -> dict:
    """STORAGES as portal/settings.py builds them from `environment`."""
    options = {
        "bucket_name": environment["STORAGE_BUCKET"],
        "endpoint_url": environment["STORAGE_ENDPOINT_URL"],
        "region_name": environment["STORAGE_REGION"],
        "access_key": environment["STORAGE_ACCESS_KEY_ID"],
        "secret_key": environment["STORAGE_SECRET_ACCESS_KEY"],
        "default_acl": None,
        "file_overwrite": False,
        "querystring_auth": True,
        "querystring_expire": 60,
        "signature_version": "s3v4",
    }
    return {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": options | {"location": "media"},
        },
        "private": {
            "BACKEND": "portal.buckets.PrivateBucketStorage",
            "OPTIONS": options | {"location": "private"},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def in_bucket(bucket, settings):
    """The portal's uploads in the bucket for this test (as STORAGE_BUCKET would set)."""
    client, name, environment = bucket
    settings.STORAGES = bucket_storages(environment)
    return client, name


def keys(client, name, prefix="") -> list[str]:
    listing = client.list_objects_v2(Bucket=name, Prefix=prefix)
    return sorted(item["Key"] for item in listing.get("Contents", []))
