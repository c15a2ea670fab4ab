"""Object storage port and its S3 adapter.

Stages exchange files only through this port, so tests can pass an S3 client backed by moto.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from botocore.exceptions import ClientError


class ObjectNotFoundError(LookupError):
    def __init__(self, key: str) -> None:
        super().__init__(f"object not found: {key}")
        self.key = key


@dataclass(frozen=True, slots=True)
class StoredObject:
    key: str
    size: int
    etag: str


class ObjectStore(Protocol):
    def get(self, key: str) -> bytes: ...

    def put(self, key: str, data: bytes, *, content_type: str = "application/octet-stream") -> None: ...

    def exists(self, key: str) -> bool: ...

    def head(self, key: str) -> StoredObject: ...

    def list(self, prefix: str) -> Iterator[StoredObject]: ...


class S3ObjectStore:
    """ObjectStore over one S3 bucket, with server-side encryption on every write."""

    def __init__(self, s3_client: Any, bucket: str) -> None:
        self._s3 = s3_client
        self.bucket = bucket

    def get(self, key: str) -> bytes:
        try:
            response = self._s3.get_object(Bucket=self.bucket, Key=key)
        except ClientError as error:
            if error.response["Error"]["Code"] in {"NoSuchKey", "404"}:
                raise ObjectNotFoundError(key) from error
            raise
        body: bytes = response["Body"].read()
        return body

    def put(self, key: str, data: bytes, *, content_type: str = "application/octet-stream") -> None:
        self._s3.put_object(
            Bucket=self.bucket, Key=key, Body=data, ContentType=content_type, ServerSideEncryption="aws:kms"
        )

    def exists(self, key: str) -> bool:
        try:
            self.head(key)
        except ObjectNotFoundError:
            return False
        return True

    def head(self, key: str) -> StoredObject:
        try:
            response = self._s3.head_object(Bucket=self.bucket, Key=key)
        except ClientError as error:
            if error.response["Error"]["Code"] in {"NoSuchKey", "404", "NotFound"}:
                raise ObjectNotFoundError(key) from error
            raise
        return StoredObject(key=key, size=response["ContentLength"], etag=response["ETag"].strip('"'))

    def list(self, prefix: str) -> Iterator[StoredObject]:
        paginator = self._s3.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=prefix):
            for item in page.get("Contents", []):
                yield StoredObject(key=item["Key"], size=item["Size"], etag=item["ETag"].strip('"'))
