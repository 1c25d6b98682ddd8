"""The independent peer of NationalCryptoTests: gmssl (pure-Python SM2 / SM3 / SM4 from PyPI, installed by
scripts/setup into .build-python) answers requests on stdin, one JSON list of operations, with one JSON
list of results on stdout. Bytes travel as hex.

gmssl gives SM3, the SM4 block function and SM2 over the hash of Z || M. CBC chaining and CMAC (NIST
SP 800-38B) are written out here over gmssl's SM4 block; the CMAC is first checked against RFC 4493's
AES example (pycryptodomex, a dependency of gmssl), so the construction itself is known good.
"""
import json
import sys

from Cryptodome.Cipher import AES
from gmssl import sm2, sm3, sm4

CURVE = sm2.default_ecc_table


def sm3_hash(data):
    return bytes.fromhex(sm3.sm3_hash(list(data)))


def sm4_block(key, block, decrypt=False):
    cipher = sm4.CryptSM4(padding_mode=None)  # neither PKCS7 nor ZERO: gmssl adds no padding
    cipher.set_key(key, sm4.SM4_DECRYPT if decrypt else sm4.SM4_ENCRYPT)
    return cipher.crypt_ecb(block)


def xor(a, b):
    return bytes(x ^ y for x, y in zip(a, b))


def blocks(data):
    return [data[i:i + 16] for i in range(0, len(data), 16)]


def cbc_encrypt(key, iv, data):
    out, chain = b"", iv
    for block in blocks(data):
        chain = sm4_block(key, xor(block, chain))
        out += chain
    return out


def cbc_decrypt(key, iv, data):
    out, chain = b"", iv
    for block in blocks(data):
        out += xor(sm4_block(key, block, decrypt=True), chain)
        chain = block
    return out


def cmac(encrypt_block, message):
    """NIST SP 800-38B CMAC over any 128-bit block cipher."""
    def double(block):
        shifted = (int.from_bytes(block, "big") << 1) & ((1 << 128) - 1)
        return (shifted ^ (0x87 if block[0] & 0x80 else 0)).to_bytes(16, "big")
    k1 = double(encrypt_block(bytes(16)))
    k2 = double(k1)
    parts = blocks(message) or [b""]
    if len(parts[-1]) == 16:
        parts[-1] = xor(parts[-1], k1)
    else:
        padded = parts[-1] + b"\x80" + bytes(15 - len(parts[-1]))
        parts[-1] = xor(padded, k2)
    state = bytes(16)
    for part in parts:
        state = encrypt_block(xor(state, part))
    return state


def aes_block(key):
    return lambda block: AES.new(key, AES.MODE_ECB).encrypt(block)


RFC4493_KEY = bytes.fromhex("2b7e151628aed2a6abf7158809cf4f3c")
RFC4493_M40 = bytes.fromhex("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411")
assert cmac(aes_block(RFC4493_KEY), b"").hex() == "bb1d6929e95937287fa37d129b756746"
assert cmac(aes_block(RFC4493_KEY), RFC4493_M40).hex() == "dfa66747de9ae63030ca32611497c827"


def sm2_peer(private=None, public=None, der=False):
    key = sm2.CryptSM2(private_key=private or "", public_key="", asn1=der)
    # gmssl strips a leading "04" with str.lstrip("04"), which also eats leading 0 and 4 digits of X:
    # set the 128 hex digits of X || Y directly.
    key.public_key = public[2:] if public else key._kg(int(private, 16), CURVE["g"])
    return key


def z_value(public_xy, distinguishing_id):
    """Z = SM3(ENTL || ID || a || b || xG || yG || xA || yA), GB/T 32918.2 §5.5 (gmssl fixes the ID)."""
    entl = (len(distinguishing_id) * 8).to_bytes(2, "big")
    curve = bytes.fromhex(CURVE["a"] + CURVE["b"] + CURVE["g"])
    return sm3_hash(entl + distinguishing_id + curve + bytes.fromhex(public_xy))


def answer(request):
    op = request["op"]
    b = lambda name: bytes.fromhex(request[name])
    if op == "sm3":
        return sm3_hash(b("message")).hex()
    if op == "sm4-encrypt-block":
        return sm4_block(b("key"), b("block")).hex()
    if op == "sm4-decrypt-block":
        return sm4_block(b("key"), b("block"), decrypt=True).hex()
    if op == "sm4-cbc-encrypt":
        return cbc_encrypt(b("key"), b("iv"), b("data")).hex()
    if op == "sm4-cbc-decrypt":
        return cbc_decrypt(b("key"), b("iv"), b("data")).hex()
    if op == "sm4-cmac":
        key = b("key")
        return cmac(lambda block: sm4_block(key, block), b("message")).hex()
    if op == "sm2-public-key":
        return "04" + sm2_peer(private=request["private"]).public_key
    if op == "sm2-sign":  # gmssl's own API: the default ID "1234567812345678"
        return sm2_peer(private=request["private"], der=request["der"]).sign_with_sm3(b("message"))
    if op == "sm2-verify":  # gmssl's own API: the default ID
        return bool(sm2_peer(public=request["public"], der=request["der"]).verify_with_sm3(request["signature"], b("message")))
    if op == "sm2-sign-with-id":  # e = SM3(Z || M) with the request's ID, then gmssl signs e with nonce k
        key = sm2_peer(private=request["private"])
        e = sm3_hash(z_value(key.public_key, b("id")) + b("message"))
        return key.sign(e, request["k"])
    if op == "sm2-verify-with-id":
        key = sm2_peer(public=request["public"])
        e = sm3_hash(z_value(key.public_key, b("id")) + b("message"))
        return bool(key.verify(request["signature"], e))
    raise ValueError("unknown operation " + op)


print(json.dumps([answer(request) for request in json.load(sys.stdin)]))
