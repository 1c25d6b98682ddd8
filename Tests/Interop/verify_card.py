#!/usr/bin/python3
"""Independent reader and verifier of a PermitStation residence-permit card.

Written from docs/CARD-SPEC.md and docs/CARD-SECURITY.md only (no Swift code): reads the card
through pcscd with pyscard, recomputes the security object's digests, checks the certificate
chain, the authority's and the stations' signatures and the chip's INTERNAL AUTHENTICATE answer.

Usage: verify_card.py --reader NAME --aid HEX --dir AUTHORITY_DIR
  AUTHORITY_DIR holds trust-bundle.pem (root first) and master-keys.json (as `permit pki init --keys-in-files`
  writes them; only the reading-terminal master key is used).
Prints one JSON object {"serial": ..., "checks": {name: "passed" | "failed: reason"}};
exits 0 when every check passed, 1 when one failed, 2 on a usage or communication error.
"""
import argparse
import hashlib
import json
import os
import sys

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.ciphers import algorithms
from cryptography.hazmat.primitives.cmac import CMAC
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from smartcard.System import readers

ARC = "1.3.6.1.4.1.32473.7."
ROLE_OID = {"documentSigner": ARC + "1", "endorsingStation": ARC + "2", "issuingStation": ARC + "3"}
PREFIX = {  # CARD-SECURITY.md §8
    "chip": b"PermitStation chip authentication v1\x00",
    "sod": b"PermitStation security object v1\x00",
    "residence": b"PermitStation residence v1\x00",
    "endorsement": b"PermitStation endorsement v1\x00",
    "status": b"PermitStation status v1\x00",
}


def cmac(key, message):
    c = CMAC(algorithms.AES(key))
    c.update(message)
    return c.finalize()


def kdf(key, label, context):  # CARD-SECURITY.md §3: SP 800-108 counter mode, one block
    return cmac(key, b"\x01" + label + b"\x00" + context + b"\x00\x80")


def tlv(data, start=0):
    """One BER-TLV with a one-byte tag: (tag, value, end)."""
    tag, length, pos = data[start], data[start + 1], start + 2
    if length == 0x81:
        length, pos = data[pos], pos + 1
    elif length == 0x82:
        length, pos = (data[pos] << 8) | data[pos + 1], pos + 2
    elif length > 0x80:
        raise ValueError("unsupported length form")
    if pos + length > len(data):
        raise ValueError("TLV runs past the end")
    return tag, bytes(data[pos:pos + length]), pos + length


def tlv_all(data):
    out, pos = [], 0
    while pos < len(data):
        tag, value, pos = tlv(data, pos)
        out.append((tag, value, data))
    return [(t, v) for t, v, _ in out]


def verify_raw(public_key, signature64, message):
    r = int.from_bytes(signature64[:32], "big")
    s = int.from_bytes(signature64[32:], "big")
    public_key.verify(encode_dss_signature(r, s), message, ec.ECDSA(hashes.SHA256()))


def point(public_key):
    return public_key.public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)


def key_identifier(public_key):
    return hashlib.sha256(point(public_key)).digest()[:8]


class Card:
    def __init__(self, reader_name):
        matches = [r for r in readers() if str(r) == reader_name]
        if not matches:
            raise SystemExit(f"reader {reader_name!r} not found among {[str(r) for r in readers()]}")
        self.connection = matches[0].createConnection()
        self.connection.connect()

    def send(self, apdu):
        data, sw1, sw2 = self.connection.transmit(list(apdu))
        while sw1 == 0x61:  # GET RESPONSE
            more, sw1, sw2 = self.connection.transmit([0x00, 0xC0, 0x00, 0x00, sw2])
            data += more
        return bytes(data), (sw1 << 8) | sw2

    def expect(self, apdu, what):
        data, sw = self.send(apdu)
        if sw != 0x9000:
            raise SystemExit(f"{what}: status {sw:04X}")
        return data


def check_certificate(cert, root, role):
    """CARD-SECURITY.md §12: issued by the root, digitalSignature, the role's extended key usage."""
    try:
        root.public_key().verify(cert.signature, cert.tbs_certificate_bytes, ec.ECDSA(cert.signature_hash_algorithm))
    except InvalidSignature:
        return f"certificate {cert.subject.rfc4514_string()} is not issued by the root"
    if cert.issuer != root.subject:
        return "certificate issuer is not the root"
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    if not usage.digital_signature:
        return "certificate does not allow digital signatures"
    eku = [oid.dotted_string for oid in cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value]
    if ROLE_OID[role] not in eku:
        return f"certificate lacks the {role} role"
    return None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--reader", required=True)
    parser.add_argument("--aid", required=True)
    parser.add_argument("--dir", required=True)
    args = parser.parse_args()

    pem = open(os.path.join(args.dir, "trust-bundle.pem"), "rb").read()
    blocks = [b + b"-----END CERTIFICATE-----\n" for b in pem.split(b"-----END CERTIFICATE-----") if b.strip()]
    bundle = [x509.load_pem_x509_certificate(b) for b in blocks]
    root, stations = bundle[0], bundle[1:]
    masters = json.load(open(os.path.join(args.dir, "master-keys.json")))

    card = Card(args.reader)
    aid = bytes.fromhex(args.aid)
    fci = card.expect(bytes([0x00, 0xA4, 0x04, 0x00, len(aid)]) + aid + b"\x00", "SELECT")   # CARD-SPEC §7.1
    tag, fci_value, _ = tlv(fci)
    fields = dict(tlv_all(fci_value))
    proprietary = dict(tlv_all(fields[0xA5]))
    ef_card, ef_chipkey, status = proprietary[0xC1], proprietary.get(0xC2), proprietary.get(0xC3)
    serial = ef_card[1:9]
    checks = {"complete": "passed" if fields[0x8A] == b"\x05" else "failed: life cycle is not 05"}

    # Terminal authentication with the reading terminal's key (CARD-SECURITY.md §4, §5).
    k_read = kdf(bytes.fromhex(masters["readingTerminal"]), b"PS-READ", serial)
    rnd_icc = card.expect(bytes([0x00, 0x84, 0x00, 0x00, 0x08]), "GET CHALLENGE")
    rnd_ifd = os.urandom(8)
    cryptogram = cmac(k_read, b"PS-TAUTH" + rnd_ifd + rnd_icc + serial)
    card.expect(bytes([0x00, 0x82, 0x00, 0x03, 0x18]) + rnd_ifd + cryptogram, "EXTERNAL AUTHENTICATE")

    holder = card.expect(bytes.fromhex("00B0820000 0000".replace(" ", "")), "READ BINARY EF.HOLDER")
    residence, sw = card.send(bytes.fromhex("00B2011D000000"))
    endorsements, sw_endorse = card.send(bytes.fromhex("00B20125000000"))
    if sw_endorse == 0x6A83:
        endorsements = b""
    sod = card.expect(bytes.fromhex("00B0870000 0000".replace(" ", "")), "READ BINARY EF.SOD")
    challenge = os.urandom(16)
    chip_answer = card.expect(bytes([0x00, 0x88, 0x00, 0x00, 0x10]) + challenge + b"\x00", "INTERNAL AUTHENTICATE")

    # EF.SOD (CARD-SECURITY.md §9): 77 { 71 content, 72 certificate, 73 signature }.
    _, envelope, _ = tlv(sod)
    parts = tlv_all(envelope)
    content_tag, content_value, content_end = tlv(envelope)
    content_tlv = envelope[:content_end]
    signer = x509.load_der_x509_certificate(parts[1][1])
    problem = check_certificate(signer, root, "documentSigner")
    if problem is None:
        try:
            verify_raw(signer.public_key(), parts[2][1], PREFIX["sod"] + content_tlv)
        except InvalidSignature:
            problem = "the document signer's signature does not verify"
    checks["authoritySignature"] = "passed" if problem is None else "failed: " + problem

    content = tlv_all(content_value)
    names = [t for t, _ in content]
    problem = None
    if names != [0x80, 0x81, 0x5A, 0x82, 0x86, 0xA0]:
        problem = f"security object fields {names}"
    else:
        values = dict(content)
        digests = {}
        for entry_tag, entry in tlv_all(values[0xA0]):
            entry_fields = dict(tlv_all(entry))
            digests[entry_fields[0x84]] = entry_fields[0x85]
        files = {b"\x01\x01": ef_card, b"\x01\x02": holder, b"\x01\x06": ef_chipkey}
        for fid, digest in digests.items():
            if hashlib.sha256(files[fid]).digest() != digest:
                problem = f"file {fid.hex()} does not match its digest"
        if values[0x5A] != serial:
            problem = "the security object names another serial"
        if ef_chipkey[2:] != values[0x86]:
            problem = "EF.CHIPKEY differs from the signed chip key"
        chip_key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), values[0x86])
    checks["dataIntegrity"] = "passed" if problem is None else "failed: " + problem

    try:
        verify_raw(chip_key, chip_answer, PREFIX["chip"] + serial + challenge)
        checks["chipAuthentication"] = "passed"
    except (InvalidSignature, NameError):
        checks["chipAuthentication"] = "failed: the chip's signature does not verify: a copy"

    by_id = {key_identifier(c.public_key()): c for c in stations}

    def record_check(kind, record, body_length, role):
        key_id = record[body_length:body_length + 8]
        signature = record[body_length + 8:body_length + 72]
        cert = by_id.get(key_id)
        if cert is None:
            return "no station certificate with this key identifier"
        problem = check_certificate(cert, root, role)
        if problem:
            return problem
        try:
            verify_raw(cert.public_key(), signature, PREFIX[kind] + serial + record[:body_length + 8])
        except InvalidSignature:
            return f"the {kind} record's signature does not verify"
        return None

    slots = [residence[i:i + 221] for i in range(0, len(residence), 221)]
    valid = [s for s in slots if s[0] == 0x01]
    current = max(valid, key=lambda s: int.from_bytes(s[1:3], "big"))
    problem = record_check("residence", current, 149, "issuingStation")
    checks["residence"] = "passed" if problem is None else "failed: " + problem

    problem = None
    for number, start in enumerate(range(0, len(endorsements), 95), start=1):
        record = endorsements[start:start + 95]
        if record[1] != number:
            problem = f"endorsement {number} is numbered {record[1]}"
        problem = problem or record_check("endorsement", record, 23, "endorsingStation")
    checks["endorsements"] = "passed" if problem is None else "failed: " + problem

    problem = record_check("status", status, 15, "issuingStation") if status else "no status record"
    if problem is None and status[3] != 0x01:
        problem = f"status {status[3]:02X} reason {status[4]:02X}"
    checks["status"] = "passed" if problem is None else "failed: " + problem

    print(json.dumps({"serial": serial.hex().upper(), "checks": checks}, indent=1, sort_keys=True))
    return 0 if all(v == "passed" for v in checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
