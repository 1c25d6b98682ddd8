import ISO7816
import Foundation

/// The signed envelope shared by EF.SOD and the status list:
/// `tag L { 71 L content | 72 L signer certificate (DER) | 73 40 signature r || s }`, the signature
/// being over `domain prefix || the 71 TLV`. The content is kept as read, so verification never
/// depends on re-encoding.
struct SignedEnvelope: Sendable, Equatable {
    let contentBytes: [UInt8]
    let signerCertificate: PKICertificate
    let signature: [UInt8]

    init(signing contentBytes: [UInt8], domain: SignatureDomain, signer: some CertifiedSigner) throws(CardSecurityError) {
        self.contentBytes = contentBytes
        self.signerCertificate = signer.certificate
        self.signature = try DomainSignature.sign(contentBytes, domain: domain, key: signer)
    }

    func encoded(tag: UInt8) -> [UInt8] {
        TLV(tag, contentBytes + TLV(0x72, signerCertificate.derEncoded).encoded + TLV(0x73, signature).encoded).encoded
    }

    /// Decodes the envelope; zero bytes after it are ignored (a transparent file is larger than its content).
    init(decoding bytes: [UInt8], tag: UInt8, name: String) throws(CardSecurityError) {
        let (outer, end) = try TLV.decodeOne(bytes, at: 0, what: name)
        guard outer.tag == [tag] else {
            throw .malformedSecurityObject("\(name) does not start with tag \([tag].hexString)")
        }
        guard bytes[end...].allSatisfy({ $0 == 0x00 }) else {
            throw .malformedSecurityObject("\(name) has bytes other than 00 after its template")
        }
        let parts = try TLV.decodeAll(outer.value, what: "\(name) template")
        guard parts.map(\.tag) == [[0x71], [0x72], [0x73]] else {
            throw .malformedSecurityObject("\(name) must hold 71, 72, 73 in this order")
        }
        contentBytes = parts[0].encoded
        signerCertificate = try PKICertificate(derEncoded: parts[1].value)
        signature = parts[2].value
    }

    /// The signer certificate chains to the root with `role` at `date`, and its key signed the content.
    func verify(domain: SignatureDomain, role: CertificateRole, trust: TrustStore, at date: Date, what: String) async -> Verdict {
        let chain = await trust.verify(signerCertificate, for: role, at: date)
        guard chain.isPassed else { return chain }
        guard let key = signerCertificate.publicKey else {
            return .failed(reason: "\(signerCertificate) does not hold a key of a supported suite")
        }
        guard DomainSignature.isValid(signature, of: contentBytes, domain: domain, key: key) else {
            return .failed(reason: "the \(role)'s signature over the \(what) does not verify: it was altered or forged")
        }
        return .passed
    }
}
