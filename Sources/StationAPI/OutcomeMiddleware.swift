import Foundation
import Hummingbird
import Logging
import Metrics
import OpenAPIRuntime
import Registry

/// The outermost layer: every request leaves as a response, every failure as a problem document
/// (RFC 9457), and every request is appended to the registry's audit log with who asked, for what,
/// and how it ended.
struct OutcomeMiddleware<Context: RequestContext>: RouterMiddleware {
    let registry: @Sendable () -> Registry
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let record = RequestRecord(path: request.uri.path)
        let response: Response
        var problem: APIProblem?
        do {
            response = try await RequestRecord.$current.withValue(record) { try await next(request, context) }
        } catch {
            let found = Self.problem(for: error, method: request.method.rawValue, path: request.uri.path)
            if found.status.code >= 500 { logger.error("\(request.method) \(request.uri.path) failed", metadata: ["error": "\(error)"]) }
            problem = found
            response = found.response(instance: request.uri.path)
            Counter(label: "permitstation_api_problems_total", dimensions: [("status", String(found.status.code)), ("type", found.slug)]).increment()
        }
        let entry = AuditRecord(
            actor: record.actor, role: record.role, act: record.act ?? "\(request.method) \(request.uri.path)",
            card: record.cardSerial, outcome: problem?.outcome ?? "\(response.status.code)")
        do {
            try registry().appendAudit(entry)
        } catch {
            // A request whose audit entry cannot be written is refused: nothing happens unrecorded.
            logger.critical("cannot write the audit log", metadata: ["error": "\(error)"])
            return APIProblem.unavailable("The station cannot write its audit log (\(error)); nothing was done. Tell the station's administrator.")
                .response(instance: request.uri.path)
        }
        return response
    }

    /// The problem document for anything a lower layer threw.
    static func problem(for error: any Error, method: String, path: String) -> APIProblem {
        switch error {
        case let problem as APIProblem:
            return problem
        case let error as ServerError:
            if let problem = error.underlyingError as? APIProblem { return problem }
            if let decoding = error.underlyingError as? DecodingError {
                guard error.request.method == .post else {
                    let query = error.request.path?.split(separator: "?", maxSplits: 1).dropFirst().first.map { " (\($0))" } ?? ""
                    return .malformed("A query parameter has a value of the wrong type\(query); the API document gives each parameter's type.")
                }
                return .malformed(RequestText.describe(decoding))
            }
            if error.httpStatus.code < 500 {
                return APIProblem(error.httpStatus, "malformed-request", RequestText.describe(serverError: error))
            }
            return .internalError
        case let error as HTTPError:
            switch error.status {
            case .notFound: return .notFound("No route \(method) \(path); the routes are listed in the API document (docs/STATION.md).")
            case .methodNotAllowed: return APIProblem(.methodNotAllowed, "method-not-allowed", "\(path) does not take \(method); the API document lists the methods of each route.")
            case .contentTooLarge: return .tooLarge(limit: 0)
            default: return APIProblem(error.status, "http-error", error.body ?? error.status.reasonPhrase)
            }
        default:
            return .internalError
        }
    }
}

/// Sentences for requests the generated layer could not read: no Swift type names, the field named by its JSON path.
enum RequestText {
    static func describe(_ error: DecodingError) -> String {
        func at(_ path: [any CodingKey]) -> String {
            let names = path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return names.isEmpty ? "the body" : "\"\(names)\""
        }
        switch error {
        case .dataCorrupted(let context) where context.debugDescription.hasPrefix("Additional properties are disabled"):
            return "\(at(context.codingPath)) is not a field of this route's body; the API document lists its fields."
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return "The request body is not valid JSON; send one JSON object as the API document describes."
        case .dataCorrupted(let context):
            return "\(at(context.codingPath)) has a value this route does not accept (\(context.debugDescription)); see the API document."
        case .keyNotFound(let key, let context):
            return "\(at(context.codingPath + [key])) is missing; the API document lists the required fields."
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "\(at(context.codingPath)) has the wrong type of value; the API document gives each field's type."
        @unknown default:
            return "The request body does not match the API document."
        }
    }

    static func describe(serverError error: ServerError) -> String {
        switch error.httpStatus {
        case .unsupportedMediaType: "Send the body as application/json (Content-Type header)."
        case .notAcceptable: "This route answers in the media type the API document gives; accept it (Accept header)."
        default: "The request does not match the API document (\(error.causeDescription))."
        }
    }
}

/// Refuses a body over the configured size before any handler reads it.
struct BodyLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    let limit: @Sendable () -> Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let limit = limit()
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit { throw APIProblem.tooLarge(limit: limit) }
        var request = request
        do {
            _ = try await request.collectBody(upTo: limit)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw APIProblem.tooLarge(limit: limit)
        }
        return try await next(request, context)
    }
}
