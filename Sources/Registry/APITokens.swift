import Crypto
import Foundation
import GRDB

/// What a token holder may do through the station's local API (docs/STATION.md, "Roles").
public enum APIRole: String, Codable, Sendable, CaseIterable, DatabaseValueConvertible {
    /// Everything: cards, registry, sweep.
    case officer
    /// The presented card's status and its holder's self-endorsement, nothing else.
    case kiosk
    /// Read only.
    case verifier
}

/// A bearer token of the local API. Only the SHA-256 of its secret is stored: the secret is shown once,
/// when the token is made, and a copy of the registry file gives no one a usable token.
public struct APIToken: RegistryRecord, Hashable {
    public static let databaseTableName = "api_tokens"
    public var id: Int64?
    /// Who or what holds it ("desk 1", "kiosk hall A"); unique.
    public var name: String
    public var role: APIRole
    public var hash: Data
    public var createdAt: String
    public var createdBy: String
    public var revokedAt: String?
    public var revokedBy: String?

    public var isRevoked: Bool { revokedAt != nil }

    /// Secrets are `pst_` and 43 base64url characters (256 random bits): hashing them once is enough,
    /// no password-stretching is needed for a secret nobody chose.
    static let prefix = "pst_"

    static func newSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return prefix + Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func hash(of secret: String) -> Data { Data(SHA256.hash(data: Data(secret.utf8))) }
}

extension Registry {
    /// Makes a token for `name` with `role`. Returns the record and the secret, which is never stored.
    public func createToken(name: String, role: APIRole, actor: String) throws(RegistryError) -> (token: APIToken, secret: String) {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.count <= 64, !trimmed.contains(where: \.isNewline) else {
            throw .invalid(field: "token name", value: name, problem: "must be 1 to 64 characters on one line (e.g. \"desk 1\")")
        }
        let secret = APIToken.newSecret()
        let token = try write(actor: actor) { db, context -> APIToken in
            if try APIToken.filter(Column("name") == trimmed).fetchCount(db) > 0 { throw RegistryError.tokenNameInUse(trimmed) }
            var token = APIToken(id: nil, name: trimmed, role: role, hash: APIToken.hash(of: secret),
                                 createdAt: context.recordedAt, createdBy: actor, revokedAt: nil, revokedBy: nil)
            try token.insert(db)
            return token
        }
        return (token, secret)
    }

    /// Every token, revoked ones included, oldest first.
    public func tokens() throws(RegistryError) -> [APIToken] {
        try read { db in try APIToken.order(Column("id")).fetchAll(db) }
    }

    /// Revokes the token named `name`: it is refused from the next request on. Revoking twice is refused.
    @discardableResult
    public func revokeToken(name: String, actor: String) throws(RegistryError) -> APIToken {
        try write(actor: actor) { db, context -> APIToken in
            guard var token = try APIToken.filter(Column("name") == name).fetchOne(db) else { throw RegistryError.unknownToken(name) }
            guard !token.isRevoked else { throw RegistryError.tokenRevoked(name) }
            token.revokedAt = context.recordedAt
            token.revokedBy = actor
            try token.update(db)
            return token
        }
    }

    /// The live (not revoked) token whose secret is `secret`, or nil.
    public func authenticate(secret: String) throws(RegistryError) -> APIToken? {
        guard secret.hasPrefix(APIToken.prefix) else { return nil }
        let hash = APIToken.hash(of: secret)
        return try read { db in
            try APIToken.fetchOne(db.cachedStatement(sql: "SELECT * FROM api_tokens WHERE hash = ? AND revoked_at IS NULL"), arguments: [hash])
        }
    }
}
