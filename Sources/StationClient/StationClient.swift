import Foundation
import HTTPTypes
import OpenAPIRuntime
import StationAPIModel

extension Client {
    /// A client of the daemon at `endpoint`, authenticating with `token` on every request.
    public init(endpoint: DaemonTransport.Endpoint, token: String) {
        self.init(serverURL: URL(string: "http://localhost")!, transport: DaemonTransport(endpoint: endpoint),
                  middlewares: [BearerToken(token: token)])
    }
}

/// Adds `Authorization: Bearer <token>` to every request.
struct BearerToken: ClientMiddleware {
    let token: String

    func intercept(_ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
                   next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)) async throws -> (HTTPResponse, HTTPBody?) {
        var request = request
        request.headerFields[.authorization] = "Bearer \(token)"
        return try await next(request, body, baseURL)
    }
}
