"""Helpers shared by the approve-stage tests: small batches, odd signers and manifest rewrites."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from asn1crypto import cms
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from cbccvc.messages import Language, render
from cbccvc.models import BatchKeys, sha256_hex
from cbccvc.signing.algorithms import SignatureAlgorithm, SignatureScheme
from cbccvc.signing.cms import Signer
from cbccvc_local.pipeline import LocalPipeline

CSV_HEADER = "Họ và tên,Ngày sinh,Giới tính,Số định danh cá nhân,Mã đơn vị"
UNIT_CODE = "000.00.01.H46"


def small_batch(pipeline: LocalPipeline, index: int, size: int = 2) -> str:
    """Upload a CSV export of ``size`` sample people (a different slice per ``index``); return the batch id."""
    people = pipeline.emulator.store.dump()["population"][index * size:(index + 1) * size]
    assert len(people) == size
    rows = [CSV_HEADER]
    for person in people:
        year, month, day = person["birth_date"].split("-")
        gender = "Nam" if person["gender"] == "male" else "Nữ"
        rows.append(f"{person['full_name']},{day}/{month}/{year},{gender},{person['personal_id']},{UNIT_CODE}")
    data = ("\r\n".join(rows) + "\r\n").encode("utf-8-sig")
    outcome = pipeline.upload_export(data, f"lo-nho-{index}.csv")
    assert outcome["state"] == "validated", outcome
    batch_id: str = outcome["batch_id"]
    return batch_id


def rewrite_manifest(pipeline: LocalPipeline, batch_id: str, change: Callable[[dict[str, Any]], None]) -> bytes:
    """Change the stored manifest and the hash the batch records for it, as someone with write access could."""
    keys = BatchKeys(pipeline.agency_code, batch_id)
    document = json.loads(pipeline.manifest(batch_id))
    change(document)
    data = json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    pipeline.store.put(keys.manifest, data)
    pipeline.state.update_batch(batch_id, {"manifest_sha256": sha256_hex(data)})
    return data


def recorded_rejection(pipeline: LocalPipeline, batch_id: str) -> str:
    """Return the rejection code on the batch, after checking it is an approval rejection that renders."""
    batch = pipeline.batch(batch_id)
    assert batch["state"] == "rejected"
    rejection = batch["rejection"]
    assert rejection["stage"] == "approval"
    assert render(rejection["code"], Language.VI, **rejection["params"])
    code: str = rejection["code"]
    return code


class WeakDigestSigner:
    """A signer that hashes with a weak digest, as old software did; KeySigner refuses to."""

    def __init__(self, inner: Signer, key: rsa.RSAPrivateKey, digest: str) -> None:
        self._inner = inner
        self._key = key
        self._algorithm = SignatureAlgorithm(digest, SignatureScheme.RSASSA_PKCS1V15)

    @property
    def certificate(self) -> x509.Certificate:
        return self._inner.certificate

    @property
    def chain(self) -> Sequence[x509.Certificate]:
        return self._inner.chain

    @property
    def algorithm(self) -> SignatureAlgorithm:
        return self._algorithm

    def sign_digest_input(self, data: bytes) -> bytes:
        weak_hash = {"sha1": hashes.SHA1(), "md5": hashes.MD5()}[self._algorithm.digest]  # noqa: S303
        return self._key.sign(data, padding.PKCS1v15(), weak_hash)


def merge_signers(first: bytes, second: bytes) -> bytes:
    """Return ``first`` with the certificates and SignerInfos of ``second`` added."""
    info = cms.ContentInfo.load(first)
    other = cms.ContentInfo.load(second)["content"]
    signed_data = info["content"]
    signed_data["certificates"] = [*signed_data["certificates"], *other["certificates"]]
    signed_data["signer_infos"] = [*signed_data["signer_infos"], *other["signer_infos"]]
    return cms.ContentInfo({"content_type": "signed_data", "content": signed_data}).dump(force=True)
