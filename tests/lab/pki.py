# -*- coding: utf-8 -*-
# Lab-only PKI: one CA that issues every TLS certificate the lab serves (Samba LDAPS, fake WinRM,
# fake cloud), and client certificates for the fake cloud's certificate credentials.
# Not part of the collection; never use these keys outside the lab.
from __future__ import annotations

import datetime
import ipaddress
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

_VALIDITY = datetime.timedelta(days=30)


def _key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _write_key(path: Path, key) -> None:
    path.write_bytes(key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    ))
    path.chmod(0o600)


class LabPKI:
    """The lab CA in `lab_dir`: created on first use, reused afterwards."""

    def __init__(self, lab_dir: Path):
        self.lab_dir = Path(lab_dir)
        self.ca_cert_path = self.lab_dir / "ca.pem"
        self.ca_key_path = self.lab_dir / "ca.key"
        self.certs_dir = self.lab_dir / "certs"
        self.certs_dir.mkdir(parents=True, exist_ok=True)
        if self.ca_cert_path.exists() and self.ca_key_path.exists():
            self._ca_key = serialization.load_pem_private_key(self.ca_key_path.read_bytes(), None)
            self._ca_cert = x509.load_pem_x509_certificate(self.ca_cert_path.read_bytes())
        else:
            self._create_ca()

    def _create_ca(self) -> None:
        now = datetime.datetime.now(datetime.timezone.utc)
        self._ca_key = _key()
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "mdi.action_accounts lab CA")])
        self._ca_cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(self._ca_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(hours=1))
            .not_valid_after(now + _VALIDITY)
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(
                digital_signature=True, content_commitment=False, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
                encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(self._ca_key.public_key()),
                           critical=False)
            .sign(self._ca_key, hashes.SHA256())
        )
        _write_key(self.ca_key_path, self._ca_key)
        self.ca_cert_path.write_bytes(self._ca_cert.public_bytes(serialization.Encoding.PEM))

    def issue(self, name: str, dns_names=(), ip_addresses=(), client: bool = False) -> tuple[Path, Path]:
        """Issue a leaf certificate; returns (cert_path, key_path) under certs/.

        Server certificates carry every DNS name and IP as subjectAltName, so clients validate
        the name they connect to; `client=True` issues a client-auth certificate instead.
        """
        now = datetime.datetime.now(datetime.timezone.utc)
        key = _key()
        first = (list(dns_names) or [name])[0]
        sans = [x509.DNSName(d) for d in dns_names]
        sans += [x509.IPAddress(ipaddress.ip_address(i)) for i in ip_addresses]
        builder = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, first)]))
            .issuer_name(self._ca_cert.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(hours=1))
            .not_valid_after(now + _VALIDITY)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage(
                [ExtendedKeyUsageOID.CLIENT_AUTH if client else ExtendedKeyUsageOID.SERVER_AUTH]),
                critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
                self._ca_key.public_key()), critical=False)
        )
        if sans:
            builder = builder.add_extension(x509.SubjectAlternativeName(sans), critical=False)
        cert = builder.sign(self._ca_key, hashes.SHA256())
        cert_path = self.certs_dir / f"{name}.pem"
        key_path = self.certs_dir / f"{name}.key"
        cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        _write_key(key_path, key)
        return cert_path, key_path

    @staticmethod
    def thumbprint_sha1(cert_path: Path) -> str:
        """Hex SHA-1 thumbprint, as Entra ID shows for an app's certificate credential."""
        cert = x509.load_pem_x509_certificate(Path(cert_path).read_bytes())
        return cert.fingerprint(hashes.SHA1()).hex().upper()  # nosec - identifier, not security
