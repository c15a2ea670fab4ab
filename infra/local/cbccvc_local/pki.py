"""A demo PKI for local runs: root CA, issuing CA, two approvers (one revoked), CRLs and seals.

``ensure_demo_pki(directory)`` creates the files on first use and reuses them afterwards,
re-issuing a CRL issued more than a day ago or whose nextUpdate is less than a day away. Layout of ``directory``:

    publication.json                           {"port": N}: where the CAs publish CRLs and OCSP
    root-ca.cert.pem, root-ca.key.pem          "CBCCVC Demo Root CA", EC P-256, 10 years
    root-ca.crl.pem, root-ca.crl.der           root CRL (empty), nextUpdate 7 days
    issuing-ca.cert.pem, issuing-ca.key.pem    "CBCCVC Demo Issuing CA", EC P-256, 5 years
    issuing-ca.crl.pem, issuing-ca.crl.der     issuing CA CRL listing the revoked approver
    ca-chain.pem                               issuing CA then root CA
    approver.p12                               approver key, certificate and chain (password "demo")
    approver.cert.pem, approver.key.pem        the same as PEM (key encrypted with "demo")
    revoked-approver.p12, .cert.pem, .key.pem  a second approver whose certificate is revoked

The approvers hold RSA 2048 keys with keyUsage digitalSignature and nonRepudiation, valid for
two years, with synthetic Vietnamese names. Keys are demo keys: CA keys are stored unencrypted.

Certificates name their CA's publication point on loopback: the CRL distribution point
``http://127.0.0.1:N/pki/issuing-ca.crl`` (root: ``root-ca.crl``) and the OCSP responder
``http://127.0.0.1:N/pki/ocsp``. The port N is picked once, when the PKI is created, and the
local emulator serves these paths (``cbccvc_local.pki_responder``) when it can listen on it.
Agency seal certificates are issued on demand for a key held elsewhere (the local KMS key),
so they are not stored here.
"""

from __future__ import annotations

import json
import os
import socket
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from cbccvc.signing.cms import KeySigner
from cbccvc.signing.keys import load_pkcs12
from cbccvc_local.certificates import (
    BACKDATE,
    CA_KEY_USAGE,
    IssuedCertificate,
    PrivateKey,
    PublicKey,
    certify_public_key,
    issue_certificate,
    make_crl,
    name,
)

DEMO_PASSWORD = "demo"  # noqa: S105 - the published password of throwaway demo keys
CRL_LIFETIME = timedelta(days=7)
# A CRL with less than this left before its nextUpdate, or issued longer ago than this, is issued
# again, so it stays within the approve stage's freshness limit (REVOCATION_MAX_AGE_HOURS, 72 by default).
CRL_REFRESH_MARGIN = timedelta(days=1)

# CRL locations for test certificates that no verifier is meant to fetch (.invalid never resolves).
ROOT_CRL_URL = "http://pki.cbccvc.invalid/demo-root-ca.crl"
ISSUING_CRL_URL = "http://pki.cbccvc.invalid/demo-issuing-ca.crl"
PUBLICATION_HOST = "127.0.0.1"
ROOT_CRL_NAME = "root-ca.crl"
ISSUING_CRL_NAME = "issuing-ca.crl"
SEAL_VALIDITY = timedelta(days=365)

ORGANIZATION = "UBND TP Huế (demo)"
APPROVER_NAME = "Trần Thị Demo"
REVOKED_APPROVER_NAME = "Lê Văn Demo"


@dataclass(frozen=True, slots=True)
class DemoPki:
    """Paths of the demo PKI files, with helpers to load what a verifier needs."""

    directory: Path
    password: str = DEMO_PASSWORD

    @property
    def publication_file(self) -> Path:
        return self.directory / "publication.json"

    @property
    def publication_port(self) -> int:
        """The loopback port on which the demo CAs publish CRLs and respond to OCSP requests."""
        port: int = json.loads(self.publication_file.read_text(encoding="utf-8"))["port"]
        return port

    @property
    def publication_url(self) -> str:
        """The base URL of the CAs' publication point, ending with a slash."""
        return f"http://{PUBLICATION_HOST}:{self.publication_port}/pki/"

    @property
    def root_crl_url(self) -> str:
        return self.publication_url + ROOT_CRL_NAME

    @property
    def issuing_crl_url(self) -> str:
        return self.publication_url + ISSUING_CRL_NAME

    @property
    def ocsp_url(self) -> str:
        return self.publication_url + "ocsp"

    @property
    def root_cert(self) -> Path:
        return self.directory / "root-ca.cert.pem"

    @property
    def root_key(self) -> Path:
        return self.directory / "root-ca.key.pem"

    @property
    def root_crl_pem(self) -> Path:
        return self.directory / "root-ca.crl.pem"

    @property
    def root_crl_der(self) -> Path:
        return self.directory / "root-ca.crl.der"

    @property
    def issuing_cert(self) -> Path:
        return self.directory / "issuing-ca.cert.pem"

    @property
    def issuing_key(self) -> Path:
        return self.directory / "issuing-ca.key.pem"

    @property
    def issuing_crl_pem(self) -> Path:
        return self.directory / "issuing-ca.crl.pem"

    @property
    def issuing_crl_der(self) -> Path:
        return self.directory / "issuing-ca.crl.der"

    @property
    def chain(self) -> Path:
        return self.directory / "ca-chain.pem"

    @property
    def approver_p12(self) -> Path:
        return self.directory / "approver.p12"

    @property
    def approver_cert(self) -> Path:
        return self.directory / "approver.cert.pem"

    @property
    def approver_key(self) -> Path:
        return self.directory / "approver.key.pem"

    @property
    def revoked_approver_p12(self) -> Path:
        return self.directory / "revoked-approver.p12"

    @property
    def revoked_approver_cert(self) -> Path:
        return self.directory / "revoked-approver.cert.pem"

    @property
    def revoked_approver_key(self) -> Path:
        return self.directory / "revoked-approver.key.pem"

    def all_files(self) -> list[Path]:
        return [
            self.publication_file,
            self.root_cert,
            self.root_key,
            self.root_crl_pem,
            self.root_crl_der,
            self.issuing_cert,
            self.issuing_key,
            self.issuing_crl_pem,
            self.issuing_crl_der,
            self.chain,
            self.approver_p12,
            self.approver_cert,
            self.approver_key,
            self.revoked_approver_p12,
            self.revoked_approver_cert,
            self.revoked_approver_key,
        ]

    def load_roots(self) -> list[x509.Certificate]:
        """Return the trust anchors: the demo root CA certificate."""
        return [x509.load_pem_x509_certificate(self.root_cert.read_bytes())]

    def load_intermediates(self) -> list[x509.Certificate]:
        """Return the issuing CA certificate."""
        return [x509.load_pem_x509_certificate(self.issuing_cert.read_bytes())]

    def load_crls(self) -> list[bytes]:
        """Return the DER CRLs of the issuing CA and the root CA."""
        return [self.issuing_crl_der.read_bytes(), self.root_crl_der.read_bytes()]

    def load_issuing_ca(self) -> IssuedCertificate:
        """Return the issuing CA with its key, to issue more certificates (tests use this)."""
        return _load_ca(self.issuing_cert, self.issuing_key)

    def approver_signer(self) -> KeySigner:
        """Load the approver's PKCS #12 file as a signer."""
        return load_pkcs12(self.approver_p12.read_bytes(), self.password.encode())

    def revoked_approver_signer(self) -> KeySigner:
        """Load the revoked approver's PKCS #12 file as a signer."""
        return load_pkcs12(self.revoked_approver_p12.read_bytes(), self.password.encode())

    def issue_signing_certificate(self, public_key: PublicKey, common_name: str) -> x509.Certificate:
        """Issue a personal signing certificate for a key held elsewhere (a PKCS #11 token, a KMS key)."""
        return certify_public_key(
            name(common_name, ORGANIZATION),
            public_key,
            issuer=self.load_issuing_ca(),
            crl_url=self.issuing_crl_url,
            ocsp_url=self.ocsp_url,
        )

    def issue_seal_certificate(self, public_key: PublicKey, agency_code: str, agency_name: str) -> x509.Certificate:
        """Issue the agency's seal certificate for ``public_key``, naming the agency code in organizationIdentifier.

        Verifiers find the agency a seal belongs to by that attribute (X.520 organizationIdentifier,
        the attribute ETSI EN 319 412-3 uses for legal persons).
        """
        return certify_public_key(
            name(f"Con dấu điện tử {agency_name}", agency_name, organization_identifier=agency_code),
            public_key,
            issuer=self.load_issuing_ca(),
            not_after=datetime.now(UTC) + SEAL_VALIDITY,
            crl_url=self.issuing_crl_url,
            ocsp_url=self.ocsp_url,
        )

    def revoked_serials(self) -> dict[int, datetime]:
        """Return serial number → revocation date of every certificate on the issuing CA's current CRL."""
        crl = x509.load_der_x509_crl(self.issuing_crl_der.read_bytes())
        return {entry.serial_number: entry.revocation_date_utc for entry in crl}


def ensure_demo_pki(directory: Path) -> DemoPki:
    """Create the demo PKI under ``directory`` unless it is complete, and refresh stale CRLs.

    When any file is missing, every file is created anew (new keys, new certificates).
    """
    pki = DemoPki(directory)
    directory.mkdir(parents=True, exist_ok=True)
    if all(path.exists() for path in pki.all_files()):
        _refresh_stale_crls(pki)
    else:
        _create(pki)
    return pki


def _create(pki: DemoPki) -> None:
    now = datetime.now(UTC)
    pki.publication_file.write_text(json.dumps({"port": _free_port()}), encoding="utf-8")
    root = issue_certificate(
        name("CBCCVC Demo Root CA", "CBCCVC Demo"),
        issuer=None,
        key_spec="ec256",
        not_after=now + timedelta(days=3652),
        key_usage=CA_KEY_USAGE,
        is_ca=True,
    )
    issuing = issue_certificate(
        name("CBCCVC Demo Issuing CA", "CBCCVC Demo"),
        issuer=root,
        key_spec="ec256",
        not_after=now + timedelta(days=1826),
        key_usage=CA_KEY_USAGE,
        is_ca=True,
        path_length=0,
        crl_url=pki.root_crl_url,
    )
    approver = _issue_approver(pki, APPROVER_NAME, issuing, now)
    revoked = _issue_approver(pki, REVOKED_APPROVER_NAME, issuing, now)

    _write_ca(root, pki.root_cert, pki.root_key)
    _write_ca(issuing, pki.issuing_cert, pki.issuing_key)
    pki.chain.write_bytes(_pem(issuing.certificate) + _pem(root.certificate))
    chain = [issuing.certificate, root.certificate]
    _write_approver(
        approver,
        chain,
        p12_path=pki.approver_p12,
        cert_path=pki.approver_cert,
        key_path=pki.approver_key,
        password=pki.password,
    )
    _write_approver(
        revoked,
        chain,
        p12_path=pki.revoked_approver_p12,
        cert_path=pki.revoked_approver_cert,
        key_path=pki.revoked_approver_key,
        password=pki.password,
    )

    _write_crl(pki, root, crl_number=1, now=now)
    _write_crl(pki, issuing, crl_number=1, now=now)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((PUBLICATION_HOST, 0))
        port: int = probe.getsockname()[1]
        return port


def _issue_approver(pki: DemoPki, common_name: str, issuing: IssuedCertificate, now: datetime) -> IssuedCertificate:
    return issue_certificate(
        name(common_name, ORGANIZATION),
        issuer=issuing,
        key_spec="rsa2048",
        not_after=now + timedelta(days=730),
        crl_url=pki.issuing_crl_url,
        ocsp_url=pki.ocsp_url,
    )


def _revocation_date(revoked_cert: x509.Certificate) -> datetime:
    # Derived from the certificate so no state file is needed: half an hour after its notBefore,
    # which is half an hour before the PKI was created, so every signature made later finds it
    # revoked.
    return revoked_cert.not_valid_before_utc + BACKDATE / 2


def _write_crl(pki: DemoPki, authority: IssuedCertificate, *, crl_number: int, now: datetime) -> None:
    if authority.certificate.subject == authority.certificate.issuer:
        revoked: list[tuple[int, datetime]] = []
        pem_path, der_path = pki.root_crl_pem, pki.root_crl_der
    else:
        revoked_cert = x509.load_pem_x509_certificate(pki.revoked_approver_cert.read_bytes())
        revoked = [(revoked_cert.serial_number, _revocation_date(revoked_cert))]
        pem_path, der_path = pki.issuing_crl_pem, pki.issuing_crl_der

    this_update = now - timedelta(minutes=1)
    crl = make_crl(
        authority,
        revoked,
        crl_number=crl_number,
        this_update=this_update,
        next_update=this_update + CRL_LIFETIME,
    )
    pem_path.write_bytes(crl.public_bytes(serialization.Encoding.PEM))
    der_path.write_bytes(crl.public_bytes(serialization.Encoding.DER))


def _refresh_stale_crls(pki: DemoPki) -> None:
    now = datetime.now(UTC)
    for cert_path, key_path, der_path in (
        (pki.root_cert, pki.root_key, pki.root_crl_der),
        (pki.issuing_cert, pki.issuing_key, pki.issuing_crl_der),
    ):
        crl = x509.load_der_x509_crl(der_path.read_bytes())
        next_update = crl.next_update_utc
        recent = now - crl.last_update_utc < CRL_REFRESH_MARGIN
        if recent and next_update is not None and next_update - now > CRL_REFRESH_MARGIN:
            continue
        number = crl.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number
        _write_crl(pki, _load_ca(cert_path, key_path), crl_number=number + 1, now=now)


def _load_ca(cert_path: Path, key_path: Path) -> IssuedCertificate:
    certificate = x509.load_pem_x509_certificate(cert_path.read_bytes())
    key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    if not isinstance(key, PrivateKey):
        raise TypeError(f"{key_path} contains a {type(key).__name__}; expected an RSA or EC key")
    return IssuedCertificate(certificate, key)


def _write_ca(authority: IssuedCertificate, cert_path: Path, key_path: Path) -> None:
    cert_path.write_bytes(_pem(authority.certificate))
    _write_private(key_path, _private_pem(authority.private_key, serialization.NoEncryption()))


def _write_approver(
    approver: IssuedCertificate,
    chain: list[x509.Certificate],
    *,
    p12_path: Path,
    cert_path: Path,
    key_path: Path,
    password: str,
) -> None:
    encryption = serialization.BestAvailableEncryption(password.encode())
    p12 = pkcs12.serialize_key_and_certificates(
        name=approver.certificate.subject.rfc4514_string().encode(),
        key=approver.private_key,
        cert=approver.certificate,
        cas=chain,
        encryption_algorithm=encryption,
    )
    _write_private(p12_path, p12)
    cert_path.write_bytes(_pem(approver.certificate))
    _write_private(key_path, _private_pem(approver.private_key, encryption))


def _private_pem(key: PrivateKey, encryption: serialization.KeySerializationEncryption) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)


def _write_private(path: Path, data: bytes) -> None:
    # Created readable by the owner only; chmod also covers a file left by an earlier run.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as stream:
        stream.write(data)
    path.chmod(0o600)


def _pem(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.PEM)
