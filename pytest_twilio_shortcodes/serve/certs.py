"""A throw-away certificate authority for the proxy, made with ``trustme``.

One authority a process, made on first use: a leaf certificate for each Twilio host the
proxy is asked for (cached), and two files for the processes that trust it: the
authority alone (for ``NODE_EXTRA_CA_CERTS``, which adds to Node's own roots) and the
authority followed by certifi's bundle (for ``SSL_CERT_FILE`` and the like, which
replace a client's default roots, so other HTTPS still verifies).
"""

from __future__ import annotations

import atexit
import shutil
import ssl
import tempfile
import threading
from pathlib import Path
from typing import Any

_LOCK = threading.Lock()
_AUTHORITY: list[Authority] = []


class Authority:
    def __init__(self) -> None:
        try:
            import trustme
        except ImportError:  # pragma: no cover - the [serve] extra is missing
            raise ImportError(
                "serving Twilio to other processes needs trustme: "
                "pip install 'pytest-twilio-shortcodes[serve]'"
            ) from None
        import certifi

        self._ca: Any = trustme.CA(organization_name="pytest-twilio-shortcodes")
        self._contexts: dict[str, ssl.SSLContext] = {}
        self._lock = threading.Lock()
        folder = Path(tempfile.mkdtemp(prefix="twilio-shortcodes-ca-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        # Certificates are public: a child running as another user must read them (the
        # folder mkdtemp makes is the owner's alone). The key never leaves this process.
        folder.chmod(0o755)
        authority = self._ca.cert_pem.bytes()
        self.ca_file = folder / "ca.pem"
        self.bundle_file = folder / "bundle.pem"
        for path, data in (
            (self.ca_file, authority),
            (self.bundle_file, authority + b"\n" + Path(certifi.where()).read_bytes()),
        ):
            path.write_bytes(data)
            path.chmod(0o644)

    def context(self, host: str) -> ssl.SSLContext:
        """A server-side TLS context presenting a certificate for ``host``."""
        context = self._contexts.get(host)
        if context is None:
            with self._lock:
                context = self._contexts.get(host)
                if context is None:
                    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
                    context.set_alpn_protocols(["http/1.1"])  # no HTTP/2 here
                    self._ca.issue_cert(host).configure_cert(context)
                    self._contexts[host] = context
        return context


def authority() -> Authority:
    """The process's authority, made on first use."""
    with _LOCK:
        if not _AUTHORITY:
            _AUTHORITY.append(Authority())
        return _AUTHORITY[0]
