import Foundation
import Hummingbird
import Logging
import NIOCore
import OpenAPIHummingbird
import Prometheus
import Registry
import Station
#if canImport(Glibc)
import Glibc
#endif

/// The local API as services for the daemon's service group: one on the Unix socket, one on loopback TCP
/// when configured. Both serve the same routes, generated from the API document.
public enum StationServer {
    public enum SetupError: Error, CustomStringConvertible {
        case socketInUse(String)
        case cannotPrepareSocket(String, String)
        case noSuchGroup(String)

        public var description: String {
            switch self {
            case .socketInUse(let path): "Another daemon answers on \(path); stop it first (systemctl stop permitd) or configure another socket.path."
            case .cannotPrepareSocket(let path, let why): "Cannot prepare the socket \(path): \(why). Check that its directory exists and belongs to the daemon's user."
            case .noSuchGroup(let group): "socket.group: no group named \"\(group)\" on this machine; create it (see docs/STATION.md) or remove the option."
            }
        }
    }

    /// The applications to run: the Unix socket, and loopback TCP if the configuration names a port.
    public static func applications(runtime: StationRuntime, sweep: DailySweep, cards: CardService?, metrics: PrometheusCollectorRegistry) throws -> [any ApplicationProtocol] {
        let configuration = runtime.configuration
        let socket = configuration.socket
        try prepareSocketPath(socket.path)
        let group = try socket.group.map(groupID)
        let mode = socket.mode
        let logger = runtime.logger
        var applications: [any ApplicationProtocol] = [
            Application(
                router: try router(runtime: runtime, sweep: sweep, cards: cards, metrics: metrics),
                configuration: .init(address: .unixDomainSocket(path: socket.path), serverName: "permitd"),
                onServerRunning: { _ in
                    // The socket is created under the process's umask: set the mode (and group) the station needs.
                    if chmod(socket.path, mode_t(mode)) != 0 { logger.error("cannot set the mode of \(socket.path): errno \(errno)") }
                    if let group, chown(socket.path, uid_t.max, group) != 0 { logger.error("cannot give \(socket.path) its group: errno \(errno)") }
                    logger.notice("serving the local API on \(socket.path) (mode \(String(mode, radix: 8)))")
                },
                logger: logger),
        ]
        if let port = configuration.tcp.port {
            let address = configuration.tcp.address
            applications.append(Application(
                router: try router(runtime: runtime, sweep: sweep, cards: cards, metrics: metrics),
                configuration: .init(address: .hostname(address, port: port), serverName: "permitd"),
                onServerRunning: { _ in logger.notice("serving the local API on http://\(address):\(port)") },
                logger: logger))
        }
        return applications
    }

    static func router(runtime: StationRuntime, sweep: DailySweep, cards: CardService?, metrics: PrometheusCollectorRegistry) throws -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        let registry: @Sendable () -> Registry = { runtime.registry }
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: OutcomeMiddleware(registry: registry, logger: runtime.logger))
        router.add(middleware: BodyLimitMiddleware(limit: { runtime.configuration.api.maxBodyBytes }))
        let handler = APIHandler(runtime: runtime, sweep: sweep, metrics: metrics, cards: cards)
        try handler.registerHandlers(on: router, middlewares: [Authorization(registry: registry)])
        return router
    }

    /// Removes a socket file left by a daemon that died; refuses when a live daemon still answers on it.
    static func prepareSocketPath(_ path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else { return }
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { throw SetupError.cannotPrepareSocket(path, "the path is too long for a socket") }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            buffer.copyBytes(from: bytes)
            buffer[bytes.count] = 0
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        if connected == 0 { throw SetupError.socketInUse(path) }
        guard unlink(path) == 0 else { throw SetupError.cannotPrepareSocket(path, String(cString: strerror(errno))) }
    }

    static func groupID(_ name: String) throws -> gid_t {
        guard let entry = getgrnam(name) else { throw SetupError.noSuchGroup(name) }
        return entry.pointee.gr_gid
    }
}
