"""Attacks on the approval step: each must be rejected through the real approve handler on moto,
with its reason code recorded on the batch.

Every case gets its own small batch in one shared local stack, signs (or forges) an approval and
uploads it to ``approvals/{agency}/{batch}/``, as an approver would.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from asn1crypto import algos, cms, tsp
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12

from cbccvc.approval.registry import approver_entry
from cbccvc.models import BatchKeys
from cbccvc.signing.cms import KeySigner, sign_detached
from cbccvc.signing.verification import MAX_EMBEDDED_CERTIFICATES, MAX_SIGNATURE_BYTES
from cbccvc_local.certificates import TestCertificateKind, make_crl, make_test_certificate
from cbccvc_local.pipeline import (
    DEFAULT_AGENCY_NAME,
    LocalPipeline,
    load_sample_population,
    load_sample_units,
    running_pipeline,
)
from cbccvc_local.pki import DemoPki, ensure_demo_pki
from tests.integration.approval_support import (
    WeakDigestSigner,
    add_certificates,
    forged_issuing_ca,
    merge_signers,
    notice,
    recorded_rejection,
    replace_attribute,
    resign,
    rewrite_manifest,
    same_name_issuers,
    small_batch,
)

pytestmark = pytest.mark.integration

# Batches made only to be signed or replayed by another case use slices from this index on.
SPARE_INDEX = 100


@pytest.fixture(scope="module")
def stage(demo_pki: DemoPki, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalPipeline]:
    log_path = tmp_path_factory.mktemp("attacks") / "lambda.log"
    with running_pipeline(population=load_sample_population(), pki_directory=demo_pki.directory,
                          log_path=log_path) as running:
        running.register_agency(DEFAULT_AGENCY_NAME, load_sample_units())
        running.trust_demo_pki()
        yield running


def _issued(pipeline: LocalPipeline, kind: TestCertificateKind) -> KeySigner:
    issuing = pipeline.pki.load_issuing_ca()
    issued = make_test_certificate(kind, issuing, crl_url=pipeline.pki.issuing_crl_url)
    return issued.signer(chain=[issuing.certificate])


def _approver_key(pipeline: LocalPipeline) -> rsa.RSAPrivateKey:
    key, _, _ = pkcs12.load_key_and_certificates(pipeline.pki.approver_p12.read_bytes(), pipeline.pki.password.encode())
    assert isinstance(key, rsa.RSAPrivateKey)
    return key


def _registered(pipeline: LocalPipeline, signer: KeySigner, agency: str = "H46", **window: datetime) -> KeySigner:
    pipeline.state.put_approver(agency, approver_entry(signer.certificate, **window), actor="test")
    return signer


# --- The attacks: each returns the signature bytes to upload for the batch ---

def tampered_manifest(pipeline: LocalPipeline, batch_id: str) -> bytes:
    changed = pipeline.manifest(batch_id).replace(b'"record_count":2', b'"record_count":3')
    pipeline.store.put(BatchKeys("H46", batch_id).manifest, changed)
    return sign_detached(changed, pipeline.pki.approver_signer())


def records_changed(pipeline: LocalPipeline, batch_id: str) -> bytes:
    signature = sign_detached(pipeline.manifest(batch_id), pipeline.pki.approver_signer())
    keys = BatchKeys("H46", batch_id)
    pipeline.store.put(keys.records, pipeline.store.get(keys.records) + b"\n")
    return signature


def certificate_of(kind: TestCertificateKind) -> Callable[[LocalPipeline, str], bytes]:
    def attack(pipeline: LocalPipeline, batch_id: str) -> bytes:
        return sign_detached(pipeline.manifest(batch_id), _registered(pipeline, _issued(pipeline, kind)))

    return attack


def revoked_certificate(pipeline: LocalPipeline, batch_id: str) -> bytes:
    return sign_detached(pipeline.manifest(batch_id), _registered(pipeline, pipeline.pki.revoked_approver_signer()))


def untrusted_root(pipeline: LocalPipeline, batch_id: str) -> bytes:
    other = ensure_demo_pki(Path(tempfile.mkdtemp(prefix="other-pki-")))
    return sign_detached(pipeline.manifest(batch_id), _registered(pipeline, other.approver_signer()))


def authorised_for_other_agency(pipeline: LocalPipeline, batch_id: str) -> bytes:
    signer = _registered(pipeline, _issued(pipeline, TestCertificateKind.VALID), agency="H01")
    return sign_detached(pipeline.manifest(batch_id), signer)


def authorisation_ended(pipeline: LocalPipeline, batch_id: str) -> bytes:
    now = datetime.now(UTC)
    signer = _registered(pipeline, _issued(pipeline, TestCertificateKind.VALID),
                         valid_from=now - timedelta(days=30), valid_until=now - timedelta(days=1))
    return sign_detached(pipeline.manifest(batch_id), signer)


def replayed_from_other_batch(pipeline: LocalPipeline, batch_id: str) -> bytes:
    other = small_batch(pipeline, SPARE_INDEX)
    return sign_detached(pipeline.manifest(other), pipeline.pki.approver_signer())


def nonce_used_before(pipeline: LocalPipeline, batch_id: str) -> bytes:
    # A batch approved earlier used a nonce; this batch's manifest is made to carry the same one.
    earlier = small_batch(pipeline, SPARE_INDEX + 1)
    assert pipeline.sign_and_upload(earlier)["state"] == "approved"
    earlier_nonce = _nonce(pipeline, earlier)
    manifest = rewrite_manifest(pipeline, batch_id, lambda document: document.update(nonce=earlier_nonce))
    return sign_detached(manifest, pipeline.pki.approver_signer())


def manifest_of_other_batch(pipeline: LocalPipeline, batch_id: str) -> bytes:
    other = _document(pipeline, small_batch(pipeline, SPARE_INDEX + 2))
    manifest = rewrite_manifest(pipeline, batch_id, lambda document: document.update(other))
    return sign_detached(manifest, pipeline.pki.approver_signer())


def expired_manifest(pipeline: LocalPipeline, batch_id: str) -> bytes:
    past = (datetime.now(UTC) - timedelta(minutes=1)).isoformat().replace("+00:00", "Z")
    manifest = rewrite_manifest(pipeline, batch_id, lambda document: document.update(expires_at=past))
    return sign_detached(manifest, pipeline.pki.approver_signer())


def sha1_digest(pipeline: LocalPipeline, batch_id: str) -> bytes:
    signer = WeakDigestSigner(pipeline.pki.approver_signer(), _approver_key(pipeline), "sha1")
    return sign_detached(pipeline.manifest(batch_id), signer)


def truncated(pipeline: LocalPipeline, batch_id: str) -> bytes:
    signature = sign_detached(pipeline.manifest(batch_id), pipeline.pki.approver_signer())
    return signature[: len(signature) // 2]


def garbage(pipeline: LocalPipeline, batch_id: str) -> bytes:
    return b"\x30\x82\x01\x00" + b"not a signature" * 16


def other_content(pipeline: LocalPipeline, batch_id: str) -> bytes:
    return sign_detached(b'{"batch_id":"khac"}', pipeline.pki.approver_signer())


def one_bad_signer(pipeline: LocalPipeline, batch_id: str) -> bytes:
    manifest = pipeline.manifest(batch_id)
    good = sign_detached(manifest, pipeline.pki.approver_signer())
    bad = sign_detached(manifest, _registered(pipeline, pipeline.pki.revoked_approver_signer()))
    return merge_signers(good, bad)


def too_large(pipeline: LocalPipeline, batch_id: str) -> bytes:
    return sign_detached(pipeline.manifest(batch_id), pipeline.pki.approver_signer()) + b"\x00" * MAX_SIGNATURE_BYTES


def same_name_issuer_flood(pipeline: LocalPipeline, batch_id: str) -> bytes:
    # Ten candidate issuers with one name would make path building try 10! orders (minutes, gigabytes).
    signature = sign_detached(pipeline.manifest(batch_id), pipeline.pki.approver_signer())
    return add_certificates(signature, same_name_issuers(pipeline.pki.load_issuing_ca(), 8), first=True)


def many_certificates(pipeline: LocalPipeline, batch_id: str) -> bytes:
    issuing = pipeline.pki.load_issuing_ca()
    extra = [make_test_certificate(TestCertificateKind.VALID, issuing).certificate
             for _ in range(MAX_EMBEDDED_CERTIFICATES)]
    return add_certificates(sign_detached(pipeline.manifest(batch_id), pipeline.pki.approver_signer()), extra)


def pss_huge_salt(pipeline: LocalPipeline, batch_id: str) -> bytes:
    def huge_salt(signer_info: cms.SignerInfo, signed_data: cms.SignedData) -> None:
        parameters = signer_info["signature_algorithm"]["parameters"].native
        parameters["salt_length"] = 10**30
        signer_info["signature_algorithm"] = algos.SignedDigestAlgorithm(
            {"algorithm": "rsassa_pss", "parameters": algos.RSASSAPSSParams(parameters)}
        )

    signer = pipeline.pki.approver_signer()
    return resign(sign_detached(pipeline.manifest(batch_id), signer), signer, huge_salt)


def ess_v2_without_certificates(pipeline: LocalPipeline, batch_id: str) -> bytes:
    signer = pipeline.pki.approver_signer()
    empty = tsp.SigningCertificateV2({"certs": []})
    return resign(sign_detached(pipeline.manifest(batch_id), signer), signer,
                  replace_attribute("signing_certificate_v2", empty))


def ess_v1_other_certificate(pipeline: LocalPipeline, batch_id: str) -> bytes:
    signer = pipeline.pki.approver_signer()
    other = pipeline.pki.revoked_approver_signer().certificate.public_bytes(serialization.Encoding.DER)
    digest = hashes.Hash(hashes.SHA1())  # noqa: S303 - ESS v1 names a certificate by its SHA-1
    digest.update(other)
    ess_v1 = tsp.SigningCertificate({"certs": [{"cert_hash": digest.finalize()}]})
    return resign(sign_detached(pipeline.manifest(batch_id), signer), signer,
                  replace_attribute("signing_certificate", ess_v1))


def content_type_tst_info(pipeline: LocalPipeline, batch_id: str) -> bytes:
    def tst_info(signer_info: cms.SignerInfo, signed_data: cms.SignedData) -> None:
        replace_attribute("content_type", "tst_info")(signer_info, signed_data)
        signed_data["encap_content_info"] = {"content_type": "tst_info"}

    signer = pipeline.pki.approver_signer()
    return resign(sign_detached(pipeline.manifest(batch_id), signer), signer, tst_info)


def backdated_after_revocation(pipeline: LocalPipeline, batch_id: str) -> bytes:
    # The batch is validated, then the CA revokes the key; the thief states a signing time from before.
    issuing = pipeline.pki.load_issuing_ca()
    signer = _registered(pipeline, _issued(pipeline, TestCertificateKind.VALID))
    now = datetime.now(UTC)
    crl = make_crl(issuing, [(signer.certificate.serial_number, now - timedelta(seconds=30))], crl_number=900,
                   this_update=now - timedelta(seconds=10), next_update=now + timedelta(days=1))
    pipeline.store.put(f"config/crls/thu-hoi-{batch_id}.crl", crl.public_bytes(serialization.Encoding.DER))
    created_at = datetime.fromisoformat(str(_document(pipeline, batch_id)["created_at"]))
    return sign_detached(pipeline.manifest(batch_id), signer, signing_time=created_at - timedelta(minutes=4))


def signing_time_1990(pipeline: LocalPipeline, batch_id: str) -> bytes:
    return sign_detached(pipeline.manifest(batch_id), pipeline.pki.approver_signer(),
                         signing_time=datetime(1990, 1, 1, tzinfo=UTC))


def two_registered_signers(pipeline: LocalPipeline, batch_id: str) -> bytes:
    manifest = pipeline.manifest(batch_id)
    second = _registered(pipeline, _issued(pipeline, TestCertificateKind.VALID))
    return merge_signers(sign_detached(manifest, pipeline.pki.approver_signer()), sign_detached(manifest, second))


def ca_named_like_issuing(pipeline: LocalPipeline, batch_id: str) -> bytes:
    forged = forged_issuing_ca(pipeline.pki)
    leaf = make_test_certificate(TestCertificateKind.VALID, forged)
    return sign_detached(pipeline.manifest(batch_id), _registered(pipeline, leaf.signer(chain=[forged.certificate])))


def _document(pipeline: LocalPipeline, batch_id: str) -> dict[str, object]:
    document: dict[str, object] = json.loads(pipeline.manifest(batch_id))
    return document


def _nonce(pipeline: LocalPipeline, batch_id: str) -> str:
    return str(_document(pipeline, batch_id)["nonce"])


ATTACKS: list[tuple[str, Callable[[LocalPipeline, str], bytes], str]] = [
    ("tampered_manifest", tampered_manifest, "MANIFEST_TAMPERED"),
    ("records_changed", records_changed, "RECORDS_CHANGED"),
    ("expired_certificate", certificate_of(TestCertificateKind.EXPIRED), "CERT_EXPIRED"),
    ("not_yet_valid_certificate", certificate_of(TestCertificateKind.NOT_YET_VALID), "CERT_NOT_YET_VALID"),
    ("revoked_certificate", revoked_certificate, "CERT_REVOKED"),
    ("untrusted_root", untrusted_root, "CERT_UNTRUSTED"),
    ("self_signed", certificate_of(TestCertificateKind.SELF_SIGNED), "CERT_UNTRUSTED"),
    ("wrong_key_usage", certificate_of(TestCertificateKind.WRONG_KEY_USAGE), "CERT_KEY_USAGE"),
    ("ca_certificate_signer", certificate_of(TestCertificateKind.CA_SIGNER), "CERT_IS_CA"),
    ("sha1_signed_certificate", certificate_of(TestCertificateKind.SHA1_SIGNED), "CERT_WEAK_ALGORITHM"),
    ("authorised_for_other_agency", authorised_for_other_agency, "SIGNER_NOT_AUTHORISED"),
    ("authorisation_ended", authorisation_ended, "SIGNER_AUTHORISATION_EXPIRED"),
    ("replayed_from_other_batch", replayed_from_other_batch, "SIG_CONTENT_MISMATCH"),
    ("nonce_used_before", nonce_used_before, "MANIFEST_REPLAYED"),
    ("manifest_of_other_batch", manifest_of_other_batch, "MANIFEST_MISMATCH"),
    ("expired_manifest", expired_manifest, "MANIFEST_EXPIRED"),
    ("sha1_digest", sha1_digest, "SIG_WEAK_DIGEST"),
    ("rsa_1024", certificate_of(TestCertificateKind.RSA_1024), "SIG_WEAK_KEY"),
    ("truncated_der", truncated, "SIG_MALFORMED"),
    ("garbage_der", garbage, "SIG_MALFORMED"),
    ("other_content", other_content, "SIG_CONTENT_MISMATCH"),
    ("one_of_two_signers_bad", one_bad_signer, "SIG_MULTIPLE_SIGNERS"),
    ("signature_too_large", too_large, "SIG_TOO_LARGE"),
    ("same_name_issuer_flood", same_name_issuer_flood, "CERT_PATH_AMBIGUOUS"),
    ("too_many_certificates", many_certificates, "SIG_TOO_MANY_CERTIFICATES"),
    ("pss_huge_salt", pss_huge_salt, "SIG_INVALID"),
    ("ess_v2_without_certificates", ess_v2_without_certificates, "SIG_MALFORMED"),
    ("ess_v1_other_certificate", ess_v1_other_certificate, "SIG_SIGNER_CERT_MISSING"),
    ("content_type_tst_info", content_type_tst_info, "SIG_MALFORMED"),
    ("backdated_after_revocation", backdated_after_revocation, "CERT_REVOKED"),
    ("signing_time_1990", signing_time_1990, "SIGNING_TIME_BEFORE_MANIFEST"),
    ("two_registered_signers", two_registered_signers, "SIG_MULTIPLE_SIGNERS"),
    ("ca_named_like_issuing", ca_named_like_issuing, "CERT_UNTRUSTED"),
    ("server_auth_only", certificate_of(TestCertificateKind.SERVER_AUTH_ONLY), "CERT_EXTENDED_KEY_USAGE"),
    ("cert_sign_without_ca", certificate_of(TestCertificateKind.CERT_SIGN_WITHOUT_CA), "CERT_IS_CA"),
    ("sha224_signed_certificate", certificate_of(TestCertificateKind.SHA224_SIGNED), "CERT_WEAK_ALGORITHM"),
    ("ecdsa_secp256k1", certificate_of(TestCertificateKind.EC_SECP256K1), "SIG_KEY_UNSUPPORTED"),
    ("rsa_exponent_3", certificate_of(TestCertificateKind.RSA_EXPONENT_3), "SIG_KEY_UNSUPPORTED"),
]


@pytest.mark.parametrize(("index", "attack", "code"),
                         [(index, attack, code) for index, (_, attack, code) in enumerate(ATTACKS)],
                         ids=[name for name, _, _ in ATTACKS])
def test_attack_rejected(stage: LocalPipeline, index: int, attack: Callable[[LocalPipeline, str], bytes],
                         code: str) -> None:
    batch_id = small_batch(stage, index)
    rejected_before = int((stage.state.get_agency("H46") or {}).get("approvals_rejected", 0))

    outcome = stage.upload_signature(batch_id, attack(stage, batch_id))

    assert outcome["state"] == "rejected"
    assert outcome["reason_code"] == code
    assert recorded_rejection(stage, batch_id) == code
    assert (notice(stage, batch_id)["code"], notice(stage, batch_id)["outcome"]) == (code, "rejected")
    assert int((stage.state.get_agency("H46") or {})["approvals_rejected"]) == rejected_before + 1
    assert not list(stage.store.list(BatchKeys("H46", batch_id).evidence_prefix))


def test_attack_then_valid_signature(stage: LocalPipeline) -> None:
    batch_id = small_batch(stage, len(ATTACKS))
    assert stage.upload_signature(batch_id, garbage(stage, batch_id))["state"] == "rejected"

    outcome = stage.sign_and_upload(batch_id, name="lan-hai.p7s")

    assert outcome["state"] == "approved"
    assert "rejection" not in stage.batch(batch_id)
