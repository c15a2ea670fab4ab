"""Local emulator of the three national APIs, served over loopback HTTP.

One process serves the product's contracts (``infra/openapi/``): the National Database on
CBCCVC, the National Population Database's matching service and the Party member database.
It validates requests against the contracts and keeps what it accepted in memory, optionally
saved to a JSON state file. It injects faults on request. Together these let tests run the
sync stage's retries, idempotency and error handling end to end without the real services.

Use it in-process::

    with Emulator(api_key="demo-key", population=people) as emulator:
        client = HttpNationalCbccvc(JsonApiClient(ApiSettings(base_url=emulator.url, ...)))

or as a process: ``python -m cbccvc_local.emulator --port 0 --api-key KEY --population FILE``
prints ``{"url": ...}`` on one line when it is ready and runs until SIGTERM or SIGINT.

Control endpoints (no authentication, loopback only):
``GET /_emulator/health``, ``GET /_emulator/state``, ``POST /_emulator/reset``,
``POST|DELETE /_emulator/faults``, ``POST /_emulator/population``, ``DELETE /_emulator/tokens``.

With a ``pki_responder`` it also serves a CA's publication point without authentication:
``GET /pki/{name}.crl`` (DER CRL) and ``POST /pki/ocsp`` (RFC 6960). Faults apply to these
paths too, so tests can make a CRL distribution point fail.

The emulator never prints or logs request bodies or paths: they contain personal data.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import hmac
import json
import os
import secrets
import signal
import ssl
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol, Self

from cbccvc_local.emulator_faults import FaultBook, FaultRule, parse_fault_rules
from cbccvc_local.emulator_schema import (
    MATCH_REQUEST,
    ORG_UNIT_SYNC,
    PARTY_SYNC,
    POPULATION_PERSON,
    POPULATION_SEED,
    PROFILE_BATCH,
    TEST_SYNC,
    Array,
    RequestInvalid,
    validate,
)
from cbccvc_local.emulator_store import EmulatorStore

ApprovalVerifier = Callable[[dict[str, Any]], str | None]


class PkiResponder(Protocol):
    """A CA's publication point: its CRLs by file name, and responses to OCSP requests."""

    def crl(self, file_name: str) -> bytes | None: ...

    def ocsp(self, request_der: bytes) -> bytes: ...


HOST = "127.0.0.1"
MAX_BODY_BYTES = 64 * 1024 * 1024
CONTROL_PREFIX = "/_emulator/"
OAUTH2_TOKEN_PATH = "/oauth2/token"  # noqa: S105 (a path, not a secret)
PROFILE_PREFIX = "/cbccvc/v1/profiles/"
PKI_PREFIX = "/pki/"
# Largest OCSP request body accepted; one request names one certificate in about 100 bytes.
MAX_OCSP_REQUEST_BYTES = 16 * 1024

# error_code of an injected status, as the real gateway would name it.
_STATUS_CODES = {
    429: "RATE_LIMITED",
    500: "INTERNAL_ERROR",
    502: "BAD_GATEWAY",
    503: "SERVICE_UNAVAILABLE",
    504: "GATEWAY_TIMEOUT",
}


def accept_any_approval(approval: dict[str, Any]) -> str | None:
    """Accept every approval that is present (the default: the local pipeline plugs in a CMS verifier)."""
    return None


@dataclass(frozen=True, slots=True)
class TlsConfig:
    """Serve HTTPS with this certificate; with ``client_ca_path``, require client certificates (mTLS)."""

    cert_path: Path
    key_path: Path
    client_ca_path: Path | None = None


@dataclass(frozen=True, slots=True)
class Response:
    """A response: ``body`` is sent as JSON, unless it is bytes, which are sent as ``content_type``."""

    status: int
    body: Any
    headers: Mapping[str, str] = field(default_factory=dict)
    content_type: str = "application/json; charset=utf-8"


@dataclass(frozen=True, slots=True)
class Request:
    method: str
    path: str
    headers: Message
    body: bytes
    client_cert_verified: bool = False


def _error(status: int, error_code: str, message: str, headers: Mapping[str, str] | None = None) -> Response:
    return Response(status, {"error_code": error_code, "message": message}, headers or {})


def _json_object(request: Request) -> dict[str, Any]:
    try:
        body = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise RequestInvalid(400, "INVALID_JSON", "the body is not valid UTF-8 JSON") from None
    if not isinstance(body, dict):
        raise RequestInvalid(400, "INVALID_BODY", "the body must be a JSON object")
    return body


def _json_any(request: Request) -> Any:
    if not request.body:
        return None
    try:
        return json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise RequestInvalid(400, "INVALID_JSON", "the body is not valid UTF-8 JSON") from None


class EmulatorApp:
    """Routes one request to the contract or control endpoint that serves it, applying faults first."""

    def __init__(
        self,
        store: EmulatorStore,
        *,
        api_key: str,
        approval_verifier: ApprovalVerifier,
        oauth2_clients: Mapping[str, str],
        token_ttl_seconds: float,
        max_records_per_request: int,
        stopping: threading.Event,
        pki_responder: PkiResponder | None = None,
        check_approval_batch: bool = False,
    ) -> None:
        self.store = store
        self.faults = FaultBook()
        self._api_key = api_key
        self._approval_verifier = approval_verifier
        self._check_approval_batch = check_approval_batch
        self._pki = pki_responder
        self._oauth2_clients = dict(oauth2_clients)
        self._token_ttl_seconds = token_ttl_seconds
        self._tokens: dict[str, float] = {}
        self._tokens_lock = threading.Lock()
        self._max_records = max_records_per_request
        self._stopping = stopping
        self._api_routes: dict[tuple[str, str], Callable[[Request], Response]] = {
            ("POST", "/cbccvc/v1/org-units:sync"): self._sync_org_units,
            ("POST", "/cbccvc/v1/profiles:batch"): self._send_profiles,
            ("POST", "/cbccvc/v1/test-sync"): self._send_test_sync,
            ("POST", "/population/v1/match"): self._match,
            ("POST", "/party/v1/members:sync"): self._sync_members,
        }
        self._control_routes: dict[tuple[str, str], Callable[[Request], Response]] = {
            ("GET", "/_emulator/health"): lambda _request: Response(200, {"status": "ok"}),
            ("GET", "/_emulator/state"): self._state,
            ("POST", "/_emulator/reset"): self._reset,
            ("POST", "/_emulator/faults"): self._add_faults,
            ("DELETE", "/_emulator/faults"): self._clear_faults,
            ("POST", "/_emulator/population"): self._seed_population,
            ("DELETE", "/_emulator/tokens"): self._revoke_tokens,
        }

    def handle(self, request: Request) -> Response | None:
        """Serve ``request``; None means: close the connection without a response."""
        if request.path.startswith(CONTROL_PREFIX):
            return self._dispatch(self._control_routes, request)

        rule = self.faults.take(request.path)
        if rule is not None and rule.kind != "latency":
            # Logged before a timeout's wait, so the request log shows it while the client waits.
            response = self._fault_response(rule)
            status = response.status if response is not None else None
            self.store.log_request(request.method, request.path, status, rule.kind)
            if rule.kind == "timeout":
                # Wait past the client's timeout; stop() cuts the wait short.
                self._stopping.wait(rule.delay_seconds)
            return response

        if rule is not None:
            self._stopping.wait(rule.delay_seconds)
        response = self._serve_api(request)
        self.store.log_request(request.method, request.path, response.status, rule.kind if rule else None)
        return response

    def _fault_response(self, rule: FaultRule) -> Response | None:
        if rule.kind == "status":
            status = rule.status if rule.status is not None else 500
            headers = {"Retry-After": rule.retry_after} if rule.retry_after is not None else {}
            return _error(status, _STATUS_CODES.get(status, "INJECTED_FAULT"), "injected fault", headers)
        return None

    def _serve_api(self, request: Request) -> Response:
        if request.path.startswith(PKI_PREFIX) and self._pki is not None:
            return self._serve_pki(self._pki, request)
        if request.path == OAUTH2_TOKEN_PATH:
            return self._issue_token(request) if request.method == "POST" else _method_not_allowed()

        if request.path.startswith(PROFILE_PREFIX) and request.method == "GET":
            handler: Callable[[Request], Response] | None = self._get_profile
        else:
            handler = self._route(self._api_routes, request)
        if handler is None:
            return _not_found_or_method(self._api_routes, request)

        if not self._authenticated(request):
            return _error(401, "UNAUTHORIZED", "missing or wrong credentials", {"WWW-Authenticate": "Bearer"})

        try:
            return handler(request)
        except RequestInvalid as error:
            return _error(error.status, error.error_code, error.message)

    def _dispatch(self, routes: Mapping[tuple[str, str], Callable[[Request], Response]], request: Request) -> Response:
        handler = self._route(routes, request)
        if handler is None:
            return _not_found_or_method(routes, request)
        try:
            return handler(request)
        except RequestInvalid as error:
            return _error(error.status, error.error_code, error.message)

    @staticmethod
    def _route(
        routes: Mapping[tuple[str, str], Callable[[Request], Response]], request: Request
    ) -> Callable[[Request], Response] | None:
        return routes.get((request.method, request.path))

    def _authenticated(self, request: Request) -> bool:
        if request.client_cert_verified:
            return True

        api_key = request.headers.get("X-API-Key")
        if api_key is not None and hmac.compare_digest(api_key.encode(), self._api_key.encode()):
            return True

        scheme, _, token = (request.headers.get("Authorization") or "").partition(" ")
        if scheme.lower() != "bearer" or not token:
            return False
        with self._tokens_lock:
            expires_at = self._tokens.get(token)
        return expires_at is not None and time.monotonic() < expires_at

    def _check_count(self, items: Any) -> None:
        if isinstance(items, list) and len(items) > self._max_records:
            raise RequestInvalid(
                413, "TOO_MANY_RECORDS", f"at most {self._max_records} items per request, got {len(items)}"
            )

    # -- contract endpoints ------------------------------------------------------------------

    def _sync_org_units(self, request: Request) -> Response:
        body = _json_object(request)
        self._check_count(body.get("units"))
        validate(body, ORG_UNIT_SYNC)
        return Response(200, {"results": self.store.sync_org_units(body["agency_code"], body["units"])})

    def _send_profiles(self, request: Request) -> Response:
        body = _json_object(request)
        self._check_count(body.get("records"))
        self._check_profile_request(body, "profiles:batch")
        results = self.store.store_profiles(body["agency_code"], body["batch_id"], body["records"], True)
        return Response(200, {"results": results})

    def _send_test_sync(self, request: Request) -> Response:
        body = _json_object(request)
        self._check_profile_request(body, "test-sync")
        pilot = self.store.store_pilot(body["agency_code"], body["batch_id"], body["records"], True)
        return Response(200, pilot)

    def _check_profile_request(self, body: dict[str, Any], endpoint: str) -> None:
        """Validate a profiles or test-sync request and its approval; raise RequestInvalid if bad.

        An approval the verifier rejects gets 422 ``APPROVAL_INVALID`` (the contract's code); the
        verifier's own code goes into the message and the recorded approval.
        """
        if body.get("approval") is None:
            raise RequestInvalid(422, "APPROVAL_MISSING", "approval is required")
        validate(body, TEST_SYNC if endpoint == "test-sync" else PROFILE_BATCH)

        verdict = self._approval_verifier(body["approval"])
        if verdict is None and self._check_approval_batch:
            verdict = _approval_batch_mismatch(body)
        self.store.record_approval(endpoint, body["agency_code"], body["batch_id"], body["approval"], verdict)
        if verdict is not None:
            raise RequestInvalid(422, "APPROVAL_INVALID", f"approval failed verification: {verdict}")

        area = self.store.test_profiles if endpoint == "test-sync" else self.store.profiles
        manifest = body["approval"]["manifest_b64"]
        if self.store.batch_conflicts(area, body["agency_code"], body["batch_id"], manifest):
            raise RequestInvalid(409, "BATCH_CONFLICT", "batch_id was sent before with another approval")

    def _serve_pki(self, responder: PkiResponder, request: Request) -> Response:
        name = request.path.removeprefix(PKI_PREFIX)
        if request.method == "GET" and name.endswith(".crl"):
            crl = responder.crl(name)
            if crl is None:
                return _error(404, "NOT_FOUND", "no such CRL")
            return Response(200, crl, content_type="application/pkix-crl")
        if request.method == "POST" and name == "ocsp":
            if len(request.body) > MAX_OCSP_REQUEST_BYTES:
                return _error(413, "PAYLOAD_TOO_LARGE", "OCSP request too large")
            return Response(200, responder.ocsp(request.body), content_type="application/ocsp-response")
        return _error(404, "NOT_FOUND", "no such endpoint")

    def _get_profile(self, request: Request) -> Response:
        personal_id = request.path.removeprefix(PROFILE_PREFIX)
        profile = self.store.latest_profile(personal_id)
        if profile is None:
            return _error(404, "NOT_FOUND", "no accepted record for this personal ID")
        return Response(200, profile)

    def _match(self, request: Request) -> Response:
        body = _json_object(request)
        self._check_count(body.get("people"))
        validate(body, MATCH_REQUEST)
        return Response(200, {"results": self.store.match(body["people"])})

    def _sync_members(self, request: Request) -> Response:
        body = _json_object(request)
        self._check_count(body.get("records"))
        validate(body, PARTY_SYNC)
        return Response(200, {"results": self.store.sync_party(body["agency_code"], body["records"])})

    def _issue_token(self, request: Request) -> Response:
        """Serve the client-credentials grant (RFC 6749, section 4.4) for the configured clients."""
        if not self._oauth2_clients:
            return _error(404, "NOT_FOUND", "OAuth2 is not enabled on this emulator")

        form = urllib.parse.parse_qs(request.body.decode("utf-8", errors="replace"))
        client_id, client_secret = _client_credentials(request.headers, form)
        expected = self._oauth2_clients.get(client_id or "")
        if expected is None or not hmac.compare_digest(expected.encode(), (client_secret or "").encode()):
            return Response(401, {"error": "invalid_client"}, {"WWW-Authenticate": "Basic"})
        if form.get("grant_type") != ["client_credentials"]:
            return Response(400, {"error": "unsupported_grant_type"})

        token = secrets.token_urlsafe(32)
        with self._tokens_lock:
            self._tokens[token] = time.monotonic() + self._token_ttl_seconds
        body = {"access_token": token, "token_type": "Bearer", "expires_in": int(self._token_ttl_seconds)}
        return Response(200, body, {"Cache-Control": "no-store"})

    # -- control endpoints -------------------------------------------------------------------

    def _state(self, request: Request) -> Response:
        return Response(200, {**self.store.snapshot(), "faults": self.faults.snapshot()})

    def _reset(self, request: Request) -> Response:
        """Clear stored data, faults and tokens; the population stays unless the body has keep_population=false."""
        body = _json_any(request) or {}
        keep_population = not isinstance(body, dict) or body.get("keep_population", True) is not False
        self.reset(keep_population)
        return Response(200, {"reset": True, "kept_population": keep_population})

    def reset(self, keep_population: bool) -> None:
        self.store.reset(keep_population)
        self.faults.clear()
        self.revoke_tokens()

    def _add_faults(self, request: Request) -> Response:
        active = self.faults.add(parse_fault_rules(_json_any(request)))
        return Response(200, {"active_faults": active})

    def _clear_faults(self, request: Request) -> Response:
        self.faults.clear()
        return Response(200, {"active_faults": 0})

    def _seed_population(self, request: Request) -> Response:
        body = _json_any(request)
        if isinstance(body, list):
            body = {"people": body}
        validate(body, POPULATION_SEED)
        size = self.store.seed_population(body["people"], replace=body.get("mode", "replace") == "replace")
        return Response(200, {"population": size})

    def _revoke_tokens(self, request: Request) -> Response:
        self.revoke_tokens()
        return Response(200, {"revoked": True})

    def revoke_tokens(self) -> None:
        with self._tokens_lock:
            self._tokens.clear()


def _approval_batch_mismatch(body: Mapping[str, Any]) -> str | None:
    """Return BATCH_MISMATCH when the approved manifest names another agency or batch than the request.

    Only a JSON-object manifest is compared, field by field: telling a forged manifest apart is
    the approval verifier's task, and contract tests send small stand-ins.
    """
    try:
        manifest = json.loads(base64.b64decode(body["approval"]["manifest_b64"], validate=True))
    except (binascii.Error, UnicodeDecodeError, json.JSONDecodeError):
        return None
    if not isinstance(manifest, dict):
        return None
    for field_name in ("agency_code", "batch_id"):
        if field_name in manifest and manifest[field_name] != body[field_name]:
            return "BATCH_MISMATCH"
    return None


def _client_credentials(headers: Message, form: Mapping[str, list[str]]) -> tuple[str | None, str | None]:
    """Return the client id and secret from HTTP Basic, or else from the form (RFC 6749, 2.3.1)."""
    scheme, _, encoded = (headers.get("Authorization") or "").partition(" ")
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(encoded, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return None, None
        client_id, _, secret = decoded.partition(":")
        return urllib.parse.unquote(client_id), urllib.parse.unquote(secret)
    return form.get("client_id", [None])[0], form.get("client_secret", [None])[0]


def _method_not_allowed() -> Response:
    return _error(405, "METHOD_NOT_ALLOWED", "method not allowed on this path")


def _not_found_or_method(routes: Mapping[tuple[str, str], object], request: Request) -> Response:
    if any(path == request.path for _method, path in routes):
        return _method_not_allowed()
    return _error(404, "NOT_FOUND", "no such endpoint")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "cbccvc-emulator"
    # Seconds an idle keep-alive connection stays open.
    timeout = 60
    server: _EmulatorServer

    def setup(self) -> None:
        # The TLS handshake runs here, in the connection's own thread, not in the accept loop.
        if isinstance(self.request, ssl.SSLSocket):
            self.request.do_handshake()
        super().setup()

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_DELETE(self) -> None:
        self._serve()

    def log_message(self, format: str, *args: Any) -> None:
        # Paths may contain personal IDs, so nothing is logged per request; see GET /_emulator/state.
        return

    def _serve(self) -> None:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0:
            self.close_connection = True
            self._write(_error(400, "INVALID_BODY", "Content-Length must be a non-negative integer"))
            return
        if length > MAX_BODY_BYTES:
            self.close_connection = True
            self._write(_error(413, "PAYLOAD_TOO_LARGE", f"the body exceeds {MAX_BODY_BYTES} bytes"))
            return

        request = Request(
            method=self.command,
            path=urllib.parse.urlsplit(self.path).path,
            headers=self.headers,
            body=self.rfile.read(length) if length else b"",
            client_cert_verified=self._client_cert_verified(),
        )
        response = self.server.app.handle(request)
        if response is None:
            self.close_connection = True
            return
        self._write(response)

    def _client_cert_verified(self) -> bool:
        # getpeercert() returns a non-empty dict only for a certificate the context verified.
        return isinstance(self.connection, ssl.SSLSocket) and bool(self.connection.getpeercert())

    def _write(self, response: Response) -> None:
        if isinstance(response.body, bytes):
            payload = response.body
        else:
            payload = json.dumps(response.body, ensure_ascii=False).encode("utf-8")
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(payload)))
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)


class _EmulatorServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, port: int, app: EmulatorApp, tls: TlsConfig | None) -> None:
        super().__init__((HOST, port), _Handler)
        self.app = app
        if tls is not None:
            self.socket = _server_tls_context(tls).wrap_socket(
                self.socket, server_side=True, do_handshake_on_connect=False
            )

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that timed out, dropped the connection or failed the TLS handshake. The
        # exception type is enough; its text could echo request data.
        error_type = sys.exc_info()[0]
        name = error_type.__name__ if error_type is not None else "unknown"
        print(f"emulator: connection ended: {name}", file=sys.stderr)


def _server_tls_context(tls: TlsConfig) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(tls.cert_path, tls.key_path)
    if tls.client_ca_path is not None:
        context.verify_mode = ssl.CERT_REQUIRED
        context.load_verify_locations(tls.client_ca_path)
    return context


def load_population_file(path: Path) -> list[dict[str, Any]]:
    """Read and validate a population seed file: a JSON list of people."""
    people = json.loads(path.read_text(encoding="utf-8"))
    try:
        validate(people, Array(POPULATION_PERSON, min_items=0), "population")
    except RequestInvalid as error:
        raise ValueError(f"{path}: {error.message}") from None
    return list(people)


class Emulator:
    """The emulator as an object: ``start()`` serves on a background thread and returns the base URL.

    ``approval_verifier`` receives the ``approval`` object of each profiles and test-sync
    request and returns a reason code, which makes the request fail with 422
    ``APPROVAL_INVALID``, or None to accept it. A missing approval is always rejected with 422
    ``APPROVAL_MISSING``. With ``check_approval_batch``, an approval whose manifest names
    another agency or batch than the request is rejected the same way (``BATCH_MISMATCH``).
    ``pki_responder`` adds the ``/pki/`` publication point.
    """

    def __init__(
        self,
        api_key: str,
        *,
        port: int = 0,
        population: Iterable[Mapping[str, Any]] = (),
        state_path: Path | None = None,
        approval_verifier: ApprovalVerifier = accept_any_approval,
        oauth2_clients: Mapping[str, str] | None = None,
        token_ttl_seconds: float = 3600.0,
        tls: TlsConfig | None = None,
        max_records_per_request: int = 500,
        flush_interval_seconds: float = 0.5,
        pki_responder: PkiResponder | None = None,
        check_approval_batch: bool = False,
    ) -> None:
        self._port = port
        self._population = list(population)
        self._state_path = state_path
        self._tls = tls
        self._flush_interval_seconds = flush_interval_seconds
        self._stopping = threading.Event()
        self.store = EmulatorStore()
        self.app = EmulatorApp(
            self.store,
            api_key=api_key,
            approval_verifier=approval_verifier,
            oauth2_clients=oauth2_clients or {},
            token_ttl_seconds=token_ttl_seconds,
            max_records_per_request=max_records_per_request,
            stopping=self._stopping,
            pki_responder=pki_responder,
            check_approval_batch=check_approval_batch,
        )
        self._server: _EmulatorServer | None = None
        self._threads: list[threading.Thread] = []
        self._written_version = -1
        self._url: str | None = None

    @property
    def url(self) -> str:
        if self._url is None:
            raise RuntimeError("the emulator is not running; call start() first")
        return self._url

    def start(self) -> str:
        """Load the state file, seed the population, start serving and return the base URL."""
        if self._url is not None:
            return self._url

        if self._state_path is not None and self._state_path.exists():
            self.store.load(json.loads(self._state_path.read_text(encoding="utf-8")))
        if self._population:
            self.store.seed_population(self._population, replace=True)

        self._stopping.clear()
        self._server = _EmulatorServer(self._port, self.app, self._tls)
        serve = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
        serve.start()
        self._threads = [serve]
        if self._state_path is not None:
            flush = threading.Thread(target=self._flush_periodically, daemon=True)
            flush.start()
            self._threads.append(flush)

        scheme = "https" if self._tls is not None else "http"
        self._url = f"{scheme}://{HOST}:{self._server.server_address[1]}"
        return self._url

    def stop(self) -> None:
        """Stop serving, end injected waits and write the state file one last time."""
        if self._server is None:
            return
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()
        for thread in self._threads:
            thread.join()
        self._flush()
        self._server = None
        self._url = None

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def add_faults(self, rules: Sequence[Mapping[str, Any]]) -> None:
        """Add fault rules, shaped as for ``POST /_emulator/faults``."""
        self.app.faults.add(parse_fault_rules([dict(rule) for rule in rules]))

    def clear_faults(self) -> None:
        self.app.faults.clear()

    def seed_population(self, people: Iterable[Mapping[str, Any]], replace: bool = True) -> int:
        return self.store.seed_population(people, replace)

    def state(self) -> dict[str, Any]:
        """Return what ``GET /_emulator/state`` returns."""
        return {**self.store.snapshot(), "faults": self.app.faults.snapshot()}

    def reset(self, keep_population: bool = True) -> None:
        self.app.reset(keep_population)

    def _flush_periodically(self) -> None:
        # Written at most every flush interval rather than per request, because a demo run of
        # 100,000 records would otherwise rewrite a growing file hundreds of times.
        while not self._stopping.wait(self._flush_interval_seconds):
            self._flush()

    def _flush(self) -> None:
        if self._state_path is None or self.store.version == self._written_version:
            return
        version = self.store.version
        payload = json.dumps(self.store.dump(), ensure_ascii=False)
        temporary = self._state_path.with_name(self._state_path.name + ".tmp")
        temporary.write_text(payload, encoding="utf-8")
        os.replace(temporary, self._state_path)
        self._written_version = version


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m cbccvc_local.emulator",
        description="Serve the national CBCCVC, population and Party API contracts on 127.0.0.1.",
    )
    parser.add_argument("--port", type=int, default=0, help="TCP port; 0 picks a free one (default 0)")
    parser.add_argument("--api-key", required=True, help="the X-API-Key value the emulator accepts")
    parser.add_argument("--population", type=Path, help="JSON file: [{personal_id, full_name, birth_date, gender}]")
    parser.add_argument("--state", type=Path, help="JSON file that keeps the state across restarts")
    parser.add_argument(
        "--max-records", type=int, default=500, help="max records per request; more gets 413 (default 500)"
    )
    parser.add_argument(
        "--oauth2-client",
        type=_oauth2_client,
        action="append",
        default=[],
        metavar="ID:SECRET",
        help="enable POST /oauth2/token for this client (repeatable)",
    )
    parser.add_argument("--tls-cert", type=Path, help="serve HTTPS with this PEM certificate")
    parser.add_argument("--tls-key", type=Path, help="PEM private key of --tls-cert")
    parser.add_argument("--tls-client-ca", type=Path, help="require client certificates issued by this CA (PEM)")
    return parser.parse_args(argv)


def _oauth2_client(value: str) -> tuple[str, str]:
    client_id, separator, secret = value.partition(":")
    if not separator or not client_id or not secret:
        # The value is not echoed because it contains the secret.
        raise argparse.ArgumentTypeError("expected ID:SECRET with a non-empty ID and secret")
    return client_id, secret


def main(argv: Sequence[str] | None = None) -> int:
    """Run the emulator until SIGTERM or SIGINT; print ``{"url": ...}`` when ready."""
    args = _parse_args(argv)
    if (args.tls_cert is None) != (args.tls_key is None):
        print("error: --tls-cert and --tls-key must be given together", file=sys.stderr)
        return 2
    if args.tls_client_ca is not None and args.tls_cert is None:
        print("error: --tls-client-ca needs --tls-cert and --tls-key", file=sys.stderr)
        return 2

    try:
        population = load_population_file(args.population) if args.population else []
    except (OSError, ValueError) as error:
        print(f"error: cannot load --population: {error}", file=sys.stderr)
        return 2

    tls = None
    if args.tls_cert is not None and args.tls_key is not None:
        tls = TlsConfig(args.tls_cert, args.tls_key, args.tls_client_ca)

    emulator = Emulator(
        args.api_key,
        port=args.port,
        population=population,
        state_path=args.state,
        oauth2_clients=dict(args.oauth2_client),
        tls=tls,
        max_records_per_request=args.max_records,
    )
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda _signum, _frame: stop.set())
    signal.signal(signal.SIGINT, lambda _signum, _frame: stop.set())

    print(json.dumps({"url": emulator.start()}), flush=True)
    while not stop.wait(0.5):
        pass
    emulator.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
