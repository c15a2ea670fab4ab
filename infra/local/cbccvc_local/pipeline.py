"""The whole local pipeline: moto server, the emulator, demo certificates and the handlers.

``LocalPipeline`` starts everything, registers one agency, and offers one method per thing an
agency or the schedule does (upload an export, sign a manifest, run the queue, fire the daily
report). The demo and the end-to-end tests drive it; both stop everything it started.
"""

from __future__ import annotations

import json
import logging
import warnings
from collections.abc import Iterable, Iterator, Mapping
from contextlib import ExitStack, contextmanager, redirect_stdout
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import load_der_public_key

from cbccvc.approval.registry import approver_entry
from cbccvc.approval.seal import SEALS_PREFIX
from cbccvc.intake.units import read_units
from cbccvc.models import BatchKeys
from cbccvc.observability import logger
from cbccvc.signing.cms import sign_detached
from cbccvc.state.repository import StateRepository
from cbccvc.storage import S3ObjectStore
from cbccvc_local.dispatcher import Dispatcher, reset_handlers
from cbccvc_local.emulator import Emulator
from cbccvc_local.emulator_approval import ApprovalSignatureVerifier
from cbccvc_local.pki import DemoPki, ensure_demo_pki
from cbccvc_local.pki_responder import DemoPkiResponder
from cbccvc_local.stack import ApiEndpoints, LocalStack, create_stack, moto_server
from cbccvc_local.template import REPOSITORY_ROOT

LOCAL_DIRECTORY = REPOSITORY_ROOT / ".local"
SAMPLES = Path(__file__).resolve().parent / "samples"
SAMPLE_EXPORT = SAMPLES / "Danh sách CBCCVC mẫu.xlsx"
SAMPLE_POPULATION = SAMPLES / "population.json"
SAMPLE_UNITS = SAMPLES / "units.csv"
DEFAULT_AGENCY_CODE = "H46"
DEFAULT_AGENCY_NAME = "Ủy ban nhân dân thành phố Huế"
EMULATOR_API_KEY = "local-demo-key"
TRUST_ANCHOR_KEY = "config/trust-anchors/demo-root-ca.pem"


@dataclass
class LocalPipeline:
    stack: LocalStack
    emulator: Emulator
    pki: DemoPki
    dispatcher: Dispatcher
    state: StateRepository
    store: S3ObjectStore
    agency_code: str

    # --- set-up -----------------------------------------------------------------------------

    def register_agency(self, name: str, units: Iterable[Mapping[str, Any]]) -> None:
        self.state.register_agency(self.agency_code, name)
        self.state.put_org_units(self.agency_code, units)

    def trust_demo_pki(self) -> None:
        """Trust the demo root CA, store its CRLs, register the demo approver and certify the agency seal.

        When the emulator serves the demo CAs' publication point, the approve function may also
        fetch CRLs and OCSP responses from it, as a deployment allows its CA's URLs.
        """
        self.store.put(TRUST_ANCHOR_KEY, self.pki.root_cert.read_bytes(), content_type="application/x-pem-file")
        for path in (self.pki.issuing_crl_der, self.pki.root_crl_der):
            self.store.put(f"config/crls/{path.name}", path.read_bytes(), content_type="application/pkix-crl")
        certificate = self.pki.approver_signer().certificate
        self.state.put_approver(self.agency_code, approver_entry(certificate), actor="local-demo")
        self.certify_seal()
        if self.emulator.url.endswith(f":{self.pki.publication_port}"):
            self.stack.environments["ApproveFunction"]["REVOCATION_FETCH_ALLOWED_URLS"] = self.pki.publication_url
            reset_handlers()

    def certify_seal(self) -> x509.Certificate:
        """Issue the agency's seal certificate for the stack's seal key; store it where the approve stage reads it."""
        key_id = self.stack.resolver.refs["SealKey"]
        public_key = load_der_public_key(self.stack.client("kms").get_public_key(KeyId=key_id)["PublicKey"])
        if not isinstance(public_key, rsa.RSAPublicKey | ec.EllipticCurvePublicKey):
            raise TypeError(f"the seal key is {type(public_key).__name__}; expected RSA or EC")
        agency = self.state.get_agency(self.agency_code) or {}
        agency_name = agency.get("name", self.agency_code)
        certificate = self.pki.issue_seal_certificate(public_key, self.agency_code, agency_name)
        chain = certificate.public_bytes(serialization.Encoding.PEM) + self.pki.issuing_cert.read_bytes()
        self.store.put(f"{SEALS_PREFIX}{self.agency_code}.pem", chain, content_type="application/x-pem-file")
        return certificate

    # --- what agencies do ------------------------------------------------------------------

    def upload_export(self, data: bytes, file_name: str) -> dict[str, Any]:
        """Upload an export under incoming/{agency}/ and return the validate handler's outcome."""
        key = f"incoming/{self.agency_code}/{file_name}"
        results = self.dispatcher.upload(key, data)
        outcome: dict[str, Any] = results[0]["batches"][0]
        return outcome

    def redeliver_upload_event(self, file_name: str) -> dict[str, Any]:
        """Deliver the S3 notification of an existing upload once more, as S3 may do."""
        key = f"incoming/{self.agency_code}/{file_name}"
        outcome: dict[str, Any] = self.dispatcher.deliver_s3(key)[0]["batches"][0]
        return outcome

    def batch(self, batch_id: str) -> dict[str, Any]:
        batch = self.state.get_batch(batch_id)
        if batch is None:
            raise LookupError(f"batch {batch_id} not found")
        return batch

    def manifest(self, batch_id: str) -> bytes:
        return self.store.get(BatchKeys(self.agency_code, batch_id).manifest)

    def sign_and_upload(self, batch_id: str, *, signer: Any = None, name: str = "phe-duyet.p7s") -> dict[str, Any]:
        """Sign the batch manifest as the approver and upload the signature; return the approve outcome."""
        signature = sign_detached(self.manifest(batch_id), signer or self.pki.approver_signer())
        return self.upload_signature(batch_id, signature, name=name)

    def upload_signature(self, batch_id: str, signature: bytes, *, name: str = "phe-duyet.p7s") -> dict[str, Any]:
        key = f"{BatchKeys(self.agency_code, batch_id).approval_prefix}{name}"
        outcome: dict[str, Any] = self.dispatcher.upload(key, signature)[0]["approvals"][0]
        return outcome

    def run_sync(self) -> int:
        """Deliver queued sync messages until the queue is empty; return how many were handled."""
        return self.dispatcher.pump_queue()

    def fire_daily_report(self, when: datetime | None = None) -> dict[str, Any]:
        result: dict[str, Any] = self.dispatcher.fire_schedule(when or datetime.now(UTC))
        return result

    def emulator_state(self) -> dict[str, Any]:
        return self.emulator.state()


@contextmanager
def running_pipeline(*, agency_code: str = DEFAULT_AGENCY_CODE, population: list[dict[str, Any]] | None = None,
                     log_path: Path | None = None, pki_directory: Path | None = None) -> Iterator[LocalPipeline]:
    """Start moto, the emulator and the stack; stop them all when the block ends."""
    with ExitStack() as cleanup:
        # Handlers that record no metric (a sync plan step) make Powertools warn at every flush.
        cleanup.enter_context(warnings.catch_warnings())
        warnings.filterwarnings("ignore", message="No application metrics to publish")
        if log_path is not None:
            cleanup.enter_context(_logs_to_file(log_path))
        pki = ensure_demo_pki(pki_directory or LOCAL_DIRECTORY / "pki")
        # Started before moto, which takes a free port too, so the demo CAs' port is still free.
        emulator = _start_emulator(pki, population or [])
        cleanup.callback(emulator.stop)
        endpoint = cleanup.enter_context(moto_server())
        endpoints = ApiEndpoints(base_url=emulator.url, api_key=EMULATOR_API_KEY)
        stack = create_stack(endpoint, {"NationalApiSecretName": endpoints, "PopulationApiSecretName": endpoints,
                                        "PartyApiSecretName": endpoints})
        reset_handlers()
        cleanup.callback(reset_handlers)
        pipeline = LocalPipeline(
            stack=stack, emulator=emulator, pki=pki, dispatcher=Dispatcher(stack),
            state=StateRepository(stack.client("dynamodb"), stack.table),
            store=S3ObjectStore(stack.client("s3"), stack.bucket), agency_code=agency_code,
        )
        yield pipeline


def _start_emulator(pki: DemoPki, population: list[dict[str, Any]]) -> Emulator:
    """Start the emulator on the demo CAs' publication port, checking approvals against the demo PKI.

    When that port is taken, the emulator runs on a free port without the publication point's
    URLs matching, and the approve stage then relies on the CRLs stored in the bucket.
    """
    verifier = ApprovalSignatureVerifier(pki.load_roots(), pki.load_crls)
    for port in (pki.publication_port, 0):
        emulator = Emulator(api_key=EMULATOR_API_KEY, population=population, port=port, approval_verifier=verifier,
                            pki_responder=DemoPkiResponder(pki), check_approval_batch=True)
        try:
            emulator.start()
        except OSError:
            logger.warning("pki_publication_port_taken", port=port)
            continue
        return emulator
    raise RuntimeError("the emulator could not start")


def load_sample_units() -> list[dict[str, Any]]:
    return read_units(SAMPLE_UNITS.read_bytes(), SAMPLE_UNITS.name)


def load_sample_population() -> list[dict[str, Any]]:
    population: list[dict[str, Any]] = json.loads(SAMPLE_POPULATION.read_text(encoding="utf-8"))
    return population


@contextmanager
def _logs_to_file(path: Path) -> Iterator[None]:
    """Send the handlers' log lines and metrics, and moto's request log, to a file.

    Powertools' logger writes to the stream it was given at import, so its handlers are
    re-pointed; metrics are printed, so stdout is redirected while the block runs.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as stream, redirect_stdout(stream):
        handlers = [handler for handler in logger.handlers if isinstance(handler, logging.StreamHandler)]
        previous = [handler.setStream(stream) for handler in handlers]
        server_log = logging.getLogger("werkzeug")
        server_log_handler = logging.StreamHandler(stream)
        server_log.addHandler(server_log_handler)
        server_log.propagate = False
        try:
            yield
        finally:
            server_log.removeHandler(server_log_handler)
            server_log.propagate = True
            for handler, old in zip(handlers, previous, strict=True):
                if old is not None:
                    handler.setStream(old)
