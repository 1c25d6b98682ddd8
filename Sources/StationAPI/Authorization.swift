import HTTPTypes
import OpenAPIRuntime
import Registry

/// Which roles may call each operation: the `x-roles` of the API document, which a test holds to this
/// table. An operation missing here is refused to everyone.
public enum OperationRoles {
    public static let table: [String: Set<APIRole>] = [
        "getStatus": [.officer, .verifier],
        "listReaders": [.officer, .kiosk, .verifier],
        "getReader": [.officer, .kiosk, .verifier],
        "streamEvents": [.officer, .kiosk, .verifier],
        "listDue": [.officer, .verifier],
        "runSweep": [.officer],
        "getMetrics": [.officer, .verifier],
        "acceptApplication": [.officer],
        "getCard": [.officer, .kiosk, .verifier],
        "issueCard": [.officer],
        "endorseCard": [.officer, .kiosk],
        "changeAddress": [.officer],
        "suspendPermit": [.officer],
        "restorePermit": [.officer],
        "cancelPermit": [.officer],
        "replaceCard": [.officer],
        "listIntents": [.officer, .verifier],
    ]
}

/// Checks the bearer token and the token's role before any operation runs; a refusal is answered here,
/// before the request is read further.
struct Authorization: ServerMiddleware {
    let registry: @Sendable () -> Registry

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        let record = RequestRecord.current
        record?.operation(operationID)
        guard let header = request.headerFields[.authorization] else {
            throw APIProblem.notAuthenticated("This route needs a bearer token (Authorization: Bearer …); make one with `permit token create`.")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw APIProblem.notAuthenticated("The Authorization header must read \"Bearer\" and the token; nothing else is accepted.")
        }
        guard let token = try registry().authenticate(secret: String(parts[1]).trimmingCharacters(in: .whitespaces)) else {
            throw APIProblem.notAuthenticated("This token is unknown or revoked; ask the station's administrator for a new one (`permit token create`).")
        }
        record?.authenticated(as: token)
        guard OperationRoles.table[operationID]?.contains(token.role) == true else {
            let allowed = (OperationRoles.table[operationID] ?? []).map(\.rawValue).sorted().joined(separator: " or ")
            throw APIProblem.forbidden("A \(token.role.rawValue) token may not call \(operationID); " + (allowed.isEmpty ? "no token may." : "it is open to \(allowed) tokens."))
        }
        return try await next(request, body, metadata)
    }
}
