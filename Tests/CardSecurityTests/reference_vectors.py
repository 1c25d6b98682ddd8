#!/usr/bin/env python3
"""Independent reference for docs/CARD-SECURITY.md, using only Python's `cryptography` package.

Reads JSON from stdin: signatures the Swift module made with the fixed test keys
({"chip": hex, "securityObject": hex, "record": hex}). Verifies them, recomputes every vector
from the fixed inputs of §13, and prints the results as JSON {name: hex}. Exits 1 if a signature
does not verify. Run by Tests/CardSecurityTests/ReferenceImplementationTests.swift.
"""
import hashlib
import json
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.cmac import CMAC


def cmac(key, message):
    mac = CMAC(algorithms.AES(key))
    mac.update(message)
    return mac.finalize()


def kdf(key, label, context):
    return cmac(key, b"\x01" + label + b"\x00" + context + b"\x00\x80")


def pad(data):
    data += b"\x80"
    return data + bytes(-len(data) % 16)


def aes_block(key, block):
    encryptor = Cipher(algorithms.AES(key), modes.ECB()).encryptor()
    return encryptor.update(block) + encryptor.finalize()


def cbc(key, iv, data):
    encryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    return encryptor.update(data) + encryptor.finalize()


def tlv(tag, value):
    n = len(value)
    length = bytes([n]) if n < 0x80 else bytes([0x81, n]) if n < 0x100 else bytes([0x82, n >> 8, n & 0xFF])
    return bytes([tag]) + length + value


def private_key(byte):
    return ec.derive_private_key(int.from_bytes(bytes([byte]) * 32, "big"), ec.SECP256R1())


def point(key):
    return key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)


def verify(key, signature, message):
    r, s = int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    key.public_key().verify(encode_dss_signature(r, s), message, ec.ECDSA(hashes.SHA256()))


class Channel:
    """One side of secure messaging (§6)."""

    def __init__(self, mac_key, enc_key, counter):
        self.mac_key, self.enc_key, self.counter = mac_key, enc_key, int.from_bytes(counter, "big")

    def ssc(self):
        return self.counter.to_bytes(16, "big")

    def data_object(self, data, encrypt):
        if not data:
            return b""
        if encrypt:
            return tlv(0x87, b"\x01" + cbc(self.enc_key, aes_block(self.enc_key, self.ssc()), pad(data)))
        return tlv(0x81, data)

    def command(self, header, data=b"", ne=None, encrypt=False):
        self.counter += 1
        header = bytes([header[0] | 0x0C]) + header[1:]
        objects = self.data_object(data, encrypt) + (tlv(0x97, bytes([ne & 0xFF])) if ne else b"")
        mac = cmac(self.mac_key, pad(self.ssc() + pad(header) + objects))[:8]
        body = objects + tlv(0x8E, mac)
        return header + bytes([len(body)]) + body + b"\x00"

    def response(self, data=b"", status=0x9000):
        self.counter += 1
        objects = self.data_object(data, False) + tlv(0x99, status.to_bytes(2, "big"))
        return objects + tlv(0x8E, cmac(self.mac_key, pad(self.ssc() + objects))[:8]) + b"\x90\x00"


def main():
    signatures = {name: bytes.fromhex(value) for name, value in json.load(sys.stdin).items()}
    out = {}
    serial = bytes.fromhex("3301020304050607")
    labels = {"issuingStation": b"PS-ISSUE", "endorsingStation": b"PS-ENDORSE", "readingTerminal": b"PS-READ"}
    for index, (role, label) in enumerate(labels.items()):
        out["V1 " + role] = kdf(bytes(range(16 * index, 16 * index + 16)), label, serial)

    k_issue = out["V1 issuingStation"]
    icc, ifd = bytes.fromhex("C0C1C2C3C4C5C6C7"), bytes.fromhex("A0A1A2A3A4A5A6A7")
    out["V2 data"] = ifd + cmac(k_issue, b"PS-TAUTH" + ifd + icc + serial)
    out["V2 KS_MAC"] = kdf(k_issue, b"PS-SMAC", icc + ifd)
    out["V2 KS_ENC"] = kdf(k_issue, b"PS-SENC", icc + ifd)
    out["V2 SSC0"] = bytes(8) + icc[4:] + ifd[4:]

    channel = Channel(out["V2 KS_MAC"], out["V2 KS_ENC"], out["V2 SSC0"])
    out["V3 C1"] = channel.command(bytes.fromhex("00D68100"), bytes.fromhex("0102030405"))
    out["V3 R1"] = channel.response()
    out["V3 C2"] = channel.command(bytes.fromhex("00B00000"), ne=16)
    out["V3 R2"] = channel.response(bytes(range(16)))
    out["V3 C3"] = channel.command(bytes.fromhex("00200081"), b"1234", encrypt=True)
    out["V3 R3"] = channel.response(status=0x63C2)

    chip, signer, station = private_key(0xC1), private_key(0xD5), private_key(0x5A)
    challenge = bytes(range(16))
    out["V4 chip key"] = point(chip)
    out["V4 signed bytes"] = b"PermitStation chip authentication v1\x00" + serial + challenge
    files = {0x0101: "张三 ZHANG San".encode(), 0x0102: bytes(range(40))}
    manifest = b"".join(
        tlv(0xA1, tlv(0x84, fid.to_bytes(2, "big")) + tlv(0x85, hashlib.sha256(files[fid]).digest())) for fid in sorted(files))
    out["V5 content"] = tlv(0x71, tlv(0x80, b"\x01") + tlv(0x81, b"\x01") + tlv(0x5A, serial) + tlv(0x82, b"20261122")
                            + tlv(0x86, point(chip)) + tlv(0xA0, manifest))
    out["V5 signer key"] = point(signer)
    out["V6 station key"] = point(station)
    out["V6 key identifier"] = hashlib.sha256(point(station)).digest()[:8]
    entries = [(bytes.fromhex("0000000000000009"), 3, 0x20, b"20261001"), (serial, 4, 0x30, b"20261120")]
    listed = b"".join(tlv(0xA1, tlv(0x5A, s) + tlv(0x84, bytes([st])) + tlv(0x85, bytes([r])) + tlv(0x86, d))
                      for s, st, r, d in sorted(entries))
    out["V7 content"] = tlv(0x71, tlv(0x80, b"\x01") + tlv(0x81, b"\x01") + tlv(0x82, b"20261122")
                            + tlv(0x83, (258).to_bytes(4, "big")) + tlv(0xA0, listed))
    out["endorsement prefix"] = b"PermitStation endorsement v1\x00"

    record = bytes.fromhex("0132303236313132323230323731313232") + out["V6 key identifier"]
    try:
        verify(chip, signatures["chip"], out["V4 signed bytes"])
        verify(signer, signatures["securityObject"], b"PermitStation security object v1\x00" + out["V5 content"])
        verify(station, signatures["record"], b"PermitStation endorsement v1\x00" + serial + record)
    except InvalidSignature:
        print("a signature made by the Swift module does not verify", file=sys.stderr)
        return 1
    json.dump({name: value.hex().upper() for name, value in out.items()}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
