import Foundation
import HTTPTypes
import Hummingbird
import OpenAPIRuntime

/// A refusal or failure as the API reports it: an RFC 9457 problem document whose `detail` is one
/// sentence saying what was wrong and what to do.
struct APIProblem: Error, Sendable, HTTPResponseConvertible {
    let status: HTTPResponse.Status
    /// Names the kind of problem: `urn:permitstation:problem:<slug>`.
    let slug: String
    let detail: String

    init(_ status: HTTPResponse.Status, _ slug: String, _ detail: String) {
        self.status = status
        self.slug = slug
        self.detail = detail
    }

    static func notAuthenticated(_ detail: String) -> APIProblem { APIProblem(.unauthorized, "not-authenticated", detail) }
    static func forbidden(_ detail: String) -> APIProblem { APIProblem(.forbidden, "forbidden", detail) }
    static func notFound(_ detail: String) -> APIProblem { APIProblem(.notFound, "not-found", detail) }
    static func malformed(_ detail: String) -> APIProblem { APIProblem(.badRequest, "malformed-request", detail) }
    static func unprocessable(_ detail: String) -> APIProblem { APIProblem(.unprocessableContent, "invalid-value", detail) }
    static func conflict(_ detail: String) -> APIProblem { APIProblem(.conflict, "conflict", detail) }
    static func tooLarge(limit: Int) -> APIProblem {
        APIProblem(.contentTooLarge, "body-too-large", "The request body is larger than \(limit) bytes, the most this station accepts; send a smaller body.")
    }
    static func unavailable(_ detail: String) -> APIProblem { APIProblem(.serviceUnavailable, "unavailable", detail) }
    static let internalError = APIProblem(.internalServerError, "internal-error",
                                          "The station failed to answer this request; its log (journalctl -u permitd) says why.")

    var type: String { "urn:permitstation:problem:\(slug)" }

    /// The `outcome` written to the audit log, e.g. `403 forbidden`.
    var outcome: String { "\(status.code) \(slug)" }

    func json(instance: String) -> Data {
        let document: [String: Any] = ["type": type, "title": status.reasonPhrase, "status": status.code,
                                       "detail": detail, "instance": instance]
        return (try? JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
    }

    static let contentType = "application/problem+json"

    // HTTPResponseConvertible: what the OpenAPI layer answers when a handler throws this.
    var httpStatus: HTTPResponse.Status { status }
    var httpHeaderFields: HTTPFields { [.contentType: Self.contentType] }
    var httpBody: HTTPBody? { HTTPBody(json(instance: RequestRecord.current?.path ?? "")) }

    /// The same document as a Hummingbird response.
    func response(instance: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = Self.contentType
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer realm=\"permitstation\"" }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(data: json(instance: instance))))
    }
}
