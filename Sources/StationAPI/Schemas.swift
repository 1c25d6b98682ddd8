import Foundation
import ISO7816
import PermitVocabulary
import Registry
import Station
import StationAPIModel

/// The station's values as the API document's schemas. Enumerations map by their raw values, which
/// the document spells as the station does.
extension APIHandler {
    static func schema(_ service: ReaderService) -> Components.Schemas.ReaderService {
        Components.Schemas.ReaderService(rawValue: service.rawValue)!
    }

    static func schema(_ status: PermitStatus) -> Components.Schemas.PermitStatus {
        Components.Schemas.PermitStatus(rawValue: status.rawValue)!
    }

    static func schema(_ reader: ReaderState) -> Components.Schemas.Reader {
        .init(name: reader.name, card: reader.hasCard, atr: reader.atr?.hexString, since: reader.since)
    }

    static func schema(_ run: SweepRun) -> Components.Schemas.SweepRun {
        .init(
            through: run.throughOn.description, startedAt: instant(run.startedAt), finishedAt: run.finishedAt.map(instant),
            trigger: .init(rawValue: run.trigger.rawValue)!, outcome: .init(rawValue: run.outcome.rawValue)!, message: run.message,
            transitions: run.transitions, permits: run.permits, suspensions: run.suspensions, cancellationsDue: run.cancellationsDue,
            windowsOpened: run.windowsOpened, pointsLapses: run.pointsLapses)
    }

    static func schema(_ event: StationEvent) -> Components.Schemas.StationEvent {
        .init(sequence: event.sequence, at: event.at, kind: .init(rawValue: event.kind.rawValue)!, reader: event.reader,
              act: event.act.map { .init(operation: $0.operation, act: $0.act, step: $0.step, card: $0.card, outcome: $0.outcome) },
              atr: event.atr?.hexString, sweep: event.sweep.map(schema), message: event.message)
    }

    /// The registry's `recorded_at` text (ISO 8601) as an instant.
    static func instant(_ text: String) -> Date {
        ISO8601DateFormatter().date(from: text) ?? Date(timeIntervalSince1970: 0)
    }
}
