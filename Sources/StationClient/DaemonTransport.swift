import Foundation
import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOPosix
import OpenAPIRuntime

/// HTTP/1.1 to the daemon over its Unix socket (or loopback TCP), one connection per request: the
/// transport the generated client sends its requests through.
public struct DaemonTransport: ClientTransport {
    public enum Endpoint: Sendable, Equatable {
        case unixSocket(String)
        case tcp(host: String, port: Int)
    }

    public let endpoint: Endpoint
    /// Responses larger than this are refused (the CLI reads whole documents, never streams).
    let maxResponseBytes = 16 << 20

    public init(endpoint: Endpoint) {
        self.endpoint = endpoint
    }

    public enum Failure: Error, CustomStringConvertible {
        case cannotConnect(Endpoint, String)
        case connectionClosed(Endpoint)

        public var description: String {
            switch self {
            case .cannotConnect(let endpoint, let why):
                "Cannot reach the station daemon at \(endpoint.name) (\(why)). Is permitd running (systemctl status permitd)? Set PERMIT_SOCKET if it listens elsewhere."
            case .connectionClosed(let endpoint):
                "The station daemon at \(endpoint.name) closed the connection before answering; its log (journalctl -u permitd) says why."
            }
        }
    }

    public func send(_ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String) async throws -> (HTTPResponse, HTTPBody?) {
        let bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        let channel: NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>
        do {
            let setUp: @Sendable (any Channel) -> EventLoopFuture<NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>> = { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try NIOAsyncChannel(wrappingChannelSynchronously: channel)
                }
            }
            switch endpoint {
            case .unixSocket(let path): channel = try await bootstrap.connect(unixDomainSocketPath: path, channelInitializer: setUp)
            case .tcp(let host, let port): channel = try await bootstrap.connect(host: host, port: port, channelInitializer: setUp)
            }
        } catch {
            throw Failure.cannotConnect(endpoint, Self.reason(error))
        }
        let bytes: [UInt8]? = if let body { try await [UInt8](collecting: body, upTo: 1 << 20) } else { nil }
        var head = HTTPRequestHead(version: .http1_1, method: HTTPMethod(rawValue: request.method.rawValue), uri: request.path ?? "/")
        head.headers.add(name: "Host", value: "localhost")
        for field in request.headerFields { head.headers.add(name: field.name.rawName, value: field.value) }
        head.headers.replaceOrAdd(name: "Content-Length", value: String(bytes?.count ?? 0))
        head.headers.replaceOrAdd(name: "Connection", value: "close")
        let endpoint = endpoint
        let limit = maxResponseBytes
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(.head(head))
            if let bytes, !bytes.isEmpty { try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: bytes)))) }
            try await outbound.write(.end(nil))
            var response: HTTPResponse?
            var data: [UInt8] = []
            for try await part in inbound {
                switch part {
                case .head(let received):
                    var fields = HTTPFields()
                    for (name, value) in received.headers { if let name = HTTPField.Name(name) { fields.append(HTTPField(name: name, value: value)) } }
                    response = HTTPResponse(status: .init(code: Int(received.status.code)), headerFields: fields)
                case .body(let buffer):
                    data += buffer.readableBytesView
                    if data.count > limit { throw Failure.connectionClosed(endpoint) }
                case .end:
                    guard let response else { throw Failure.connectionClosed(endpoint) }
                    return (response, HTTPBody(data))
                }
            }
            throw Failure.connectionClosed(endpoint)
        }
    }

    static func reason(_ error: any Error) -> String {
        if let error = error as? IOError { return String(cString: strerror(error.errnoCode)) }
        if let error = error as? NIOConnectionError, let first = error.connectionErrors.first { return reason(first.error) }
        return "\(error)"
    }
}

extension DaemonTransport.Endpoint {
    /// How the endpoint is named in messages.
    public var name: String {
        switch self {
        case .unixSocket(let path): path
        case .tcp(let host, let port): "http://\(host):\(port)"
        }
    }
}
