#!/usr/bin/python3
"""Independent reader and verifier of a PermitStation residence-permit card, card protocol version 2.

Written from docs/CARD-SPEC.md and docs/CARD-SECURITY.md only (no Swift code), with pyscard and
`cryptography`: selects the application, runs chip authentication by key agreement (CARD-SECURITY.md
§5.1) and role authentication with the reading key inside it (§5.2), reads the permit state and every
file under encrypted secure messaging (§6), and checks the security object, the certificate chains,
the stations' signatures, the records' status sequences, the permit's dates and the signed status list
(its signer, its age against the profile's maximum, a sequence not below one already seen, entries ordered
by status sequence, revoked certificates).

It fails closed: a status word other than the one the specification gives for the step, a file that
is missing, a record that does not decode, a file the security object does not cover, all make the
check that needed them fail; nothing is taken as passed because it could not be read.

Usage: verify_card.py --reader NAME --profile PROFILE.json --dir AUTHORITY_DIR [--date YYYY-MM-DD]
                      [--status-list FILE] [--seen SEQUENCE]
  PROFILE.json   the card profile (cardprofiles/NAME.json): AID, files, keys, covered files, suite.
  AUTHORITY_DIR  holds trust-bundle.pem (root first) and master-keys.json (as `permit pki init
                 --keys-in-files` writes them; only the reading-terminal master key is used).
  --date         the verification date (default: today in the profile's time zone).
  --status-list  the signed status list (as `permit pki status-list` writes it); without one the status-list
                 check fails.
  --seen         the highest status-list sequence this verifier has seen before: a lower one is refused.
Prints one JSON object {"serial": ..., "checks": {name: "passed" | "failed: reason"}}.
Exit status: 0 every check passed; 1 a check failed (the card is not accepted); 2 the verifier could not
run (a usage error, an unreadable authority directory or profile, no such reader, the card went away).
"""
import argparse
import datetime
import hashlib
import json
import os
import sys
import zoneinfo

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.cmac import CMAC

ARC = "1.3.6.1.4.1.32473.7."
ROLE_OID = {"documentSigner": ARC + "1", "endorsingStation": ARC + "2", "issuingStation": ARC + "3", "statusListSigner": ARC + "4"}
PREFIX = {  # CARD-SECURITY.md §8
    "sod": b"PermitStation security object v1\x00",
    "residence": b"PermitStation residence v2\x00",
    "endorsement": b"PermitStation endorsement v1\x00",
    "status": b"PermitStation status v1\x00",
    "statusList": b"PermitStation status list v2\x00",
}
SUITES = {"international": 0x01, "national": 0x02}


class UsageError(Exception):
    """The verifier cannot run: exit status 2."""


class Refused(Exception):
    """The card answered a step with a status word or data the specification does not give for it: the
    check `check` fails (and nothing after that step is verified)."""

    def __init__(self, reason, check="card"):
        super().__init__(reason)
        self.check = check


# ---- primitives (CARD-SECURITY.md §3) ----

def cmac(key, message):
    c = CMAC(algorithms.AES(key))
    c.update(message)
    return c.finalize()


def kdf(key, label, context):
    return cmac(key, b"\x01" + label + b"\x00" + context + b"\x00\x80")


def pad(data):
    data += b"\x80"
    return data + bytes(-len(data) % 16)


def unpad(data):
    stripped = data.rstrip(b"\x00")
    if not stripped.endswith(b"\x80"):
        raise Refused("bad padding in DO'87'")
    return stripped[:-1]


def aes_block(key, block):
    e = Cipher(algorithms.AES(key), modes.ECB()).encryptor()
    return e.update(block) + e.finalize()


def cbc(key, iv, data, decrypt=False):
    c = Cipher(algorithms.AES(key), modes.CBC(iv))
    x = c.decryptor() if decrypt else c.encryptor()
    return x.update(data) + x.finalize()


def tlv(tag, value):
    n = len(value)
    length = bytes([n]) if n < 0x80 else bytes([0x81, n]) if n < 0x100 else bytes([0x82, n >> 8, n & 0xFF])
    return bytes([tag]) + length + value


def tlv_one(data, start=0):
    """One BER-TLV with a one-byte tag: (tag, value, end)."""
    if start + 2 > len(data):
        raise ValueError("TLV truncated")
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
        tag, value, pos = tlv_one(data, pos)
        out.append((tag, value))
    return out


def point(public_key):
    return public_key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)


def key_identifier(public_key):
    return hashlib.sha256(point(public_key)).digest()[:8]


def verify_raw(public_key, signature64, message):
    if len(signature64) != 64:
        raise InvalidSignature()
    r, s = int.from_bytes(signature64[:32], "big"), int.from_bytes(signature64[32:], "big")
    public_key.verify(encode_dss_signature(r, s), message, ec.ECDSA(hashes.SHA256()))


def bcd_date(raw):
    digits = raw.hex()
    return datetime.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))


def be16(raw):
    return int.from_bytes(raw, "big")


# ---- the card and its session (CARD-SECURITY.md §5, §6) ----

class Card:
    def __init__(self, reader_name):
        from smartcard.System import readers
        matches = [r for r in readers() if str(r) == reader_name]
        if not matches:
            raise UsageError(f"reader {reader_name!r} not found among {[str(r) for r in readers()]}")
        self.connection = matches[0].createConnection()
        self.connection.connect()

    def transmit(self, apdu):
        data, sw1, sw2 = self.connection.transmit(list(apdu))
        while sw1 == 0x61:  # GET RESPONSE
            more, sw1, sw2 = self.connection.transmit([0x00, 0xC0, 0x00, 0x00, sw2])
            data += more
        return bytes(data), (sw1 << 8) | sw2


class Session:
    """Chip authentication, then secure messaging with every data field encrypted."""

    def __init__(self, card):
        self.card, self.counter = card, 0

    def chip_authenticate(self, suite_id):
        ephemeral = ec.generate_private_key(ec.SECP256R1())
        ifd = os.urandom(8)
        data = tlv(0x7C, tlv(0x80, point(ephemeral.public_key())) + tlv(0x81, ifd))
        answer, sw = self.card.transmit(bytes([0x00, 0x86, 0x00, 0x00, len(data)]) + data + b"\x00")
        if sw != 0x9000:
            raise Refused(f"the chip refused chip authentication (GENERAL AUTHENTICATE answered {sw:04X})")
        try:
            tag, inner, end = tlv_one(answer)
            fields = tlv_all(inner)
        except ValueError as error:
            raise Refused(f"the chip's answer is not 7C {{86, 82, 83}}: {error}")
        if tag != 0x7C or end != len(answer) or [t for t, _ in fields] != [0x86, 0x82, 0x83]:
            raise Refused("the chip's answer is not 7C {86, 82, 83}")
        chip_file, icc, token = (v for _, v in fields)
        if len(chip_file) != 67 or chip_file[0] != suite_id or chip_file[1] != 0x41 or len(icc) != 8 or len(token) != 8:
            raise Refused("the chip's key, nonce or token has the wrong form or suite")
        try:
            chip_key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), chip_file[2:])
        except ValueError:
            raise Refused("the chip's key is not a point of the curve")
        z = ephemeral.exchange(ec.ECDH(), chip_key)
        self.enc = hashlib.sha256(z + icc + ifd + b"\x00\x00\x00\x01").digest()[:16]
        self.mac = hashlib.sha256(z + icc + ifd + b"\x00\x00\x00\x02").digest()[:16]
        if cmac(self.mac, b"PS-CHIP" + point(ephemeral.public_key()))[:8] != token:
            raise Refused("the chip's token does not match: it does not hold the private key of the chip key it presented (a copy)")
        self.transcript_tail = icc + ifd + point(ephemeral.public_key())[1:33] + chip_file[3:35]
        return chip_file

    def role_authenticate(self, serial, key, number, version):
        transcript = serial + bytes([number, version]) + self.transcript_tail
        data, sw = self.send(bytes([0x00, 0x82, version, number]), cmac(key, b"PS-TAUTH" + transcript), 16)
        if sw != 0x9000:
            raise Refused(f"EXTERNAL AUTHENTICATE with the reading key answered {sw:04X}")
        if data != cmac(key, b"PS-CAUTH" + transcript):
            raise Refused("the card's answer to role authentication is not its cryptogram: not a card of this authority")

    def ssc(self):
        return self.counter.to_bytes(16, "big")

    def send(self, header, data=b"", ne=None):
        """A protected command: its answer's data and inner status word, or Refused for a bare refusal."""
        self.counter += 1
        cla = bytes([header[0] | 0x0C]) + header[1:]
        objects = b""
        if data:
            objects += tlv(0x87, b"\x01" + cbc(self.enc, aes_block(self.enc, self.ssc()), pad(data)))
        if ne:
            objects += tlv(0x97, bytes([ne & 0xFF]) if ne <= 256 else (ne & 0xFFFF).to_bytes(2, "big"))
        body = objects + tlv(0x8E, cmac(self.mac, pad(self.ssc() + pad(cla) + objects))[:8])
        if len(body) > 255 or (ne or 0) > 223:
            apdu = cla + b"\x00" + len(body).to_bytes(2, "big") + body + b"\x00\x00"
        else:
            apdu = cla + bytes([len(body)]) + body + b"\x00"
        raw, outer = self.card.transmit(apdu)
        if outer != 0x9000:
            raise Refused(f"the card refused the protected command {header.hex().upper()} with a bare {outer:04X}")
        self.counter += 1
        try:
            objects = tlv_all(raw)
        except ValueError:
            raise Refused("a protected answer does not decode")
        if len(objects) < 2 or objects[-1][0] != 0x8E or objects[-2][0] != 0x99 or len(objects[-2][1]) != 2 or len(objects) > 3:
            raise Refused("a protected answer is not [87] 99 8E")
        covered = b"".join(tlv(t, v) for t, v in objects[:-1])
        if cmac(self.mac, pad(self.ssc() + covered))[:8] != objects[-1][1]:
            raise Refused("a protected answer's MAC does not verify: altered, replayed or relayed")
        plain = b""
        if len(objects) == 3:
            if objects[0][0] != 0x87 or not objects[0][1].startswith(b"\x01"):
                raise Refused("a protected answer's data is not encrypted in DO'87'")
            plain = unpad(cbc(self.enc, aes_block(self.enc, self.ssc()), objects[0][1][1:], decrypt=True))
        return plain, be16(objects[-2][1])

    def expect(self, header, what, ne=65536, allowed=(0x9000,)):
        data, sw = self.send(header, ne=ne)
        if sw not in allowed:
            raise Refused(f"{what} answered {sw:04X}")
        return data, sw


# ---- certificates (CARD-SECURITY.md §12) ----

def utc_date(moment):
    return moment.replace(tzinfo=datetime.timezone.utc).date() if moment.tzinfo is None else moment.date()


def check_certificate(cert, root, role, signed_on, today):
    """Issued by the root, digital signature, the role's extended key usage; the signing day within the
    certificate's validity and not after today; the certificate and the root valid on the verification date."""
    try:
        root.public_key().verify(cert.signature, cert.tbs_certificate_bytes, ec.ECDSA(cert.signature_hash_algorithm))
    except InvalidSignature:
        return f"certificate {cert.subject.rfc4514_string()} is not issued by the root"
    if cert.issuer != root.subject:
        return "certificate issuer is not the root"
    try:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
        eku = [oid.dotted_string for oid in cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value]
    except x509.ExtensionNotFound:
        return "certificate lacks its key usage or extended key usage"
    if not usage.digital_signature:
        return "certificate does not allow digital signatures"
    if ROLE_OID[role] not in eku:
        return f"certificate lacks the {role} role"
    for checked in (cert, root):
        if not utc_date(checked.not_valid_before) <= today <= utc_date(checked.not_valid_after):
            return f"certificate {checked.subject.rfc4514_string()} is not valid on the verification date {today}"
    if signed_on > today:
        return f"signed on {signed_on}, after the verification date {today}"
    if not utc_date(cert.not_valid_before) <= signed_on <= utc_date(cert.not_valid_after):
        return f"signed on {signed_on}, outside its signer's validity"
    return None


def failed(reason):
    return "failed: " + reason


def main(argv):
    parser = argparse.ArgumentParser(description="Verify a PermitStation card (protocol v2) from the documents alone.")
    parser.add_argument("--reader", required=True)
    parser.add_argument("--profile", required=True)
    parser.add_argument("--dir", required=True)
    parser.add_argument("--date")
    parser.add_argument("--status-list")
    parser.add_argument("--seen", type=int)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit:
        raise UsageError("see --help") if exit.code else exit

    try:
        profile = json.load(open(args.profile))
        files = {f["content"]: f for f in profile["files"]}
        aid = bytes.fromhex(profile["card"]["aid"].replace(" ", ""))
        suite_id = SUITES[profile["crypto"]["suite"]]
        reading = next(k for k in profile["keys"] if k["role"] == "readingTerminal")
        by_name = {f["name"]: f for f in profile["files"]}
        covers = {by_name[name]["fid"].replace(" ", "").upper() for name in profile["securityObject"]["covers"]}
        zone = zoneinfo.ZoneInfo(profile["policy"]["timeZone"])
        max_age = profile.get("verification", {}).get("statusListMaxAgeDays", 7)
        pem = open(os.path.join(args.dir, "trust-bundle.pem"), "rb").read()
        blocks = [b + b"-----END CERTIFICATE-----\n" for b in pem.split(b"-----END CERTIFICATE-----") if b.strip()]
        bundle = [x509.load_pem_x509_certificate(b) for b in blocks]
        masters = json.load(open(os.path.join(args.dir, "master-keys.json")))
        master_read = bytes.fromhex(masters["readingTerminal"])
        status_list = open(args.status_list, "rb").read() if args.status_list else None
        today = datetime.date.fromisoformat(args.date) if args.date else datetime.datetime.now(zone).date()
    except (OSError, ValueError, KeyError, StopIteration, zoneinfo.ZoneInfoNotFoundError) as error:
        raise UsageError(f"cannot read the profile, the authority directory or an argument: {error}")
    if not bundle:
        raise UsageError("trust-bundle.pem holds no certificate")
    root, carried = bundle[0], bundle[1:]

    card = Card(args.reader)
    checks = {}
    try:
        return verify(card, args, profile, files, aid, suite_id, reading, covers, root, carried, master_read, status_list, today, checks,
                      max_age)
    except Refused as refusal:
        # The step that met an unexpected answer fails, and with it every check that needed what came after.
        checks[refusal.check] = failed(str(refusal))
        print(json.dumps({"checks": checks, "serial": checks.pop("_serial", None)}, indent=1, sort_keys=True))
        return 1


def verify(card, args, profile, files, aid, suite_id, reading, covers, root, carried, master_read, status_list, today, checks,
           max_age):
    sfi = {content: f["sfi"] for content, f in files.items()}
    record_length = {content: f.get("recordLength") for content, f in files.items()}
    fci, sw = card.transmit(bytes([0x00, 0xA4, 0x04, 0x00, len(aid)]) + aid + b"\x00")   # CARD-SPEC §7.1
    if sw != 0x9000:
        raise Refused(f"SELECT of the application answered {sw:04X}: no permit application of this profile")
    try:
        _, fci_value, _ = tlv_one(fci)
        fields = dict(tlv_all(fci_value))
        proprietary = tlv_all(fields[0xA5])
        identity, versions = proprietary[0][1], dict(zip(proprietary[1][1][0::2], proprietary[1][1][1::2]))
        assert [t for t, _ in proprietary] == [0xC1, 0xC7] and len(identity) == 28
    except (ValueError, KeyError, IndexError, AssertionError):
        raise Refused("the FCI is not 6F {8A, A5 {C1, C7}}")
    serial = identity[1:9]
    checks["_serial"] = serial.hex().upper()
    checks["complete"] = "passed" if fields.get(0x8A) == b"\x05" else failed("life cycle is not 05 (personalisation never finished)")
    if identity[9] not in (0x00, suite_id):
        raise Refused(f"the card names suite {identity[9]:02X}, the profile pins {suite_id:02X}")

    session = Session(card)
    try:
        chip_file = session.chip_authenticate(suite_id)
        number = reading["number"]
        if number not in versions:
            raise Refused("the card holds no reading key")
        session.role_authenticate(serial, kdf(master_read, reading["diversification"]["label"].encode(), serial), number, versions[number])
    except Refused as refusal:
        raise Refused(str(refusal), "chipAuthentication")

    state, _ = session.expect(b"\x00\xCA\x01\x00", "GET DATA permit state")
    holder, _ = session.expect(bytes([0x00, 0xB0, 0x80 | sfi["holder"], 0x00]), "READ BINARY EF.HOLDER")
    residence, _ = session.expect(bytes([0x00, 0xB2, 0x01, sfi["residence"] << 3 | 0x05]), "READ RECORD EF.RESIDENCE")
    endorsements, sw = session.expect(bytes([0x00, 0xB2, 0x01, sfi["endorsements"] << 3 | 0x05]), "READ RECORD EF.ENDORSE",
                                      allowed=(0x9000, 0x6A83))
    if sw == 0x6A83:
        endorsements = b""
    sod, _ = session.expect(bytes([0x00, 0xB0, 0x80 | sfi["securityObject"], 0x00]), "READ BINARY EF.SOD")
    checks["chipAuthentication"] = "passed"  # provisional: the chip key must also be the one the authority signed (below)

    # The permit state (CARD-SPEC §7.18): C1 EF.CARD, [C3 status], C5 count, [C6 newest endorsement], [C4 tries].
    try:
        state_objects = tlv_all(state)
        tags = [t for t, _ in state_objects]
        order = [0xC1, 0xC3, 0xC5, 0xC6, 0xC4]
        assert tags == sorted(tags, key=order.index) and len(set(tags)) == len(tags) and 0xC1 in tags and 0xC5 in tags
        state = dict(state_objects)
    except (ValueError, AssertionError):
        raise Refused("the permit state is not C1 [C3] C5 [C6] [C4]")
    ef_card, status = state[0xC1], state.get(0xC3)
    if ef_card[:28] != identity:
        raise Refused("EF.CARD differs from the identity the FCI gave")

    # EF.SOD (CARD-SECURITY.md §9): 77 { 71 content, 72 certificate, 73 signature }, then 00 padding.
    chip_key = None
    try:
        tag, envelope, end = tlv_one(sod)
        if tag != 0x77 or any(sod[end:]):
            raise ValueError("not one 77 template followed by 00 padding")
        parts = tlv_all(envelope)
        if [t for t, _ in parts] != [0x71, 0x72, 0x73]:
            raise ValueError("77 does not hold 71, 72, 73")
        _, content_value, content_end = tlv_one(envelope)
        content_tlv = envelope[:content_end]
        content = tlv_all(content_value)
        if [t for t, _ in content] != [0x80, 0x81, 0x5A, 0x82, 0x86, 0xA0]:
            raise ValueError("the content's fields are not 80 81 5A 82 86 A0")
        values = dict(content)
        signed_on = datetime.date(int(values[0x82][:4]), int(values[0x82][4:6]), int(values[0x82][6:8]))
        signer = x509.load_der_x509_certificate(parts[1][1])
        problem = check_certificate(signer, root, "documentSigner", signed_on, today)
        if problem is None:
            try:
                verify_raw(signer.public_key(), parts[2][1], PREFIX["sod"] + content_tlv)
            except InvalidSignature:
                problem = "the document signer's signature does not verify"
        checks["authoritySignature"] = "passed" if problem is None else failed(problem)

        digests = {}
        for entry_tag, entry in tlv_all(values[0xA0]):
            entry_fields = tlv_all(entry)
            if entry_tag != 0xA1 or [t for t, _ in entry_fields] != [0x84, 0x85]:
                raise ValueError("a manifest entry is not A1 {84, 85}")
            fid = entry_fields[0][1].hex().upper()
            if fid in digests:
                raise ValueError(f"file {fid} listed twice")
            digests[fid] = entry_fields[1][1]
        read = {files["cardInfo"]["fid"].replace(" ", "").upper(): ef_card, files["holder"]["fid"].replace(" ", "").upper(): holder,
                files["chipPublicKey"]["fid"].replace(" ", "").upper(): chip_file}
        required = covers
        problem = None
        if set(digests) != required:
            problem = f"the security object covers {sorted(digests)}, the profile requires {sorted(required)}"
        for fid in sorted(required & set(digests)):
            if fid not in read:
                problem = problem or f"file {fid} is covered but is not one this verifier reads"
            elif hashlib.sha256(read[fid]).digest() != digests[fid]:
                problem = problem or f"file {fid} does not match its digest"
        if values[0x81] != bytes([suite_id]) or ef_card[9] != suite_id:
            problem = problem or "the security object or EF.CARD names another suite than the profile pins"
        if values[0x5A] != serial:
            problem = problem or "the security object names another serial"
        checks["dataIntegrity"] = "passed" if problem is None else failed(problem)
        chip_key = values[0x86]
    except (ValueError, KeyError, IndexError) as error:
        checks["authoritySignature"] = failed(f"the security object cannot be read: {error}")
        checks["dataIntegrity"] = failed("no readable security object")
    if chip_key != chip_file[2:]:
        checks["chipAuthentication"] = failed("the chip authenticated with a key the authority did not sign for this card")

    by_id = {key_identifier(c.public_key()): c for c in carried}
    listed = read_status_list(status_list, root, today, max_age, args.seen)
    revoked = listed.get("revoked", {})

    def record_check(kind, record, body_length, role, date_offset):
        if len(record) < body_length + 72 or any(record[body_length + 72:]):
            return f"the {kind} record has the wrong length or padding"
        key_id, signature = record[body_length:body_length + 8], record[body_length + 8:body_length + 72]
        cert = by_id.get(key_id)
        if cert is None:
            return f"no station certificate with key identifier {key_id.hex().upper()} is carried"
        try:
            signed_on = bcd_date(record[date_offset:date_offset + 4])
        except ValueError:
            return f"the {kind} record's date is not a date"
        problem = check_certificate(cert, root, role, signed_on, today)
        if problem:
            return problem
        if key_id in revoked and signed_on >= revoked[key_id]:
            return f"signed on {signed_on} by certificate {key_id.hex().upper()}, revoked from {revoked[key_id]} on the status list"
        try:
            verify_raw(cert.public_key(), signature, PREFIX[kind] + serial + record[:body_length + 8])
        except InvalidSignature:
            return f"the {kind} record's signature does not verify"
        return None

    status_sequence = be16(status[1:3]) if status and len(status) >= 3 else None
    later = []  # (what, status sequence it was written at)

    length = record_length["residence"]
    slots = [residence[i:i + length] for i in range(0, len(residence), length)] if length and len(residence) % length == 0 else []
    valid = [s for s in slots if s[0] == 0x02]
    if not slots or any(s[0] not in (0x00, 0x02) for s in slots) or not valid:
        checks["residence"] = failed("no readable residence record")
    else:
        current = max(valid, key=lambda s: be16(s[1:3]))
        problem = record_check("residence", current, 151, "issuingStation", 5)
        checks["residence"] = "passed" if problem is None else failed(problem)
        later += [(f"residence record {be16(s[1:3])}", be16(s[3:5])) for s in valid]

    problem = None
    length = record_length["endorsements"]
    if len(endorsements) % length:
        problem = "EF.ENDORSE does not hold whole records"
    for number, start in enumerate(range(0, len(endorsements) - len(endorsements) % length, length), start=1):
        record = endorsements[start:start + length]
        if record[0] != 0x01 or record[1] != number:
            problem = problem or f"endorsement {number} has format {record[0]:02X} and number {record[1]}"
        problem = problem or record_check("endorsement", record, 23, "endorsingStation", 5)
        later.append((f"endorsement {number}", be16(record[3:5])))
    if len(endorsements) // length != state[0xC5][0] or (endorsements and state.get(0xC6) != endorsements[-length:]):
        problem = problem or "the permit state's endorsements differ from EF.ENDORSE"
    checks["endorsements"] = "passed" if problem is None else failed(problem)

    if status is None:
        problem = "no status record"
    else:
        problem = record_check("status", status, 15, "issuingStation", 5)
        ahead = [what for what, sequence in later if sequence > status_sequence]
        if problem is None and ahead:
            problem = f"{ahead[0]} was written after status record {status_sequence}: the status shown is an old one"
        restored = status[3] == 0x02 and status[4] == 0x10 and any(s == status_sequence for w, s in later if w.startswith("endorsement"))
        if problem is None and status[3] != 0x01 and not restored:
            problem = f"recorded status {status[3]:02X}, reason {status[4]:02X}"
    checks["status"] = "passed" if problem is None else failed(problem)

    # The permit's dates (CARD-SPEC §6 steps 3, 4, 7): issued by today, and today not after the current expiry
    # (the newest endorsement's, else EF.CARD's).
    try:
        issued, expiry = bcd_date(ef_card[31:35]), bcd_date(ef_card[39:43])
        if endorsements:
            expiry = bcd_date(endorsements[-length + 13:-length + 17])
        if today < issued:
            checks["dates"] = failed(f"issued on {issued}, after the verification date {today}")
        elif today > expiry:
            checks["dates"] = failed(f"expired on {expiry}: not endorsed in time (verification date {today})")
        else:
            checks["dates"] = "passed"
    except ValueError:
        checks["dates"] = failed("EF.CARD's or an endorsement's dates are not dates")

    if "problem" in listed:
        checks["statusList"] = failed(listed["problem"])
    else:
        entry = listed["entries"].get(serial)
        if entry is None:
            checks["statusList"] = "passed"
        else:
            status_code, reason, listed_sequence = entry
            # Ordered by status sequence, never by date: the card's own newer record wins over a suspension only.
            newer = status_sequence is not None and status_sequence > listed_sequence
            if status_code in (0x03, 0x04) or not newer:
                checks["statusList"] = failed(f"the card is listed with status {status_code:02x} reason {reason:02x} "
                                              f"at status sequence {listed_sequence} on status list {listed['sequence']}")
            else:
                checks["statusList"] = "passed"

    checks.pop("_serial")
    print(json.dumps({"serial": serial.hex().upper(), "checks": checks}, indent=1, sort_keys=True))
    return 0 if all(v == "passed" for v in checks.values()) else 1


def read_status_list(data, root, today, max_age, seen):
    """CARD-SECURITY.md §11: 78 { 71 content, 72 signer, 73 signature }, the content version 2:
    80 81 82 83 A0 { A1 { 5A 84 85 86 87 } } A2 { A3 { 88 86 } }. Returns {"entries": {serial: (status,
    reason, status sequence)}, "revoked": {key id: date}, "sequence": n} or {"problem": reason}."""
    if data is None:
        return {"problem": "no signed status list is carried; load the current one"}
    try:
        tag, envelope, end = tlv_one(data)
        parts = tlv_all(envelope)
        if tag != 0x78 or end != len(data) or [t for t, _ in parts] != [0x71, 0x72, 0x73]:
            return {"problem": "the status list is not 78 {71, 72, 73}"}
        _, content_value, content_end = tlv_one(envelope)
        fields = tlv_all(content_value)
        if [t for t, _ in fields] != [0x80, 0x81, 0x82, 0x83, 0xA0, 0xA2] or fields[0][1] != b"\x02":
            return {"problem": "the status list's fields are not 80 (02) 81 82 83 A0 A2"}
        values = dict(fields)
        issued = datetime.date(int(values[0x82][:4]), int(values[0x82][4:6]), int(values[0x82][6:8]))
        sequence = be16(values[0x83][:2]) << 16 | be16(values[0x83][2:])
        signer = x509.load_der_x509_certificate(parts[1][1])
        problem = check_certificate(signer, root, "statusListSigner", issued, today)
        if problem:
            return {"problem": "the status list: " + problem}
        verify_raw(signer.public_key(), parts[2][1], PREFIX["statusList"] + envelope[:content_end])
        age = (today - issued).days
        if age > max_age:
            return {"problem": f"status list {sequence} of {issued} is {age} days old, more than the profile's {max_age}"}
        if seen is not None and sequence < seen:
            return {"problem": f"status list {sequence} is older than status list {seen}, already seen"}
        entries, revoked = {}, {}
        for entry_tag, entry in tlv_all(values[0xA0]):
            item = tlv_all(entry)
            if entry_tag != 0xA1 or [t for t, _ in item] != [0x5A, 0x84, 0x85, 0x86, 0x87]:
                return {"problem": "a status list entry is not A1 {5A 84 85 86 87}"}
            entries[item[0][1]] = (item[1][1][0], item[2][1][0], be16(item[4][1]))
        for revoked_tag, revocation in tlv_all(values[0xA2]):
            item = tlv_all(revocation)
            if revoked_tag != 0xA3 or [t for t, _ in item] != [0x88, 0x86]:
                return {"problem": "a revoked certificate is not A3 {88 86}"}
            revoked[item[0][1]] = datetime.date(int(item[1][1][:4]), int(item[1][1][4:6]), int(item[1][1][6:8]))
    except (ValueError, KeyError, IndexError):
        return {"problem": "the status list cannot be read"}
    except InvalidSignature:
        return {"problem": "the status list's signature does not verify"}
    return {"entries": entries, "revoked": revoked, "sequence": sequence}


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except UsageError as error:
        print(f"verify_card.py: {error}", file=sys.stderr)
        sys.exit(2)
    except Exception as error:  # the reader or pcscd failed: nothing was verified
        print(f"verify_card.py: the card could not be read: {type(error).__name__}: {error}", file=sys.stderr)
        sys.exit(2)
