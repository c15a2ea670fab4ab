"""Signing with a PKCS #11 token: a SoftHSM2 token in a temporary folder replaces an official's USB token.

The keys are generated on the token and never leave it; the demo issuing CA certifies their
public keys, and the certificates are stored on the token, as a CA's registration office does.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from cbccvc.approval.registry import approver_entry
from cbccvc.cli.main import main
from cbccvc.signing.cms import sign_detached, verify_detached
from cbccvc.signing.errors import SignerKeyError, TokenError
from cbccvc.signing.pkcs11 import open_pkcs11_signer
from cbccvc_local.pipeline import LocalPipeline
from cbccvc_local.pki import DemoPki
from tests.integration.approval_support import small_batch

try:
    import pkcs11
except ImportError:
    if os.environ.get("CI"):
        raise  # python-pkcs11 is a project dependency: CI must have it
    pytest.skip("python-pkcs11 is not installed", allow_module_level=True)

pytestmark = pytest.mark.integration

SOFTHSM_MODULES = (
    "/usr/lib/softhsm/libsofthsm2.so",
    "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
    "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
    "/usr/local/lib/softhsm/libsofthsm2.so",
    "/opt/homebrew/lib/softhsm/libsofthsm2.so",
)
TOKEN_LABEL = "cbccvc-kiem-thu"
USER_PIN = "123456"
SO_PIN = "12345678"
MANIFEST = b'{"agency_code":"H46","batch_id":"H46-token","record_count":1}'


def _module_path() -> str | None:
    candidates = [os.environ.get("SOFTHSM2_MODULE", ""), *SOFTHSM_MODULES]
    return next((path for path in candidates if path and Path(path).is_file()), None)


@dataclass(frozen=True)
class Token:
    module: str
    rsa_certificate: x509.Certificate
    ec_certificate: x509.Certificate


@pytest.fixture(scope="module")
def token(demo_pki: DemoPki, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Token]:
    module = _module_path()
    if module is None or shutil.which("softhsm2-util") is None:
        if os.environ.get("CI"):
            pytest.fail("SoftHSM2 is missing: .ci/install-system-deps installs it")
        pytest.skip("SoftHSM2 is not installed (apt-get install softhsm2)")

    folder = tmp_path_factory.mktemp("softhsm")
    (folder / "tokens").mkdir()
    config = folder / "softhsm2.conf"
    config.write_text(f"directories.tokendir = {folder / 'tokens'}\nobjectstore.backend = file\nlog.level = ERROR\n",
                      encoding="utf-8")
    previous = os.environ.get("SOFTHSM2_CONF")
    os.environ["SOFTHSM2_CONF"] = str(config)
    try:
        subprocess.run(  # noqa: S603 - fixed program and arguments
            ["softhsm2-util", "--init-token", "--free", "--label", TOKEN_LABEL, "--pin", USER_PIN, "--so-pin", SO_PIN],  # noqa: S607
            check=True, capture_output=True, timeout=60,
        )
        yield _provision(module, demo_pki)
    finally:
        if previous is None:
            os.environ.pop("SOFTHSM2_CONF", None)
        else:
            os.environ["SOFTHSM2_CONF"] = previous


def _provision(module: str, demo_pki: DemoPki) -> Token:
    """Generate an RSA and an EC key on the token and store a certificate from the demo CA for each."""
    from pkcs11 import Attribute, CertificateType, KeyType, ObjectClass  # noqa: PLC0415
    from pkcs11.util.ec import encode_ec_public_key, encode_named_curve_parameters  # noqa: PLC0415
    from pkcs11.util.rsa import encode_rsa_public_key  # noqa: PLC0415

    library = pkcs11.lib(module)
    with library.get_token(token_label=TOKEN_LABEL).open(rw=True, user_pin=USER_PIN) as session:
        rsa_public, _ = session.generate_keypair(KeyType.RSA, 2048, store=True, label="ky-rsa", id=b"\x01")
        parameters = session.create_domain_parameters(
            KeyType.EC, {Attribute.EC_PARAMS: encode_named_curve_parameters("secp256r1")}, local=True
        )
        ec_public, _ = parameters.generate_keypair(store=True, label="ky-ec", id=b"\x02")

        rsa_key = serialization.load_der_public_key(encode_rsa_public_key(rsa_public))
        ec_key = serialization.load_der_public_key(encode_ec_public_key(ec_public))
        certificates = []
        for key, label, key_id in ((rsa_key, "ky-rsa", b"\x01"), (ec_key, "ky-ec", b"\x02")):
            assert isinstance(key, rsa.RSAPublicKey | ec.EllipticCurvePublicKey)
            certificate = demo_pki.issue_signing_certificate(key, "Đỗ Thị Token")
            session.create_object({
                Attribute.CLASS: ObjectClass.CERTIFICATE,
                Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                Attribute.TOKEN: True,
                Attribute.LABEL: label,
                Attribute.ID: key_id,
                Attribute.SUBJECT: certificate.subject.public_bytes(),
                Attribute.VALUE: certificate.public_bytes(serialization.Encoding.DER),
            })
            certificates.append(certificate)
    return Token(module, certificates[0], certificates[1])


def test_token_rsa_pss(token: Token, demo_pki: DemoPki) -> None:
    with open_pkcs11_signer(token.module, token_label=TOKEN_LABEL, pin=USER_PIN, key_label="ky-rsa",
                            chain=demo_pki.load_intermediates()) as signer:
        signature = sign_detached(MANIFEST, signer)

    result = verify_detached(signature, MANIFEST, trust_roots=demo_pki.load_roots(), crls=demo_pki.load_crls())

    assert result.valid, result.reason_code
    assert result.signature_algorithm == "rsassa_pss"
    assert result.signer_subject == token.rsa_certificate.subject.rfc4514_string()


def test_token_ecdsa(token: Token, demo_pki: DemoPki) -> None:
    with open_pkcs11_signer(token.module, token_label=TOKEN_LABEL, pin=USER_PIN, key_label="ky-ec",
                            chain=demo_pki.load_intermediates()) as signer:
        signature = sign_detached(MANIFEST, signer)

    result = verify_detached(signature, MANIFEST, trust_roots=demo_pki.load_roots(), crls=demo_pki.load_crls())

    assert result.valid, result.reason_code
    assert result.signature_algorithm == "ecdsa"


def test_token_wrong_pin(token: Token) -> None:
    with pytest.raises(TokenError) as raised, open_pkcs11_signer(token.module, token_label=TOKEN_LABEL, pin="000000"):
        pass
    assert raised.value.reason == "reason.token_pin"


def test_token_unknown_label(token: Token) -> None:
    with pytest.raises(TokenError) as raised, open_pkcs11_signer(token.module, token_label="khong-co", pin=USER_PIN):
        pass
    assert raised.value.reason == "reason.token_not_found"


def test_token_module_missing(tmp_path: Path) -> None:
    with pytest.raises(TokenError) as raised, open_pkcs11_signer(str(tmp_path / "khong-co.so"), token_label="x",
                                                                 pin=USER_PIN):
        pass
    assert raised.value.reason == "reason.token_module"


def test_token_certificate_of_other_key(token: Token, demo_pki: DemoPki) -> None:
    other = demo_pki.approver_signer().certificate

    with (
        pytest.raises(SignerKeyError, match="wrong key"),
        open_pkcs11_signer(token.module, token_label=TOKEN_LABEL, pin=USER_PIN, key_label="ky-rsa",
                           certificate=other) as signer,
    ):
        sign_detached(MANIFEST, signer)


def test_sign_command_with_token(token: Token, demo_pki: DemoPki, tmp_path: Path,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    manifest = tmp_path / "manifest.json"
    manifest.write_bytes(MANIFEST)
    chain = tmp_path / "chain.pem"
    chain.write_bytes(token.rsa_certificate.public_bytes(serialization.Encoding.PEM) + demo_pki.chain.read_bytes())
    monkeypatch.setenv("TOKEN_PIN", USER_PIN)

    code = main(["sign", str(manifest), "--pkcs11-module", token.module, "--token-label", TOKEN_LABEL,
                 "--key-label", "ky-rsa", "--pin-env", "TOKEN_PIN", "--cert", str(chain)])

    assert code == 0
    result = verify_detached((tmp_path / "manifest.json.p7s").read_bytes(), MANIFEST,
                             trust_roots=demo_pki.load_roots(), crls=demo_pki.load_crls())
    assert result.valid, result.reason_code
    monkeypatch.setenv("TOKEN_PIN", "000000")
    assert main(["sign", str(manifest), "--pkcs11-module", token.module, "--token-label", TOKEN_LABEL,
                 "--pin-env", "TOKEN_PIN"]) == 1


@pytest.mark.skipif(shutil.which("openssl") is None, reason="the openssl command is not installed")
def test_openssl_accepts_token_signature(token: Token, demo_pki: DemoPki, tmp_path: Path) -> None:
    with open_pkcs11_signer(token.module, token_label=TOKEN_LABEL, pin=USER_PIN, key_label="ky-ec",
                            chain=demo_pki.load_intermediates()) as signer:
        (tmp_path / "token.p7s").write_bytes(sign_detached(MANIFEST, signer))
    (tmp_path / "manifest.json").write_bytes(MANIFEST)

    completed = subprocess.run(  # noqa: S603 - fixed program, arguments built here
        ["openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", str(tmp_path / "token.p7s"),  # noqa: S607
         "-content", str(tmp_path / "manifest.json"), "-CAfile", str(demo_pki.root_cert), "-purpose", "any",
         "-out", "/dev/null"],
        capture_output=True, text=True, check=False, timeout=60,
    )

    assert completed.returncode == 0, completed.stderr


def test_token_approval_through_stage(token: Token, pipeline: LocalPipeline) -> None:
    batch_id = small_batch(pipeline, 0)
    pipeline.state.put_approver("H46", approver_entry(token.rsa_certificate), actor="test")
    with open_pkcs11_signer(token.module, token_label=TOKEN_LABEL, pin=USER_PIN, key_label="ky-rsa",
                            chain=pipeline.pki.load_intermediates()) as signer:
        signature = sign_detached(pipeline.manifest(batch_id), signer)

    outcome = pipeline.upload_signature(batch_id, signature)

    assert outcome["state"] == "approved"
    assert pipeline.batch(batch_id)["approval"]["signer_subject"] == token.rsa_certificate.subject.rfc4514_string()
