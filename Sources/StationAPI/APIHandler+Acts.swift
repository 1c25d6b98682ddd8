import Foundation
import OpenAPIRuntime
import PermitCard
import PermitVocabulary
import Registry
import Station
import StationAPIModel

/// The card acts of the API document: each runs in its reader through the station's `CardService` (the
/// intent journal, the event stream, the metrics); refusals become problem documents.
extension APIHandler {
    /// Who asks: the request's token.
    var agent: Agent {
        let record = RequestRecord.current
        return Agent(name: record?.actor ?? "-", role: record?.role)
    }

    func requireCards() throws -> CardService {
        guard let cards else {
            throw APIProblem.unavailable("This station holds no card keys (cards.keys in its permitd.yaml), so it makes no card act; configure its token (docs/STATION.md, \"Card acts\").")
        }
        return cards
    }

    func acceptApplication(_ input: Operations.AcceptApplication.Input) async throws -> Operations.AcceptApplication.Output {
        guard case .json(let body) = input.body else { throw APIProblem.malformed("Send the body as application/json.") }
        let cards = try requireCards()
        guard let photo = Data(base64Encoded: body.photo) else {
            throw APIProblem.unprocessable("photo: is not base64; send the JPEG or PNG file's bytes in base64.")
        }
        let form = ApplicationForm(
            profile: body.profile, name: body.name, latinName: body.latinName, sex: body.sex.rawValue, citizenID: body.citizenID,
            ethnicGroup: body.ethnicGroup, householdAddress: body.householdAddress, address: try Self.address(body.address, field: "address"),
            grounds: EligibilityGrounds(rawValue: body.grounds.rawValue)!, documents: body.documents,
            talentException: body.talentException ?? false, workplace: body.workplace, photo: photo)
        let application = try await Self.answer { () throws(StationActError) in try await cards.acts.accept(form, agent: agent) }
        let digest = try runtime.registry.cardData(application: application.id ?? 0)?.photoSha256
        return .created(.init(body: .json(.init(
            application: application.id ?? 0, profile: application.profile, acceptedOn: application.acceptedOn.description,
            deadline: application.deadlineOn.description, photoSha256: digest.map { [UInt8]($0).hexString.lowercased() } ?? ""))))
    }

    func getCard(_ input: Operations.GetCard.Input) async throws -> Operations.GetCard.Output {
        let cards = try requireCards()
        let presented = try await Self.answer { () throws(StationActError) in try await cards.verify(in: input.path.reader) }
        RequestRecord.current?.card(presented.serial)
        return .ok(.init(body: .json(Self.view(presented, for: agent.role))))
    }

    func issueCard(_ input: Operations.IssueCard.Input) async throws -> Operations.IssueCard.Output {
        guard case .json(let body) = input.body else { throw APIProblem.malformed("Send the body as application/json.") }
        let agent = agent
        return .ok(try await act("issue", in: input.path.reader) { acts, card, progress throws(StationActError) in
            try await acts.issue(application: body.application, on: card, pin: body.pin, agent: agent, progress: progress)
        })
    }

    func endorseCard(_ input: Operations.EndorseCard.Input) async throws -> Operations.EndorseCard.Output {
        guard case .json(let body) = input.body else { throw APIProblem.malformed("Send the body as application/json.") }
        let agent = agent
        return .ok(try await act("endorse", in: input.path.reader) { acts, card, progress throws(StationActError) in
            try await acts.endorse(card, pin: body.pin, agent: agent, progress: progress)
        })
    }

    func changeAddress(_ input: Operations.ChangeAddress.Input) async throws -> Operations.ChangeAddress.Output {
        guard case .json(let body) = input.body else { throw APIProblem.malformed("Send the body as application/json.") }
        let address = try Self.address(body.address, field: "address")
        let agent = agent
        return .ok(try await act("changeAddress", in: input.path.reader) { acts, card, progress throws(StationActError) in
            try await acts.changeAddress(card, to: address, agent: agent, progress: progress)
        })
    }

    func suspendPermit(_ input: Operations.SuspendPermit.Input) async throws -> Operations.SuspendPermit.Output {
        let agent = agent
        return .ok(try await act("suspend", in: input.path.reader) { acts, card, progress throws(StationActError) in
            try await acts.suspend(card, agent: agent, progress: progress)
        })
    }

    func restorePermit(_ input: Operations.RestorePermit.Input) async throws -> Operations.RestorePermit.Output {
        let agent = agent
        return .ok(try await act("restore", in: input.path.reader) { acts, card, progress throws(StationActError) in
            try await acts.restore(card, agent: agent, progress: progress)
        })
    }

    func cancelPermit(_ input: Operations.CancelPermit.Input) async throws -> Operations.CancelPermit.Output {
        guard case .json(let body) = input.body else { throw APIProblem.malformed("Send the body as application/json.") }
        let reason = CancellationReason(rawValue: body.reason.rawValue)!
        let agent = agent
        return .ok(try await act("cancel", in: input.path.reader) { acts, card, progress throws(StationActError) in
            try await acts.cancel(card, reason: reason, decidedBy: body.decidedBy, note: body.note ?? "", agent: agent, progress: progress)
        })
    }

    func replaceCard(_ input: Operations.ReplaceCard.Input) async throws -> Operations.ReplaceCard.Output {
        guard case .json(let body) = input.body else { throw APIProblem.malformed("Send the body as application/json.") }
        let cards = try requireCards()
        let cause = ReplacementReason(rawValue: body.cause.rawValue)!
        let agent = agent
        let oldReader = body.oldReader
        return .ok(try await act("replace", in: input.path.reader) { acts, card, progress throws(StationActError) in
            guard let oldReader else {
                return try await acts.replace(permit: body.permit, on: card, old: nil, cause: cause, pin: body.pin, agent: agent, progress: progress)
            }
            return try await cards.withSecondCard(in: oldReader, for: agent) { old throws(StationActError) in
                try await acts.replace(permit: body.permit, on: card, old: old, cause: cause, pin: body.pin, agent: agent, progress: progress)
            }
        })
    }

    func listIntents(_ input: Operations.ListIntents.Input) async throws -> Operations.ListIntents.Output {
        let registry = runtime.registry
        let pending = try registry.pendingIntents()
        let counts = try registry.intentCounts()
        return .ok(.init(body: .json(.init(
            pending: pending.map {
                .init(id: $0.id ?? 0, card: $0.cardSerial, permit: $0.permitId, application: $0.applicationId, act: $0.act,
                      openedOn: $0.openedOn.description, openedAt: $0.openedAt, actor: $0.actor)
            },
            applied: counts[.applied] ?? 0, redone: counts[.redone] ?? 0, abandoned: counts[.abandoned] ?? 0))))
    }

    /// Runs a card act in `reader` and answers with its result (the card's serial noted for the audit log).
    private func act(_ name: String, in reader: String,
                     _ body: @escaping @Sendable (StationActs, PermitCard, @escaping StationActs.Progress) async throws(StationActError) -> StationActs.Outcome)
        async throws -> Components.Responses.Act {
        let cards = try requireCards()
        let agent = agent
        let outcome = try await Self.answer { () throws(StationActError) in try await cards.perform(name, in: reader, agent: agent, body) }
        RequestRecord.current?.card(outcome.serial)
        return .init(body: .json(Self.result(outcome, for: agent.role)))
    }

    /// The act's value, or its refusal as the problem document of its kind.
    static func answer<T>(_ body: () async throws(StationActError) -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            switch error.kind {
            case .notFound: throw APIProblem.notFound(error.description)
            case .conflict: throw APIProblem.conflict(error.description)
            case .unprocessable: throw APIProblem.unprocessable(error.description)
            case .forbidden: throw APIProblem.forbidden(error.description)
            case .unavailable: throw APIProblem.unavailable(error.description)
            }
        }
    }

    /// An address of the document as the card takes it; a bad district or date is a 422 naming the field.
    static func address(_ body: Components.Schemas.Address, field: String) throws -> ResidenceAddress {
        guard let district = DigitCode.district(body.district) else {
            throw APIProblem.unprocessable("\(field).district: \"\(body.district)\" is not a 6-digit district code (GB/T 2260).")
        }
        return ResidenceAddress(district: district, text: body.text, since: try date(body.since, field: "\(field).since"))
    }
}
