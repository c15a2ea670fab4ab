"""Revocation data for approval signatures: CRLs and OCSP responses, their freshness and their fetching.

A verifier gathers revocation data from two places: files an operator stores (the approve stage
reads ``config/crls/``), and the CRL distribution points and OCSP responders the certificates
name, fetched over HTTP only from URLs an allow-list names. Data older than the configured
maximum age, or past its nextUpdate, is set aside as stale: it is kept for the record but not
given to path validation, so a certificate whose only revocation data is stale has an unknown
revocation status.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from urllib.parse import urlsplit

import httpx
from asn1crypto import crl as asn1_crl
from asn1crypto import ocsp as asn1_ocsp
from asn1crypto import pem
from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509 import ocsp
from cryptography.x509.oid import AuthorityInformationAccessOID

from cbccvc.observability import logger

# asn1crypto raises these for bytes that do not parse as the structure asked for.
_PARSE_ERRORS = (ValueError, TypeError, KeyError, IndexError, OverflowError, AttributeError)

DEFAULT_FETCH_TIMEOUT_SECONDS = 5.0
# A national CA's CRL can list hundreds of thousands of serials; 20 MiB is well above that.
DEFAULT_MAX_RESPONSE_BYTES = 20 * 1024 * 1024
# Upper bound on URLs fetched for one signature, so a certificate cannot make the verifier loop.
MAX_URLS_PER_FETCH = 8


class RevocationKind(StrEnum):
    CRL = "crl"
    OCSP = "ocsp"


@dataclass(frozen=True, slots=True)
class RevocationItem:
    """One CRL or OCSP response (DER), where it came from and the period it covers."""

    kind: RevocationKind
    data: bytes
    source: str
    this_update: datetime
    next_update: datetime | None

    def is_fresh(self, now: datetime, max_age: timedelta) -> bool:
        """Whether the item may still be relied on at ``now``: issued within ``max_age`` and not past nextUpdate."""
        if now - self.this_update > max_age:
            return False
        return self.next_update is None or now <= self.next_update

    def describe(self) -> dict[str, str | None]:
        """Return the item's kind, source and period as strings, for stored results and evidence."""
        return {
            "kind": self.kind.value,
            "source": self.source,
            "this_update": self.this_update.isoformat(),
            "next_update": self.next_update.isoformat() if self.next_update else None,
        }


@dataclass(frozen=True, slots=True)
class RevocationSelection:
    """Revocation data split into what may be used and what was set aside."""

    fresh: list[RevocationItem] = field(default_factory=list)
    stale: list[RevocationItem] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)

    @property
    def crls(self) -> list[bytes]:
        return [item.data for item in self.fresh if item.kind is RevocationKind.CRL]

    @property
    def ocsp_responses(self) -> list[bytes]:
        return [item.data for item in self.fresh if item.kind is RevocationKind.OCSP]


def read_crl(data: bytes, source: str) -> RevocationItem | None:
    """Parse a DER or PEM CRL into a RevocationItem (as DER); None when it does not parse."""
    try:
        der = pem.unarmor(data)[2] if pem.detect(data) else data
        certificate_list = asn1_crl.CertificateList.load(der, strict=True)
        tbs = certificate_list["tbs_cert_list"]
        this_update = tbs["this_update"].native
        next_update = tbs["next_update"].native
        certificate_list.native  # noqa: B018 - parses every field now, so a bad CRL is caught here
    except _PARSE_ERRORS:
        return None
    if not isinstance(this_update, datetime):
        return None
    return RevocationItem(RevocationKind.CRL, der, source, this_update, next_update)


def read_ocsp_response(data: bytes, source: str) -> RevocationItem | None:
    """Parse a DER OCSPResponse; None when it does not parse or is not a successful basic response."""
    try:
        response = asn1_ocsp.OCSPResponse.load(data, strict=True)
        if response["response_status"].native != "successful":
            return None
        basic = response.basic_ocsp_response
        single_responses = list(basic["tbs_response_data"]["responses"])
        this_updates = [single["this_update"].native for single in single_responses]
        next_updates = [single["next_update"].native for single in single_responses]
        response.native  # noqa: B018 - parses every field now
    except _PARSE_ERRORS:
        return None
    if not this_updates or not all(isinstance(moment, datetime) for moment in this_updates):
        return None
    known_next = [moment for moment in next_updates if isinstance(moment, datetime)]
    next_update = min(known_next) if len(known_next) == len(next_updates) else None
    return RevocationItem(RevocationKind.OCSP, data, source, min(this_updates), next_update)


def select_fresh(
    crls: Iterable[tuple[str, bytes]],
    ocsp_responses: Iterable[tuple[str, bytes]],
    *,
    now: datetime,
    max_age: timedelta,
) -> RevocationSelection:
    """Parse (source, bytes) pairs of CRLs and OCSP responses and split them by freshness at ``now``."""
    selection = RevocationSelection()
    candidates = [(source, data, read_crl) for source, data in crls]
    candidates += [(source, data, read_ocsp_response) for source, data in ocsp_responses]
    for source, data, reader in candidates:
        item = reader(data, source)
        if item is None:
            selection.unreadable.append(source)
        elif item.is_fresh(now, max_age):
            selection.fresh.append(item)
        else:
            selection.stale.append(item)
    return selection


@dataclass(frozen=True, slots=True)
class FetchOutcome:
    """What fetching brought: CRLs and OCSP responses as (URL, bytes) pairs, and URLs that failed."""

    crls: list[tuple[str, bytes]] = field(default_factory=list)
    ocsp_responses: list[tuple[str, bytes]] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


class RevocationFetcher:
    """Fetches CRLs and OCSP responses named by certificates, from allow-listed URLs only.

    ``allowed_urls`` are URL prefixes such as ``http://crl.example.vn/``: a URL is fetched when its
    scheme, host and port equal a prefix's and its path starts with the prefix's path. Redirects
    are not followed, so an allowed server cannot send the verifier elsewhere. A failed fetch is
    logged and reported, never raised: the revocation status is then judged on the other data.
    """

    def __init__(
        self,
        allowed_urls: Sequence[str],
        *,
        timeout_seconds: float = DEFAULT_FETCH_TIMEOUT_SECONDS,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        client: httpx.Client | None = None,
    ) -> None:
        self._allowed = [urlsplit(prefix) for prefix in allowed_urls if prefix.strip()]
        self._max_bytes = max_response_bytes
        self._client = client or httpx.Client(timeout=timeout_seconds, follow_redirects=False)

    @property
    def enabled(self) -> bool:
        return bool(self._allowed)

    def is_allowed(self, url: str) -> bool:
        """Return whether ``url`` falls under one of the allowed prefixes."""
        candidate = urlsplit(url)
        if candidate.scheme not in ("http", "https") or candidate.username or candidate.password:
            return False
        for prefix in self._allowed:
            same_origin = (candidate.scheme, candidate.hostname, candidate.port) == (
                prefix.scheme,
                prefix.hostname,
                prefix.port,
            )
            if same_origin and candidate.path.startswith(prefix.path):
                return True
        return False

    def fetch(self, certificates: Sequence[x509.Certificate]) -> FetchOutcome:
        """Fetch the CRLs and OCSP responses that ``certificates`` point to, for each URL once.

        OCSP is asked only about a certificate whose issuer is among ``certificates``, because
        the request names the issuer's key.
        """
        outcome = FetchOutcome()
        if not self.enabled:
            return outcome
        fetched = 0
        for url in _unique(url for cert in certificates for url in crl_urls(cert)):
            if fetched >= MAX_URLS_PER_FETCH:
                break
            if self.is_allowed(url):
                fetched += 1
                self._get_crl(url, outcome)
        for cert in certificates:
            issuer = _find_issuer(cert, certificates)
            for url in ocsp_urls(cert):
                if issuer is None or fetched >= MAX_URLS_PER_FETCH or not self.is_allowed(url):
                    continue
                fetched += 1
                self._post_ocsp(url, cert, issuer, outcome)
        return outcome

    def _get_crl(self, url: str, outcome: FetchOutcome) -> None:
        body = self._request("GET", url, None)
        if body is None:
            outcome.failed.append(url)
        else:
            outcome.crls.append((url, body))

    def _post_ocsp(self, url: str, cert: x509.Certificate, issuer: x509.Certificate, outcome: FetchOutcome) -> None:
        request = ocsp.OCSPRequestBuilder().add_certificate(cert, issuer, hashes.SHA256()).build()
        body = self._request("POST", url, request.public_bytes(serialization.Encoding.DER))
        if body is None:
            outcome.failed.append(url)
        else:
            outcome.ocsp_responses.append((url, body))

    def _request(self, method: str, url: str, content: bytes | None) -> bytes | None:
        headers = {"Content-Type": "application/ocsp-request"} if content is not None else {}
        try:
            with self._client.stream(method, url, content=content, headers=headers) as response:
                if response.status_code != 200:
                    logger.warning("revocation_fetch_failed", url=url, status=response.status_code)
                    return None
                body = bytearray()
                for chunk in response.iter_bytes():
                    body.extend(chunk)
                    if len(body) > self._max_bytes:
                        logger.warning("revocation_fetch_too_large", url=url, limit=self._max_bytes)
                        return None
                return bytes(body)
        except httpx.HTTPError as error:
            logger.warning("revocation_fetch_failed", url=url, error=type(error).__name__)
            return None


def crl_urls(cert: x509.Certificate) -> list[str]:
    """Return the HTTP(S) URLs of the certificate's CRL distribution points."""
    try:
        points = cert.extensions.get_extension_for_class(x509.CRLDistributionPoints).value
    except x509.ExtensionNotFound:
        return []
    return [
        name.value
        for point in points
        for name in (point.full_name or [])
        if isinstance(name, x509.UniformResourceIdentifier) and name.value.lower().startswith(("http://", "https://"))
    ]


def ocsp_urls(cert: x509.Certificate) -> list[str]:
    """Return the OCSP responder URLs of the certificate's authority information access."""
    try:
        access = cert.extensions.get_extension_for_class(x509.AuthorityInformationAccess).value
    except x509.ExtensionNotFound:
        return []
    return [
        description.access_location.value
        for description in access
        if description.access_method == AuthorityInformationAccessOID.OCSP
        and isinstance(description.access_location, x509.UniformResourceIdentifier)
    ]


def _find_issuer(cert: x509.Certificate, candidates: Sequence[x509.Certificate]) -> x509.Certificate | None:
    for candidate in candidates:
        if candidate.subject == cert.issuer and candidate is not cert:
            try:
                cert.verify_directly_issued_by(candidate)
            except (ValueError, TypeError, InvalidSignature, UnsupportedAlgorithm):
                # UnsupportedAlgorithm: a certificate signed with an algorithm the library does not know.
                continue
            return candidate
    return None


def _unique(urls: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(urls))
