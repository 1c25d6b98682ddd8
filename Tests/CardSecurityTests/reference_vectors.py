#!/usr/bin/env python3
"""Independent reference for docs/CARD-SECURITY.md, using only Python's `cryptography` package.

Reads JSON from stdin: what the Swift module made with the fixed test keys and fresh randomness
({"chipAnswer": hex, "chipRequest": hex, "securityObject": hex, "record": hex}: a chip's GENERAL
AUTHENTICATE answer to a request of ours, and two signatures). Checks them, recomputes every vector from
the fixed inputs of §13, and prints the results as JSON {name: hex}. Exits 1 if a signature or the chip's
token does not verify. Run by Tests/CardSecurityTests/ReferenceImplementationTests.swift.
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


def tlvs(data):
    out, pos = [], 0
    while pos < len(data):
        tag, length, pos = data[pos], data[pos + 1], pos + 2
        if length == 0x81:
            length, pos = data[pos], pos + 1
        out.append((tag, data[pos:pos + length]))
        pos += length
    return out


def private_key(byte):
    return ec.derive_private_key(int.from_bytes(bytes([byte]) * 32, "big"), ec.SECP256R1())


def point(key):
    return key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)


def agree(private, public_point):  # §7: Z = x(d * P)
    peer = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), public_point)
    return private.exchange(ec.ECDH(), peer)


def session_keys(z, icc, ifd):  # §7: KS_ENC, KS_MAC
    return (hashlib.sha256(z + icc + ifd + b"\x00\x00\x00\x01").digest()[:16],
            hashlib.sha256(z + icc + ifd + b"\x00\x00\x00\x02").digest()[:16])


def verify(key, signature, message):
    r, s = int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    key.public_key().verify(encode_dss_signature(r, s), message, ec.ECDSA(hashes.SHA256()))


class Channel:
    """One side of secure messaging (§6)."""

    def __init__(self, mac_key, enc_key, counter):
        self.mac_key, self.enc_key, self.counter = mac_key, enc_key, int.from_bytes(counter, "big")

    def ssc(self):
        return self.counter.to_bytes(16, "big")

    def decrypt(self, value):
        decryptor = Cipher(algorithms.AES(self.enc_key), modes.CBC(aes_block(self.enc_key, self.ssc()))).decryptor()
        plain = decryptor.update(value[1:]) + decryptor.finalize()
        return plain[:plain.rstrip(b"\x00").rindex(b"\x80")]

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

    def response(self, data=b"", status=0x9000, encrypt=True):
        self.counter += 1
        objects = self.data_object(data, encrypt) + tlv(0x99, status.to_bytes(2, "big"))
        return objects + tlv(0x8E, cmac(self.mac_key, pad(self.ssc() + objects))[:8]) + b"\x90\x00"


def main():
    signatures = {name: bytes.fromhex(value) for name, value in json.load(sys.stdin).items()}
    out = {}
    serial = bytes.fromhex("3301020304050607")
    labels = {"issuingStation": b"PS-ISSUE", "endorsingStation": b"PS-ENDORSE", "readingTerminal": b"PS-READ"}
    for index, (role, label) in enumerate(labels.items()):
        out["V1 " + role] = kdf(bytes(range(16 * index, 16 * index + 16)), label, serial)

    k_issue = out["V1 issuingStation"]
    chip, ephemeral = private_key(0xC1), private_key(0xE7)
    icc, ifd = bytes.fromhex("C0C1C2C3C4C5C6C7"), bytes.fromhex("A0A1A2A3A4A5A6A7")
    chip_file = b"\x01\x41" + point(chip)
    out["V2 request"] = tlv(0x7C, tlv(0x80, point(ephemeral)) + tlv(0x81, ifd))
    z = agree(ephemeral, point(chip))
    assert z == agree(chip, point(ephemeral))
    out["V2 Z"] = z
    out["V2 KS_ENC"], out["V2 KS_MAC"] = session_keys(z, icc, ifd)
    out["V2 token"] = cmac(out["V2 KS_MAC"], b"PS-CHIP" + point(ephemeral))[:8]
    out["V2 answer"] = tlv(0x7C, tlv(0x86, chip_file) + tlv(0x82, icc) + tlv(0x83, out["V2 token"]))

    transcript = serial + b"\x01\x01" + icc + ifd + point(ephemeral)[1:33] + point(chip)[1:33]
    out["V3 transcript"] = transcript
    out["V3 terminal"] = cmac(k_issue, b"PS-TAUTH" + transcript)
    out["V3 card"] = cmac(k_issue, b"PS-CAUTH" + transcript)

    channel = Channel(out["V2 KS_MAC"], out["V2 KS_ENC"], bytes(16))
    out["V4 C1"] = channel.command(bytes.fromhex("00820101"), out["V3 terminal"], ne=16, encrypt=True)
    out["V4 R1"] = channel.response(out["V3 card"])
    out["V4 C2"] = channel.command(bytes.fromhex("00B08200"), ne=16)
    out["V4 R2"] = channel.response(bytes(range(16)))
    out["V4 C3"] = channel.command(bytes.fromhex("00200081"), b"1234", encrypt=True)
    out["V4 R3"] = channel.response(status=0x63C2)

    signer, station = private_key(0xD5), private_key(0x5A)
    files = {0x0101: "张三 ZHANG San".encode(), 0x0102: bytes(range(40))}
    manifest = b"".join(
        tlv(0xA1, tlv(0x84, fid.to_bytes(2, "big")) + tlv(0x85, hashlib.sha256(files[fid]).digest())) for fid in sorted(files))
    out["V5 content"] = tlv(0x71, tlv(0x80, b"\x01") + tlv(0x81, b"\x01") + tlv(0x5A, serial) + tlv(0x82, b"20261122")
                            + tlv(0x86, point(chip)) + tlv(0xA0, manifest))
    out["V5 signer key"] = point(signer)
    out["V6 station key"] = point(station)
    out["V6 key identifier"] = hashlib.sha256(point(station)).digest()[:8]
    entries = [(bytes.fromhex("0000000000000009"), 3, 0x20, b"20261001", 2), (serial, 4, 0x30, b"20261120", 3)]
    listed = b"".join(tlv(0xA1, tlv(0x5A, s) + tlv(0x84, bytes([st])) + tlv(0x85, bytes([r])) + tlv(0x86, d)
                          + tlv(0x87, q.to_bytes(2, "big")))
                      for s, st, r, d, q in sorted(entries))
    revoked = tlv(0xA3, tlv(0x88, out["V6 key identifier"]) + tlv(0x86, b"20261121"))
    out["V7 content"] = tlv(0x71, tlv(0x80, b"\x02") + tlv(0x81, b"\x01") + tlv(0x82, b"20261122")
                            + tlv(0x83, (258).to_bytes(4, "big")) + tlv(0xA0, listed) + tlv(0xA2, revoked))
    out["endorsement prefix"] = b"PermitStation endorsement v1\x00"

    record = bytes.fromhex("0132303236313132323230323731313232") + out["V6 key identifier"]
    try:
        verify(signer, signatures["securityObject"], b"PermitStation security object v1\x00" + out["V5 content"])
        verify(station, signatures["record"], b"PermitStation endorsement v1\x00" + serial + record)
    except InvalidSignature:
        print("a signature made by the Swift module does not verify", file=sys.stderr)
        return 1
    # A chip run by the Swift module answered our request (ephemeral key E7 x 32, nonce A0...A7): its token must
    # be the MAC under the keys of its ECDH secret, and its key the one of scalar C1 x 32.
    answer = dict(tlvs(tlvs(signatures["chipAnswer"])[0][1]))
    if signatures["chipRequest"] != out["V2 request"] or answer[0x86] != chip_file:
        print("the chip's answer is not to our request or not from the chip key", file=sys.stderr)
        return 1
    _, mac_key = session_keys(agree(ephemeral, answer[0x86][2:]), answer[0x82], ifd)
    if cmac(mac_key, b"PS-CHIP" + point(ephemeral))[:8] != answer[0x83]:
        print("the chip's token does not verify", file=sys.stderr)
        return 1
    json.dump({name: value.hex().upper() for name, value in out.items()}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
