"""Revocation data: freshness, OCSP responses from the demo responder, and which URLs may be fetched."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from asn1crypto import algos
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509 import ocsp

from cbccvc.signing.cms import KeySigner, sign_detached, verify_detached
from cbccvc.signing.result import ReasonCode
from cbccvc.signing.revocation import (
    RevocationFetcher,
    RevocationKind,
    crl_urls,
    ocsp_urls,
    read_crl,
    read_ocsp_response,
    select_fresh,
)
from cbccvc_local.certificates import make_crl
from cbccvc_local.pki import DemoPki, ensure_demo_pki
from cbccvc_local.pki_responder import DemoPkiResponder

MANIFEST = b'{"agency_code":"H46","batch_id":"H46-ocsp"}'
MAX_AGE = timedelta(hours=72)


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> DemoPki:
    return ensure_demo_pki(tmp_path_factory.mktemp("pki"))


def _ocsp_response(pki: DemoPki, signer: KeySigner) -> bytes:
    issuer = pki.load_intermediates()[0]
    request = ocsp.OCSPRequestBuilder().add_certificate(signer.certificate, issuer, hashes.SHA256()).build()
    return DemoPkiResponder(pki).ocsp(request.public_bytes(serialization.Encoding.DER))


def _crl(pki: DemoPki, *, issued_ago: timedelta, valid_for: timedelta) -> bytes:
    now = datetime.now(UTC)
    crl = make_crl(pki.load_issuing_ca(), [], crl_number=9, this_update=now - issued_ago,
                   next_update=now - issued_ago + valid_for)
    return crl.public_bytes(serialization.Encoding.DER)


def test_select_fresh_splits_by_age(pki: DemoPki) -> None:
    fresh = _crl(pki, issued_ago=timedelta(hours=1), valid_for=timedelta(days=7))
    old = _crl(pki, issued_ago=timedelta(days=4), valid_for=timedelta(days=7))
    expired = _crl(pki, issued_ago=timedelta(hours=30), valid_for=timedelta(hours=24))

    selection = select_fresh([("fresh", fresh), ("old", old), ("expired", expired), ("bad", b"x")], [],
                             now=datetime.now(UTC), max_age=MAX_AGE)

    assert [item.source for item in selection.fresh] == ["fresh"]
    assert [item.source for item in selection.stale] == ["old", "expired"]
    assert selection.unreadable == ["bad"]
    assert selection.crls == [fresh]


def test_read_crl_pem(pki: DemoPki) -> None:
    item = read_crl(pki.issuing_crl_pem.read_bytes(), "pem")

    assert item is not None
    assert item.kind is RevocationKind.CRL
    assert item.data == pki.issuing_crl_der.read_bytes()


def test_ocsp_good(pki: DemoPki) -> None:
    signer = pki.approver_signer()
    response = _ocsp_response(pki, signer)
    item = read_ocsp_response(response, "ocsp")

    result = verify_detached(sign_detached(MANIFEST, signer), MANIFEST, trust_roots=pki.load_roots(),
                             crls=[pki.root_crl_der.read_bytes()], ocsp_responses=[response])

    assert item is not None
    assert item.next_update is not None
    assert result.valid, result.reason_code


def test_ocsp_revoked(pki: DemoPki) -> None:
    signer = pki.revoked_approver_signer()

    result = verify_detached(sign_detached(MANIFEST, signer), MANIFEST, trust_roots=pki.load_roots(),
                             crls=[pki.root_crl_der.read_bytes()], ocsp_responses=[_ocsp_response(pki, signer)])

    assert result.reason_code == ReasonCode.CERT_REVOKED


def test_ocsp_malformed_request(pki: DemoPki) -> None:
    assert read_ocsp_response(DemoPkiResponder(pki).ocsp(b"garbage"), "ocsp") is None


def test_required_revocation_without_data(pki: DemoPki) -> None:
    result = verify_detached(sign_detached(MANIFEST, pki.approver_signer()), MANIFEST, trust_roots=pki.load_roots(),
                             require_revocation=True)

    assert result.reason_code == ReasonCode.CERT_REVOCATION_UNKNOWN


def test_demo_certificates_name_publication_point(pki: DemoPki) -> None:
    certificate = pki.approver_signer().certificate

    assert crl_urls(certificate) == [pki.issuing_crl_url]
    assert ocsp_urls(certificate) == [pki.ocsp_url]
    assert crl_urls(pki.load_intermediates()[0]) == [pki.root_crl_url]


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("http://crl.example.vn/ca/issuing.crl", True),
        ("https://crl.example.vn/ca/issuing.crl", False),
        ("http://crl.example.vn:8080/ca/issuing.crl", False),
        ("http://crl.example.vn/other/issuing.crl", False),
        ("http://crl.example.vn.attacker.test/ca/issuing.crl", False),
        ("http://crl.example.vn@attacker.test/ca/issuing.crl", False),
        ("http://user@crl.example.vn/ca/issuing.crl", False),
        ("ldap://crl.example.vn/ca/issuing.crl", False),
    ],
)
def test_fetch_allow_list(url: str, allowed: bool) -> None:
    fetcher = RevocationFetcher(["http://crl.example.vn/ca/"])

    assert fetcher.is_allowed(url) is allowed


def test_fetcher_without_allow_list_fetches_nothing(pki: DemoPki) -> None:
    fetcher = RevocationFetcher([])

    outcome = fetcher.fetch([pki.approver_signer().certificate, *pki.load_intermediates()])

    assert not fetcher.enabled
    assert (outcome.crls, outcome.ocsp_responses, outcome.failed) == ([], [], [])


def test_fetch_skips_unknown_signature_algorithm(pki: DemoPki) -> None:
    # A certificate "issued" by the issuing CA with a signature algorithm no library supports: finding
    # its issuer for an OCSP request must skip it, not raise.
    approver = asn1_x509.Certificate.load(pki.approver_signer().certificate.public_bytes(serialization.Encoding.DER))
    tbs = approver["tbs_certificate"].copy()
    unknown = algos.SignedDigestAlgorithm({"algorithm": "1.2.3.4.5"})
    tbs["signature"] = unknown
    odd = asn1_x509.Certificate({"tbs_certificate": tbs, "signature_algorithm": unknown,
                                 "signature_value": b"\x00" * 64})
    failing = httpx.Client(transport=httpx.MockTransport(lambda request: httpx.Response(503)))
    fetcher = RevocationFetcher([pki.publication_url], client=failing)

    outcome = fetcher.fetch([x509.load_der_x509_certificate(odd.dump()), *pki.load_intermediates()])

    assert outcome.failed
