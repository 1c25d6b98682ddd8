import Foundation
import OpenAPIRuntime
import Station
import StationAPIModel

/// The /events body: Server-Sent Events (encoded by OpenAPIRuntime), starting with the readers and cards
/// present now, then each event as it is published, with a comment line every `keepAlive` so proxies and
/// clients keep the connection open. It ends when the daemon stops or the client goes away.
enum EventStream {
    static func body(events: StationEvents, keepAlive: Duration, now: @escaping @Sendable () -> Date) async -> HTTPBody {
        let (present, live) = await events.subscribe()
        let at = now()
        let snapshot = present.flatMap { reader -> [Components.Schemas.StationEvent] in
            [.init(sequence: 0, at: at, kind: .readerAdded, reader: reader.name)]
                + (reader.atr.map { [.init(sequence: 0, at: at, kind: .cardInserted, reader: reader.name, atr: $0.hexString)] } ?? [])
        }
        let messages = AsyncStream<ServerSentEventWithJSONData<Components.Schemas.StationEvent>> { continuation in
            let forward = Task {
                for event in snapshot { continuation.yield(.init(event: event.kind.rawValue, data: event, id: "0")) }
                for await event in live {
                    let data = APIHandler.schema(event)
                    continuation.yield(.init(event: data.kind.rawValue, data: data, id: String(event.sequence)))
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in forward.cancel() }
        }
        let (bytes, output) = AsyncStream<ArraySlice<UInt8>>.makeStream()
        let encoder = Task {
            do {
                for try await chunk in messages.asEncodedServerSentEventsWithJSONData() { output.yield(chunk) }
            } catch {}
            output.finish()
        }
        let pinger = Task {
            while true {
                try await Task.sleep(for: keepAlive)
                output.yield(ArraySlice(": keep-alive\n\n".utf8))
            }
        }
        output.onTermination = { _ in
            encoder.cancel()
            pinger.cancel()
        }
        return HTTPBody(bytes, length: .unknown, iterationBehavior: .single)
    }
}
