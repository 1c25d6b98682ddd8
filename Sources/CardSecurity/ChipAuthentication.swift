/// Chip authentication with INTERNAL AUTHENTICATE: the chip signs the terminal's fresh challenge with
/// its own private key, which never leaves the chip. The terminal checks the signature against the
/// chip public key that the authority signed in the security object, so a copy of the card's files
/// without the private key fails.
public enum ChipAuthentication {
    public static let challengeLength = 16

    /// A fresh challenge from the system's secure generator.
    public static func randomChallenge() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<challengeLength).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    /// The payload after the domain prefix: `serial (8) || challenge (16)`.
    static func payload(challenge: [UInt8], serial: CardSerial) throws(CardSecurityError) -> [UInt8] {
        guard challenge.count == challengeLength else {
            throw .invalidLength(field: "INTERNAL AUTHENTICATE challenge", expected: challengeLength, actual: challenge.count)
        }
        return serial.bytes + challenge
    }

    /// Card side: the INTERNAL AUTHENTICATE response, a 64-byte r || s signature.
    public static func respond(to challenge: [UInt8], serial: CardSerial, chipKey: SigningKey) throws(CardSecurityError) -> [UInt8] {
        try DomainSignature.sign(payload(challenge: challenge, serial: serial), domain: .chipAuthentication, key: chipKey)
    }

    /// Terminal side: the verdict on the chip's response to `challenge`.
    public static func verify(
        response: [UInt8], challenge: [UInt8], serial: CardSerial, chipPublicKey: VerifyingKey
    ) -> Verdict {
        guard let payload = try? payload(challenge: challenge, serial: serial) else {
            return .failed(reason: "the challenge sent to the chip was not \(challengeLength) bytes")
        }
        guard response.count == VerifyingKey.signatureLength else {
            return .failed(reason: "the chip answered \(response.count) bytes instead of a 64-byte signature")
        }
        guard DomainSignature.isValid(response, of: payload, domain: .chipAuthentication, key: chipPublicKey) else {
            return .failed(reason: "the chip's signature does not match the chip key the authority signed: the card may be a copy")
        }
        return .passed
    }
}
