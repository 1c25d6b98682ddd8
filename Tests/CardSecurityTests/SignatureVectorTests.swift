import ISO7816
import Testing
@testable import CardSecurity

/// Vectors V5–V6 of docs/CARD-SECURITY.md: byte-exact signed messages, and signatures made by an
/// independent implementation (Python `cryptography`) that this module must accept.
@Suite("Signature vectors")
struct SignatureVectorTests {
    @Test func publicKeysFromFixedScalars() {
        #expect(Vectors.chipKey.publicKey.x963Representation.hexString == Vectors.chipPublicKeyHex)
        #expect(Vectors.stationKey.publicKey.keyIdentifier.hexString == "D12FB2A6953F71CA")
    }

    @Test func aSignatureFromOneDomainDoesNotVerifyInAnother() throws {
        let payload = Vectors.serial.bytes + Array(UInt8(0)...UInt8(15))
        let signature = try DomainSignature.sign(payload, domain: .endorsement, key: Vectors.stationKey)
        #expect(DomainSignature.isValid(signature, of: payload, domain: .endorsement, key: Vectors.stationKey.publicKey))
        for domain in SignatureDomain.allCases where domain != .endorsement {
            #expect(!DomainSignature.isValid(signature, of: payload, domain: domain, key: Vectors.stationKey.publicKey))
        }
    }

    @Test func securityObjectContentVector() throws {
        let content = try SecurityObject(suite: .international, serial: Vectors.serial, signedOn: Vectors.day,
                                         chipPublicKey: Vectors.chipKey.publicKey, files: Vectors.files)
        let expected = "7181AF8001018101015A08330102030405060782083230323631313232864104991498C2EF7F1CA5FD7F1D2EE033DC0AED84745DA9B5"
            + "EBB60A7D854307EBF9964A48CCF94FA5F206B0550E62AAD49E4A0EC26DCB562201C4DD8BEC6D11D39F44A050A126840201018520492E8D70"
            + "FCBB49EBE353A34743C15CF542B309E12F92896B63B0B80E103B1179A1268402010285205FAA4EEC3611556812C2D74B437C8C49ADD3F910"
            + "F10063D801441F7D75CD5E3B"
        #expect(content.encoded.hexString == expected)
        #expect(try SecurityObject(decoding: content.encoded) == content)
        let python = Vectors.bytes("CD722F2B9AD14FDE03215F54A0DECF2B6F5577B66DEE196779DBC93376483A9C"
            + "22E4C21855D0CDFFC15323D36947492B9513850D42B6A891D3559710890E27E7")
        #expect(DomainSignature.isValid(python, of: content.encoded, domain: .securityObject,
                                        key: Vectors.documentSignerKey.publicKey))
    }

    @Test func endorsementVector() {
        let record = Vectors.bytes("0132303236313132323230323731313232D12FB2A6953F71CA")
        let python = Vectors.bytes("A7C6DF30E5B01BD54D572AC990AD93E18ACBAF808344C4158383D83924C7680B"
            + "3F2133ADDD129B5FF98E7173060289B5D7F1FC4CDCFC508D82E1F814B8A8A68E")
        #expect(DomainSignature.isValid(python, of: Vectors.serial.bytes + record, domain: .endorsement,
                                        key: Vectors.stationKey.publicKey))
        var altered = record
        altered[1] ^= 0x01
        #expect(!DomainSignature.isValid(python, of: Vectors.serial.bytes + altered, domain: .endorsement,
                                         key: Vectors.stationKey.publicKey))
    }

    @Test func chipKeyFileVector() throws {
        let file = ChipKeyFile.encode(Vectors.chipKey.publicKey)
        #expect(file.hexString == "0141" + Vectors.chipPublicKeyHex)
        #expect(try ChipKeyFile.decode(file + [0, 0]) == Vectors.chipKey.publicKey)
        #expect(try ChipKeyFile.decode(Array(repeating: 0, count: 67)) == nil)
        #expect(throws: CardSecurityError.self) { try ChipKeyFile.decode([0x02, 0x41] + Array(file.dropFirst(2))) }
    }

    @Test func signingKeyDescriptionsHideThePrivateKey() {
        let text = String(describing: Vectors.stationKey) + String(reflecting: Vectors.stationKey)
        #expect(!text.contains("5A5A5A"))
        #expect(text.contains("redacted"))
    }
}
