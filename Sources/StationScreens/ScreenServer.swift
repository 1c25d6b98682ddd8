import Foundation
import HTTPTypes
import Hummingbird
import Kiosk
import Logging
import NIOCore

/// The screens' own HTTP listener: loopback TCP only, HTML only, no API route. permitd serves the kiosk
/// here to the browser of one local user (`kiosk.user`), checked on every request by the owner of the
/// connecting socket, so the browser carries no token at all and acts only through the screen.
public enum ScreenServer {
    public struct Options: Sendable {
        public var address: String
        public var port: Int
        /// The local user whose browser shows the kiosk; every other local user is refused.
        public var kioskUser: String

        public init(address: String = "127.0.0.1", port: Int, kioskUser: String) {
            self.address = address
            self.port = port
            self.kioskUser = kioskUser
        }
    }

    public enum SetupError: Error, CustomStringConvertible {
        case noSuchUser(String)

        public var description: String {
            switch self {
            case .noSuchUser(let name): "kiosk.user: no local user named \"\(name)\"; create the user the kiosk's browser runs as (see docs/KIOSK.md) or name another."
            }
        }
    }

    /// The application serving `kiosk` on `options`' loopback port.
    public static func application(kiosk: KioskSession, options: Options, logger: Logger) throws -> some ApplicationProtocol {
        guard let uid = LoopbackPeer.userID(options.kioskUser) else { throw SetupError.noSuchUser(options.kioskUser) }
        let router = Router(context: ScreenRequestContext.self)
        router.add(middleware: PeerUserMiddleware(allowed: uid, user: options.kioskUser))
        KioskRoutes(kiosk: kiosk).register(on: router)
        let address = options.address
        let port = options.port
        return Application(
            router: router, configuration: .init(address: .hostname(address, port: port), serverName: "permitd"),
            onServerRunning: { _ in logger.notice("serving the kiosk screen on http://\(address):\(port)/kiosk to local user \(options.kioskUser)") },
            logger: logger)
    }
}

/// A request context that knows both ends of the connection, for the peer check.
public struct ScreenRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    let clientPort: Int?
    let serverPort: Int?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        clientPort = source.channel.remoteAddress?.port
        serverPort = source.channel.localAddress?.port
    }
}

/// Refuses every request whose connecting socket is not owned by the allowed local user.
struct PeerUserMiddleware: RouterMiddleware {
    typealias Context = ScreenRequestContext
    let allowed: UInt32
    let user: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let client = context.clientPort, let server = context.serverPort,
              LoopbackPeer.owner(clientPort: client, serverPort: server) == allowed
        else {
            return .text("This screen is shown only to the kiosk's own browser (local user \(user)); nothing was done.", status: .forbidden)
        }
        return try await next(request, context)
    }
}

/// The kiosk's routes: the page, its event stream of screens, and one POST per touch.
struct KioskRoutes {
    let kiosk: KioskSession

    func register(on router: Router<ScreenRequestContext>) {
        router.get("/") { _, _ in Response(status: .seeOther, headers: [.location: "/kiosk"]) }
        router.get("/kiosk") { _, _ in
            Response.html(await kiosk.page())
        }
        router.get("/kiosk/events") { _, _ in
            let screens = await kiosk.screens()
            var headers = HTTPFields.private
            headers[.contentType] = "text/event-stream"
            return Response(status: .ok, headers: headers, body: ResponseBody(asyncSequence: screens.map { ByteBuffer(string: Self.event($0)) }))
        }
        router.post("/kiosk/:action") { request, context in
            let action = context.parameters.get("action") ?? ""
            var request = request
            let body = try await request.collectBody(upTo: 4096)
            let form = (try? URLEncodedFormDecoder().decode(Touch.self, from: String(buffer: body))) ?? Touch()
            do throws(KioskSession.Refusal) {
                try await kiosk.touch(action, step: form.step ?? "", pin: form.pin, language: form.language)
                return Response(status: .noContent, headers: .private)
            } catch {
                return Response.text(error.description, status: .conflict)
            }
        }
    }

    /// A form post from the page.
    struct Touch: Decodable {
        var step: String?
        var pin: String?
        var language: String?
    }

    /// One Server-Sent Event named `screen` whose data is the screen's HTML (one `data:` line per line).
    static func event(_ html: String) -> String {
        "event: screen\n" + html.split(separator: "\n", omittingEmptySubsequences: false).map { "data: \($0)\n" }.joined() + "\n"
    }
}

extension HTTPFields {
    /// Nothing the screens send is kept by the browser or shown to another page: personal data stays on screen only.
    static var `private`: HTTPFields {
        [.cacheControl: "no-store", HTTPField.Name("Referrer-Policy")!: "no-referrer", HTTPField.Name("X-Content-Type-Options")!: "nosniff",
         HTTPField.Name("Content-Security-Policy")!: "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'"]
    }
}

extension Response {
    static func html(_ text: String) -> Response {
        var headers = HTTPFields.private
        headers[.contentType] = "text/html; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func text(_ sentence: String, status: HTTPResponse.Status) -> Response {
        var headers = HTTPFields.private
        headers[.contentType] = "text/plain; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: sentence + "\n")))
    }
}
