import ISO7816
import NationalCrypto
import Testing

@Suite("SM2 signatures (GB/T 32918)")
struct SM2Tests {
    /// The signature example of GB/T 32918.5-2017 (GM/T 0003.5) on the recommended curve: ID
    /// "1234567812345678", message "message digest", nonce k = 59276E27…EAC1BC21.
    enum StandardExample {
        static let privateKey = try! [UInt8](hex: "3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8")
        static let publicKey = try! [UInt8](hex: "04 09F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020"
            + "CCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13")
        static let message = Array("message digest".utf8)
        static let signature = try! [UInt8](hex: "F5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3"
            + "B1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AA")
    }

    static let message = Array("PermitStation endorsement v1".utf8) + [0x00, 0x33, 0x01, 0x02, 0x03]
    static let alice = try! SM2DistinguishingID(text: "ALICE123@YAHOO.COM")

    @Test("the standard's key pair and signature: public key computed, signature verifies under its ID only")
    func standardExample() throws {
        let key = try SM2PrivateKey(rawRepresentation: StandardExample.privateKey)
        #expect(key.publicKey.x963Representation == StandardExample.publicKey)
        #expect(key.rawRepresentation == StandardExample.privateKey)
        let signature = try SM2Signature(rawRepresentation: StandardExample.signature)
        let publicKey = try SM2PublicKey(x963Representation: StandardExample.publicKey)
        #expect(publicKey.isValidSignature(signature, for: StandardExample.message))
        #expect(publicKey.isValidSignature(signature, for: StandardExample.message, id: .default))
        #expect(!publicKey.isValidSignature(signature, for: StandardExample.message, id: Self.alice))
        #expect(!publicKey.isValidSignature(signature, for: Array("message digesT".utf8)))
    }

    @Test("sign then verify, default and explicit IDs; signatures are randomised", arguments: [SM2DistinguishingID.default, alice])
    func roundTrip(id: SM2DistinguishingID) throws {
        let key = try SM2PrivateKey()
        let first = try key.signature(for: Self.message, id: id)
        let second = try key.signature(for: Self.message, id: id)
        #expect(first != second)
        #expect(key.publicKey.isValidSignature(first, for: Self.message, id: id))
        #expect(key.publicKey.isValidSignature(second, for: Self.message, id: id))
    }

    @Test("a tampered message, signature, ID or key is rejected")
    func tampering() throws {
        let key = try SM2PrivateKey()
        let signature = try key.signature(for: Self.message, id: Self.alice)
        #expect(key.publicKey.isValidSignature(signature, for: Self.message, id: Self.alice))
        var message = Self.message
        message[message.count - 1] ^= 0x01
        #expect(!key.publicKey.isValidSignature(signature, for: message, id: Self.alice))
        #expect(!key.publicKey.isValidSignature(signature, for: Self.message + [0x00], id: Self.alice))
        for index in [0, 31, 32, 63] {
            var raw = signature.rawRepresentation
            raw[index] ^= 0x80
            #expect(!key.publicKey.isValidSignature(try SM2Signature(rawRepresentation: raw), for: Self.message, id: Self.alice),
                    "byte \(index) flipped")
        }
        #expect(!key.publicKey.isValidSignature(signature, for: Self.message, id: .default))
        #expect(!key.publicKey.isValidSignature(signature, for: Self.message, id: try SM2DistinguishingID(text: "ALICE123@YAHOO.CON")))
        #expect(!(try SM2PrivateKey()).publicKey.isValidSignature(signature, for: Self.message, id: Self.alice))
    }

    @Test("r = 0, s = 0 and r = n are never valid")
    func outOfRange() throws {
        let key = try SM2PrivateKey(rawRepresentation: StandardExample.privateKey)
        let order = try [UInt8](hex: "FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123")
        let valid = StandardExample.signature
        for raw in [[UInt8](repeating: 0, count: 32) + valid[32...], valid[..<32] + [UInt8](repeating: 0, count: 32), order + valid[32...]] {
            #expect(!key.publicKey.isValidSignature(try SM2Signature(rawRepresentation: Array(raw)), for: StandardExample.message))
        }
    }

    @Test("r || s and DER convert both ways, byte for byte")
    func rawAndDER() throws {
        let standard = try SM2Signature(rawRepresentation: StandardExample.signature)
        // r and s both start with a byte >= 80, so each INTEGER carries a 00 in front: 30 46 (02 21 00 r) (02 21 00 s).
        let der = try [UInt8](hex: "3046 022100") + StandardExample.signature[..<32] + [0x02, 0x21, 0x00] + StandardExample.signature[32...]
        #expect(standard.derRepresentation == der)
        #expect(try SM2Signature(derRepresentation: der) == standard)
        // Small values: r = 1; s with two leading zero bytes, then a byte with the high bit set (one 00 back in front).
        let raw = [UInt8](repeating: 0, count: 31) + [0x01] + [0x00, 0x00, 0x80] + [UInt8](repeating: 0x11, count: 29)
        let short = try [UInt8](hex: "3024 020101 021F 0080") + [UInt8](repeating: 0x11, count: 29)
        let small = try SM2Signature(rawRepresentation: raw)
        #expect(small.derRepresentation == short)
        #expect(try SM2Signature(derRepresentation: short) == small)
        let key = try SM2PrivateKey()
        let made = try key.signature(for: Self.message)
        #expect(try SM2Signature(derRepresentation: made.derRepresentation) == made)
        #expect(key.publicKey.isValidSignature(try SM2Signature(derRepresentation: made.derRepresentation), for: Self.message))
    }

    @Test("DER that is not strict is refused", arguments: [
        "3006 020101 020101 00",        // a byte after the sequence
        "3007 020101 020101",           // sequence length beyond the data
        "3106 020101 020101",           // not a SEQUENCE
        "3081 06 020101 020101",        // long-form length
        "3007 02020001 020101",         // INTEGER with a needless leading 00
        "3006 020181 020101",           // negative INTEGER
        "3006 020001 020101",           // empty INTEGER
        "3003 020101",                  // one INTEGER only
        "3009 020101 020101 020101",    // three INTEGERs
    ])
    func strictDER(hex: String) throws {
        let bytes = try [UInt8](hex: hex)
        #expect(throws: NationalCryptoError.self) { try SM2Signature(derRepresentation: bytes) }
    }

    @Test("an INTEGER over 256 bits is refused")
    func oversizedInteger() throws {
        let der = try [UInt8](hex: "3026 022101") + [UInt8](repeating: 0x11, count: 32) + [0x02, 0x01, 0x01]
        #expect(throws: NationalCryptoError.malformedSignature(
            "the SEQUENCE does not hold exactly two non-negative INTEGERs of at most 256 bits in DER")) {
            try SM2Signature(derRepresentation: der)
        }
        #expect(throws: NationalCryptoError.malformedSignature("63 bytes where r || s has 64")) {
            try SM2Signature(rawRepresentation: [UInt8](repeating: 1, count: 63))
        }
    }

    @Test("private keys outside 1...n-2 or of the wrong size are refused", arguments: [
        "00",
        String(repeating: "00", count: 32),
        "FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54122",  // n - 1
        "FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123",  // n
        String(repeating: "FF", count: 32),
        String(repeating: "01", count: 33),
    ])
    func badPrivateKey(hex: String) throws {
        let bytes = try [UInt8](hex: hex)
        #expect {
            try SM2PrivateKey(rawRepresentation: bytes)
        } throws: { error in
            guard case NationalCryptoError.malformedPrivateKey = error else { return false }
            return true
        }
    }

    @Test("n - 2 and 1 are valid private keys")
    func edgePrivateKeys() throws {
        let largest = try SM2PrivateKey(rawRepresentation: [UInt8](hex: "FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54121"))
        let one = try SM2PrivateKey(rawRepresentation: [UInt8](repeating: 0, count: 31) + [1])
        // 1·G is the base point of GB/T 32918.5.
        #expect(one.publicKey.x963Representation == (try [UInt8](hex: "04 32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7"
            + "BC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0")))
        let signature = try largest.signature(for: Self.message)
        #expect(largest.publicKey.isValidSignature(signature, for: Self.message))
    }

    @Test("public keys that are not uncompressed points of the curve are refused", arguments: [
        "04",
        "02 09F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020",
        "05 09F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020 CCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13",
        "04 09F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020 CCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD14",
        "04" + String(repeating: "00", count: 64),
    ])
    func badPublicKey(hex: String) throws {
        let bytes = try [UInt8](hex: hex)
        #expect {
            try SM2PublicKey(x963Representation: bytes)
        } throws: { error in
            guard case NationalCryptoError.malformedPublicKey = error else { return false }
            return true
        }
    }

    @Test("distinguishing IDs of 1 to 8190 bytes only")
    func distinguishingIDLength() throws {
        #expect(throws: NationalCryptoError.invalidDistinguishingID(length: 0)) { try SM2DistinguishingID(bytes: []) }
        #expect(throws: NationalCryptoError.invalidDistinguishingID(length: 8191)) {
            try SM2DistinguishingID(bytes: [UInt8](repeating: 0x41, count: 8191))
        }
        let longest = try SM2DistinguishingID(bytes: [UInt8](repeating: 0x41, count: 8190))
        let key = try SM2PrivateKey()
        #expect(key.publicKey.isValidSignature(try key.signature(for: Self.message, id: longest), for: Self.message, id: longest))
        #expect(SM2DistinguishingID.default.bytes == Array("1234567812345678".utf8))
    }

    @Test("a private key never shows its scalar")
    func redaction() throws {
        let key = try SM2PrivateKey(rawRepresentation: StandardExample.privateKey)
        let scalar = StandardExample.privateKey.hexString
        for text in [key.description, key.debugDescription, String(reflecting: key), "\(key)"] {
            #expect(!text.uppercased().contains(scalar.prefix(16)))
            #expect(text.contains("redacted"))
        }
        #expect(Mirror(reflecting: key).children.isEmpty)
        var dumped = ""
        dump(key, to: &dumped)
        #expect(!dumped.uppercased().contains(scalar.prefix(16)))
    }
}
