"""Helpers shared by the approve-stage tests: small batches, odd signers and manifest rewrites."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from asn1crypto import cms
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from cbccvc.messages import Language, render
from cbccvc.models import BatchKeys, sha256_hex
from cbccvc.signing.algorithms import SignatureAlgorithm, SignatureScheme
from cbccvc.signing.cms import Signer
from cbccvc_local.certificates import CA_KEY_USAGE, IssuedCertificate
from cbccvc_local.pipeline import LocalPipeline
from cbccvc_local.pki import DemoPki

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


def add_certificates(signature: bytes, certificates: Sequence[x509.Certificate], *, first: bool = False) -> bytes:
    """Return ``signature`` with more certificates in its SignedData (before its own when ``first``)."""
    info = cms.ContentInfo.load(signature)
    signed_data = info["content"]
    extra = [cms.CertificateChoices({"certificate": cms.Certificate.load(
        certificate.public_bytes(serialization.Encoding.DER))}) for certificate in certificates]
    own = list(signed_data["certificates"])
    signed_data["certificates"] = [*extra, *own] if first else [*own, *extra]
    return cms.ContentInfo({"content_type": "signed_data", "content": signed_data}).dump(force=True)


def resign(signature: bytes, signer: Signer, change: Callable[[cms.SignerInfo, cms.SignedData], None]) -> bytes:
    """Apply ``change`` to the SignerInfo and SignedData, then sign the (changed) signed attributes again."""
    info = cms.ContentInfo.load(signature)
    signed_data = info["content"]
    signer_info = signed_data["signer_infos"][0]
    change(signer_info, signed_data)
    signer_info["signature"] = signer.sign_digest_input(signer_info["signed_attrs"].untag().dump(force=True))
    return cms.ContentInfo({"content_type": "signed_data", "content": signed_data}).dump(force=True)


def replace_attribute(name: str, value: object) -> Callable[[cms.SignerInfo, cms.SignedData], None]:
    """Return a change for ``resign`` that sets the signed attribute ``name`` (added when absent) to ``value``."""

    def change(signer_info: cms.SignerInfo, signed_data: cms.SignedData) -> None:
        attributes = [attribute for attribute in signer_info["signed_attrs"] if attribute["type"].native != name]
        signer_info["signed_attrs"] = cms.CMSAttributes([*attributes, {"type": name, "values": [value]}])

    return change


def same_name_issuers(issuing_ca: IssuedCertificate, count: int) -> list[x509.Certificate]:
    """Self-issued CA certificates that copy the issuing CA's name, without key identifiers to tell them apart.

    Each one is a candidate issuer of the signer and of every other one, so path building would try
    every order of them.
    """
    now = datetime.now(UTC)
    issuers = []
    for _ in range(count):
        key = ec.generate_private_key(ec.SECP256R1())
        builder = (
            x509.CertificateBuilder()
            .subject_name(issuing_ca.certificate.subject)
            .issuer_name(issuing_ca.certificate.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(hours=1))
            .not_valid_after(now + timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        )
        issuers.append(builder.sign(key, hashes.SHA256()))
    return issuers


def forged_issuing_ca(pki: DemoPki) -> IssuedCertificate:
    """A CA certificate that copies the demo issuing CA's name and names the demo root, key identifier included,
    as its issuer, but is signed by its own key."""
    root = pki.load_roots()[0]
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(UTC)
    root_key_id = root.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    certificate = (
        x509.CertificateBuilder()
        .subject_name(pki.load_issuing_ca().certificate.subject)
        .issuer_name(root.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(hours=1))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(CA_KEY_USAGE, critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(root_key_id), critical=False)
        .sign(key, hashes.SHA256())
    )
    return IssuedCertificate(certificate, key)


def notice(pipeline: LocalPipeline, batch_id: str) -> dict[str, Any]:
    """Return the batch's approval notice, ket-qua-phe-duyet.json."""
    result: dict[str, Any] = json.loads(pipeline.store.get(BatchKeys(pipeline.agency_code, batch_id).approval_result))
    return result
