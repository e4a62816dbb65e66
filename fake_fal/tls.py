"""TLS for fake hosts: one trustme CA, leaf certificates, and the Chromium flags that trust and reach them.

Chromium reaches a fake host through `--host-resolver-rules` (`MAP host:443 127.0.0.1:<port>`), so page
URLs keep no port and CSP host-sources match as in production. It trusts exactly our leaf key through
`--ignore-certificate-errors-spki-list`, which (unlike a context's `ignore_https_errors`) also covers
Reporting-API uploads.
"""

from __future__ import annotations

import base64
import hashlib
import os
import shutil
import ssl
import tempfile
import weakref
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import trustme
from cryptography import x509
from cryptography.hazmat.primitives import serialization

# Flags that keep a headless Chromium quiet on a closed network and let media play without a gesture.
QUIET_CHROMIUM_FLAGS = (
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    "--autoplay-policy=no-user-gesture-required",
)


def _spki_sha256(cert_pem: bytes) -> str:
    cert = x509.load_pem_x509_certificate(cert_pem)
    spki = cert.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return base64.b64encode(hashlib.sha256(spki).digest()).decode("ascii")


@dataclass
class Certificates:
    """A CA and one leaf certificate for `hosts`, kept in memory; the CA's PEM file only once asked for.

    Servers need no files (the leaf goes into an SSLContext). Clients outside the process need `ca_cert`,
    written to a `fake-tls-*` folder on first use and removed by `cleanup()` (or at interpreter exit).
    """

    hosts: Sequence[str]

    def __post_init__(self) -> None:
        self.hosts = tuple(self.hosts)
        self._ca = trustme.CA(organization_name="fake_fal test CA")
        # 127.0.0.1 and localhost let non-browser clients (fal-client, Node) reach the fake by address.
        self._leaf = self._ca.issue_cert(*self.hosts, "127.0.0.1", "localhost")
        self._folder: Path | None = None
        self._remove_folder: Callable[[], object] | None = None

    @property
    def ca_cert(self) -> Path:
        """The CA certificate as a PEM file, for clients in other processes (SSL_CERT_FILE, Node)."""
        if self._folder is None:
            self._folder = Path(tempfile.mkdtemp(prefix="fake-tls-"))
            self._remove_folder = weakref.finalize(self, shutil.rmtree, self._folder, ignore_errors=True)
            self._ca.cert_pem.write_to_path(str(self._folder / "ca.pem"))
        return self._folder / "ca.pem"

    def cleanup(self) -> None:
        """Remove the CA file's folder; a later `ca_cert` writes a new one."""
        if self._remove_folder is not None:
            self._remove_folder()
        self._folder = self._remove_folder = None

    @property
    def spki(self) -> str:
        """Base64 SHA-256 of the leaf's SubjectPublicKeyInfo, for `--ignore-certificate-errors-spki-list`."""
        return _spki_sha256(self._leaf.cert_chain_pems[0].bytes())

    def server_context(self) -> ssl.SSLContext:
        """A server-side SSLContext presenting the leaf certificate."""
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self._leaf.configure_cert(context)
        return context

    def client_context(self) -> ssl.SSLContext:
        """A client-side SSLContext that trusts the CA."""
        context = ssl.create_default_context()
        self._ca.configure_trust(context)
        return context


def host_rules(hosts: Iterable[str], port: int, address: str = "127.0.0.1") -> list[str]:
    """`MAP host:443 address:port` rules for Chromium's `--host-resolver-rules`."""
    return [f"MAP {host}:443 {address}:{port}" for host in hosts]


HOST_RULES_FLAG = "--host-resolver-rules="
SPKI_FLAG = "--ignore-certificate-errors-spki-list="


def chromium_args(rules: Iterable[str], spkis: Iterable[str]) -> list[str]:
    """The flags that send `rules`' hosts to local servers and trust exactly the keys in `spkis`."""
    rules, spkis = list(rules), list(spkis)
    args = []
    if rules:
        args.append(HOST_RULES_FLAG + ", ".join(rules))
    if spkis:
        args.append(SPKI_FLAG + ",".join(spkis))
    return args


def parse_chromium_args(args: Iterable[str]) -> tuple[list[str], list[str]]:
    """The host rules and SPKI keys in flags as `chromium_args` writes them; ValueError for any other flag."""
    rules: list[str] = []
    spkis: list[str] = []
    for arg in args:
        if arg.startswith(HOST_RULES_FLAG):
            rules += [rule.strip() for rule in arg.removeprefix(HOST_RULES_FLAG).split(",") if rule.strip()]
        elif arg.startswith(SPKI_FLAG):
            spkis += [spki for spki in arg.removeprefix(SPKI_FLAG).split(",") if spki]
        else:
            raise ValueError(f"unexpected flag {arg!r}: only {HOST_RULES_FLAG}... and {SPKI_FLAG}...")
    return rules, spkis


def merge_chromium_args(*arg_lists: Iterable[str]) -> list[str]:
    """Several servers' `chromium_args` as one: Chromium honours only the last of each flag it is given."""
    rules: list[str] = []
    spkis: list[str] = []
    for args in arg_lists:
        more_rules, more_spkis = parse_chromium_args(args)
        rules += [rule for rule in more_rules if rule not in rules]
        spkis += [spki for spki in more_spkis if spki not in spkis]
    return chromium_args(rules, spkis)


class Mapped(Protocol):
    """A local HTTPS server that Chromium reaches through host-resolver rules and trusts by SPKI."""

    @property
    def host_rules(self) -> list[str]: ...

    @property
    def spki(self) -> str | None: ...


def browser_flags(servers: Iterable[Mapped]) -> list[str]:
    """Every flag a Chromium needs to reach `servers` on their real hostnames, quietly."""
    servers = list(servers)
    rules = [rule for server in servers for rule in server.host_rules]
    spkis = sorted({server.spki for server in servers if server.spki})
    flags = [*QUIET_CHROMIUM_FLAGS, *chromium_args(rules, spkis)]
    if os.geteuid() == 0:
        # Chromium refuses to start its sandbox as root (CI containers run as root).
        flags.append("--no-sandbox")
    return flags
