"""Fetching revocation data over HTTP from the demo CAs' publication point, served by the emulator on loopback."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from cryptography import x509

from cbccvc.signing.cms import sign_detached, verify_detached
from cbccvc.signing.result import ReasonCode
from cbccvc.signing.revocation import RevocationFetcher, read_crl, read_ocsp_response
from cbccvc_local.emulator import Emulator
from cbccvc_local.pki import DemoPki, ensure_demo_pki
from cbccvc_local.pki_responder import DemoPkiResponder

pytestmark = pytest.mark.integration

MANIFEST = b'{"agency_code":"H46","batch_id":"H46-fetch"}'


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> DemoPki:
    return ensure_demo_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture
def publication(pki: DemoPki) -> Iterator[Emulator]:
    # The demo certificates name this port, so the emulator must listen on it.
    with Emulator("key", port=pki.publication_port, pki_responder=DemoPkiResponder(pki)) as emulator:
        yield emulator


def _certificates(pki: DemoPki, revoked: bool = False) -> list[x509.Certificate]:
    signer = pki.revoked_approver_signer() if revoked else pki.approver_signer()
    return [signer.certificate, *pki.load_intermediates(), *pki.load_roots()]


def test_fetch_crls_and_ocsp(pki: DemoPki, publication: Emulator) -> None:
    outcome = RevocationFetcher([pki.publication_url]).fetch(_certificates(pki))

    assert [url for url, _ in outcome.crls] == [pki.issuing_crl_url, pki.root_crl_url]
    assert all(read_crl(data, url) is not None for url, data in outcome.crls)
    assert [url for url, _ in outcome.ocsp_responses] == [pki.ocsp_url]
    assert read_ocsp_response(outcome.ocsp_responses[0][1], pki.ocsp_url) is not None
    assert outcome.failed == []


def test_fetched_data_decides_revocation(pki: DemoPki, publication: Emulator) -> None:
    outcome = RevocationFetcher([pki.publication_url]).fetch(_certificates(pki, revoked=True))
    signature = sign_detached(MANIFEST, pki.revoked_approver_signer())

    result = verify_detached(signature, MANIFEST, trust_roots=pki.load_roots(),
                             crls=[data for _, data in outcome.crls],
                             ocsp_responses=[data for _, data in outcome.ocsp_responses], require_revocation=True)

    assert result.reason_code == ReasonCode.CERT_REVOKED


def test_fetch_outside_allow_list(pki: DemoPki, publication: Emulator) -> None:
    outcome = RevocationFetcher(["http://127.0.0.1:1/pki/"]).fetch(_certificates(pki))

    assert (outcome.crls, outcome.ocsp_responses, outcome.failed) == ([], [], [])
    assert publication.state()["requests"] == []


def test_fetch_failure_reported(pki: DemoPki, publication: Emulator) -> None:
    publication.add_faults([{"path_prefix": "/pki/", "kind": "status", "status": 503, "count": 10}])

    outcome = RevocationFetcher([pki.publication_url]).fetch(_certificates(pki))

    assert outcome.crls == []
    assert sorted(outcome.failed) == sorted([pki.issuing_crl_url, pki.root_crl_url, pki.ocsp_url])


def test_fetch_size_limit(pki: DemoPki, publication: Emulator) -> None:
    outcome = RevocationFetcher([pki.publication_url], max_response_bytes=64).fetch(_certificates(pki))

    assert outcome.crls == []
    assert pki.issuing_crl_url in outcome.failed
