import Foundation
import PermitVocabulary
import OpenAPIRuntime
import Prometheus
import Registry
import Station
import StationAPIModel

/// The operations of the API document, each answered from the station's parts. Roles are checked
/// before any of these runs (`Authorization`); errors are `APIProblem`s.
struct APIHandler: APIProtocol {
    let runtime: StationRuntime
    let sweep: DailySweep
    let metrics: PrometheusCollectorRegistry
    /// The card acts; nil when the station holds no card keys (`cards.keys`).
    let cards: CardService?

    func getStatus(_ input: Operations.GetStatus.Input) async throws -> Operations.GetStatus.Output {
        let registry = runtime.registry
        let configuration = runtime.configuration
        let readers = await runtime.events.readers
        let audit = try registry.auditHead()
        let sweepState = Components.Schemas.SweepState(
            at: configuration.sweep.at.description, nextAt: sweep.nextScheduled(), running: await sweep.isRunning,
            last: try registry.lastSweepRun().map(Self.schema))
        return .ok(.init(body: .json(.init(
            station: configuration.station, version: runtime.version, startedAt: runtime.startedAt,
            today: runtime.calendar.today.description, timeZone: configuration.timeZone,
            readerService: Self.schema(await runtime.events.readerService), readers: readers.count,
            cardsPresent: readers.filter(\.hasCard).count,
            registry: .init(path: registry.path, schema: try registry.appliedMigrations()),
            sweep: sweepState, audit: .init(entries: audit.entries, head: audit.head?.hash)))))
    }

    func listReaders(_ input: Operations.ListReaders.Input) async throws -> Operations.ListReaders.Output {
        let readers = await runtime.events.readers
        return .ok(.init(body: .json(.init(readerService: Self.schema(await runtime.events.readerService), readers: readers.map(Self.schema)))))
    }

    func getReader(_ input: Operations.GetReader.Input) async throws -> Operations.GetReader.Output {
        let readers = await runtime.events.readers
        guard let reader = readers.first(where: { $0.name == input.path.reader }) else {
            let known = readers.map { "\"\($0.name)\"" }.joined(separator: ", ")
            throw APIProblem.notFound("No reader named \"\(input.path.reader)\"; the readers are \(known.isEmpty ? "none (is a reader plugged in?)" : known).")
        }
        return .ok(.init(body: .json(Self.schema(reader))))
    }

    func streamEvents(_ input: Operations.StreamEvents.Input) async throws -> Operations.StreamEvents.Output {
        let body = await EventStream.body(events: runtime.events, keepAlive: .seconds(runtime.configuration.api.keepAliveSeconds), now: { runtime.calendar.instant })
        return .ok(.init(body: .textEventStream(body)))
    }

    func listDue(_ input: Operations.ListDue.Input) async throws -> Operations.ListDue.Output {
        let day = try input.query.on.map { try Self.date($0, field: "on") } ?? runtime.calendar.today
        let limit = input.query.limit ?? 50
        guard (1...1000).contains(limit) else { throw APIProblem.unprocessable("limit: \(limit) is out of range; ask for 1 to 1000 entries.") }
        let registry = runtime.registry
        let due = try registry.due(through: day, limit: limit)
        let late = try registry.lateApplications(on: day, limit: limit)
        return .ok(.init(body: .json(.init(
            on: day.description, count: due.count,
            transitions: due.first.map {
                .init(permit: $0.permitId, idNumber: $0.idNumber, status: Self.schema($0.status), on: $0.on.description, to: Self.schema($0.to))
            },
            lateApplications: late.map { .init(application: $0.id!, acceptedOn: $0.acceptedOn.description, deadline: $0.deadlineOn.description) }))))
    }

    func runSweep(_ input: Operations.RunSweep.Input) async throws -> Operations.RunSweep.Output {
        guard case .json(let request) = input.body else { throw APIProblem.malformed("Send the body as application/json.") }
        let day = try request.through.map { try Self.date($0, field: "through") } ?? runtime.calendar.today
        let actor = RequestRecord.current?.actor ?? "officer"
        do {
            let run = try await sweep.sweep(through: day, trigger: .officer, actor: actor)
            if run.outcome == .failed { throw APIProblem.unavailable("The sweep through \(day) failed: \(run.message ?? "see the log"). Every batch before the failure is kept.") }
            return .ok(.init(body: .json(Self.schema(run))))
        } catch DailySweep.Refusal.busy(let trigger) {
            throw APIProblem.conflict("A sweep (\(trigger.rawValue)) is running now; ask again when it has finished (GET /status shows it).")
        } catch DailySweep.Refusal.future(let day, let today) {
            throw APIProblem.unprocessable("through: \(day) is after today (\(today)); a sweep never applies a day that has not come.")
        }
    }

    func getMetrics(_ input: Operations.GetMetrics.Input) async throws -> Operations.GetMetrics.Output {
        var buffer: [UInt8] = []
        metrics.emit(into: &buffer)
        return .ok(.init(body: .plainText(HTTPBody(buffer))))
    }

    /// A `YYYY-MM-DD` value, or a 422 naming the field.
    static func date(_ text: String, field: String) throws -> CalendarDate {
        guard let date = CalendarDate(iso: text) else {
            throw APIProblem.unprocessable("\(field): \"\(text)\" is not a calendar date; write it as YYYY-MM-DD (for example 2026-06-01).")
        }
        return date
    }
}
