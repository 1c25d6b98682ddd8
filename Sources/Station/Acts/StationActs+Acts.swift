import ApplicationData
import CardProfiles
import CardSecurity
import Foundation
import Lifecycle
import PermitCard
import Registry

extension StationActs {
    // MARK: Accepting an application

    /// Records an accepted application with its holder's particulars and photo (kept here with its SHA-256,
    /// which the card will carry). Checked as the card will check it before anything is written.
    public func accept(_ form: ApplicationForm, agent: Agent) async throws(StationActError) -> Application {
        guard let profile = profiles[form.profile] else {
            throw StationActError(.notFound, "No card profile \"\(form.profile)\" is loaded (loaded: \(profiles.keys.sorted().joined(separator: ", "))); nothing was recorded.")
        }
        let today = profile.calendar(clock: clock).today
        let photoType: String
        do throws(FieldProblem) {
            photoType = try ApplicationForm.photoType(form.photo)
            _ = try form.holder(authority: authority, station: station, permitNumber: "0", photoDigest: nil)
            try form.address.check()
            guard form.address.since <= today else {
                throw FieldProblem("address.since", "\(form.address.since) is after today (\(today)); give the day the holder registered at this address.")
            }
        } catch {
            throw StationActError(.unprocessable, "The application's \(error) Nothing was recorded.")
        }
        let new = NewApplication(
            idNumber: form.citizenID.uppercased(), name: form.name, profile: form.profile, acceptedOn: today, grounds: form.grounds,
            documents: form.documents, address: form.address.text, residenceRegisteredOn: form.address.since,
            talentException: form.talentException, workplace: form.workplace)
        let data = ApplicationCardData(sex: form.sex, latinName: form.latinName, ethnicGroup: form.ethnicGroup, householdAddress: form.householdAddress,
                                       district: form.address.district.digits, photo: form.photo, photoType: photoType)
        let audit = agent.audit("acceptApplication", card: nil, outcome: "accepted")
        return try await inRegistry { registry throws(RegistryError) in
            try registry.record(audit: audit) { () throws(RegistryError) in try registry.accept(new, cardData: data, actor: agent.name) }
        }
    }

    // MARK: Issuing

    /// Personalises and finalises the blank (or interrupted) card for accepted application `application`:
    /// holder, address and dates from the registry, the photo's digest too. Recorded as the permit's issue.
    public func issue(application: Int64, on card: PermitCard, pin: String?, agent: Agent,
                      progress: @escaping Progress = { _ in }) async throws(StationActError) -> Outcome {
        let started = ContinuousClock.now
        let (card, timer) = prepared(card)
        if card.profile.policy.cardPersonalisation == .centralOffice && !centralOffice {
            throw StationActError(.forbidden, "In the \(card.profile.name) region cards are personalised by the central office (分散受理、集中制证); this station accepts, endorses and changes addresses but cannot issue a card. Send application \(application) to the central office; nothing was written.")
        }
        await progress(.reading)
        var presented = try await readBlank(card)
        presented = try await settlePending(on: card, presented: presented, agent: agent, progress: progress).presentation
        guard !presented.reading.isComplete else {
            throw StationActError(.conflict, "Card \(presented.serial) is already issued; put a blank card in the reader. Nothing was written.")
        }
        let (found, data) = try await inRegistry { registry throws(RegistryError) in
            (try registry.application(id: application), try registry.cardData(application: application))
        }
        guard let (record, holder) = found else { throw .registry(.unknownApplication(application)) }
        guard record.profile == card.profile.name else {
            throw StationActError(.unprocessable, "Application \(application) is for a \(record.profile) permit, and the card in the reader is a \(card.profile.name) card; put a \(record.profile) card in. Nothing was written.")
        }
        guard let data else {
            throw StationActError(.unprocessable, "Application \(application) was taken without the holder's particulars and photo (an import); accept it at the desk again (`permit accept`) to issue its card. Nothing was written.")
        }
        let today = card.calendar.today
        let request: IssueRequest
        do throws(FieldProblem) {
            request = try Self.issueRequest(application: record, holder: holder, data: data, profile: card.profile, authority: authority,
                                            station: station, issued: today, serial: presented.reading.serial)
        } catch { throw StationActError(.unprocessable, "Application \(application): \(error) Nothing was written.") }
        let before = presented.snapshot
        let (intent, summary, after) = try await journaled(.issue(application: application, request: request, pinGiven: pin != nil), on: card,
                                                           before: before, pin: pin, agent: agent, progress: progress)
        return Outcome(act: "issue", serial: after.serial, permit: after.registered?.permit.id, intent: intent.id, summary: summary,
                       presentation: after, cardTime: timer.cardTime, totalTime: ContinuousClock.now - started)
    }

    /// A blank or unfinished card's reading (its FCI only; it has no keys for the rest yet), as a presentation.
    func readBlank(_ card: PermitCard) async throws(StationActError) -> Presentation {
        try await present(card)
    }

    /// What the card of an application carries: the holder from the registry and the particulars kept with
    /// the application, the permit number (region, year, application), the address and its registration day.
    static func issueRequest(application: Application, holder: Holder, data: ApplicationCardData, profile: CardProfile, authority: String,
                             station: DigitCode, issued: CalendarDate, serial: CardSerial) throws(FieldProblem) -> IssueRequest {
        let id: CitizenID
        do throws(CitizenID.Problem) { id = try CitizenID(holder.idNumber) } catch { throw FieldProblem("holder.citizenID", error.description) }
        guard let district = DigitCode.district(data.district) else {
            throw FieldProblem("address.district", "\"\(data.district)\" is not a 6-digit district code.")
        }
        let identity = HolderIdentity(
            name: holder.name, latinName: data.latinName, sex: data.sex, birthDate: id.birthDate, ethnicGroup: data.ethnicGroup, citizenID: id,
            householdAddress: data.householdAddress, permitNumber: permitNumber(application: application, profile: profile, issued: issued),
            issuingAuthority: authority, authorityStation: station, photoDigest: [UInt8](data.photoSha256))
        let address = ResidenceAddress(district: district, text: application.address, since: application.residenceRegisteredOn ?? application.acceptedOn)
        return IssueRequest(holder: identity, address: address, issued: issued, cardSerial: serial)
    }

    /// The permit number printed and written on the card: the region code, the year of issue and the
    /// application number (six digits or more), e.g. 3301022026000017.
    static func permitNumber(application: Application, profile: CardProfile, issued: CalendarDate) -> String {
        let number = String(application.id ?? 0)
        return profile.regionCode + String(issued.year) + String(repeating: "0", count: max(0, 6 - number.count)) + number
    }

    // MARK: Endorsing and changing the address

    /// Endorses the permit on the card (签注): the registry's rules and the card's must agree on the class; a
    /// kiosk needs the holder's PIN where the profile asks for it.
    public func endorse(_ card: PermitCard, pin: String?, agent: Agent, progress: @escaping Progress = { _ in }) async throws(StationActError) -> Outcome {
        try await act(on: card, agent: agent, progress: progress, operation: "endorse the permit") { presented, registered throws(StationActError) in
            let permit = registered.permit
            let policy = presented.profile.policy
            let byCard = (try? presented.reading.permitState(policy: policy))?.classifyEndorsement(on: presented.today, policy: policy)
            let byRegistry = permit.state.classifyEndorsement(on: presented.today, policy: policy)
            if let byCard, let cardClass = byCard.endorsementClass, let registryClass = byRegistry.endorsementClass, cardClass != registryClass {
                throw StationActError(.conflict, "The card and the registry class this endorsement differently (card: \(cardClass.rawValue), registry: \(registryClass.rawValue)): their dates are not in step; nothing was written. Read the card (`permit verify`).")
            }
            return (.endorse(permit: permit.id ?? 0, pinGiven: pin != nil), pin)
        }
    }

    /// Writes the holder's new residence address to the card and records the change (moved on `address.since`,
    /// reported today; flagged late past the region's deadline).
    public func changeAddress(_ card: PermitCard, to address: ResidenceAddress, agent: Agent,
                              progress: @escaping Progress = { _ in }) async throws(StationActError) -> Outcome {
        try await act(on: card, agent: agent, progress: progress, operation: "change the address") { _, registered throws(StationActError) in
            (.changeAddress(permit: registered.permit.id ?? 0, address: address), nil)
        }
    }

    // MARK: Status

    /// Writes the suspension the registry holds (a permit not endorsed by its expiry) to the card. The seeds
    /// know no suspension by an officer's order, so a permit the registry holds in force is not suspended.
    public func suspend(_ card: PermitCard, agent: Agent, progress: @escaping Progress = { _ in }) async throws(StationActError) -> Outcome {
        try await act(on: card, agent: agent, progress: progress, operation: "suspend the permit") { presented, registered throws(StationActError) in
            let status = registered.permit.status
            guard status == .suspended || status == .cancellationDue else {
                throw StationActError(.unprocessable, "The registry holds permit \(registered.permit.id ?? 0) as \(status): a permit is suspended only when it was not endorsed by its expiry (docs/RULES.md); nothing was written.")
            }
            guard presented.reading.recordedInForce else {
                throw StationActError(.unprocessable, "Card \(presented.serial) already shows the permit \(presented.recordedSummary); nothing was written.")
            }
            return (.status(permit: registered.permit.id ?? 0, .suspension), nil)
        }
    }

    /// Writes to a card that shows the permit suspended that the registry holds it in force again.
    public func restore(_ card: PermitCard, agent: Agent, progress: @escaping Progress = { _ in }) async throws(StationActError) -> Outcome {
        try await act(on: card, agent: agent, progress: progress, operation: "restore the permit") { presented, registered throws(StationActError) in
            let status = registered.permit.status
            guard status.isInForce else {
                throw StationActError(.unprocessable, "The registry holds permit \(registered.permit.id ?? 0) as \(status), not in force: a suspended permit is restored by a late endorsement (`permit endorse`); nothing was written.")
            }
            guard presented.reading.recordedStatus == .suspended else {
                throw StationActError(.unprocessable, "Card \(presented.serial) shows the permit \(presented.recordedSummary), not suspended; nothing was written.")
            }
            return (.status(permit: registered.permit.id ?? 0, .restoration), nil)
        }
    }

    /// Cancels the permit (注销) on an officer's determination: written to the card and recorded with its reason
    /// and who decided. A cancellation the registry already holds is written to the card as it is.
    public func cancel(_ card: PermitCard, reason: CancellationReason, decidedBy: String, note: String = "", agent: Agent,
                       progress: @escaping Progress = { _ in }) async throws(StationActError) -> Outcome {
        try await act(on: card, agent: agent, progress: progress, operation: "cancel the permit") { presented, registered throws(StationActError) in
            let permit = registered.permit
            guard presented.reading.recordedStatus?.isFinal != true else {
                throw StationActError(.unprocessable, "Card \(presented.serial) already shows the permit \(presented.recordedSummary); nothing was written.")
            }
            if permit.status == .cancelled, let recorded = permit.cancelReason {
                return (.status(permit: permit.id ?? 0, .cancellation(recorded)), nil)
            }
            return (.status(permit: permit.id ?? 0, .cancel(reason, decidedBy: decidedBy, note: note)), nil)
        }
    }

    /// The common course of an act on an issued card: read and verify it, settle its pending intent, require it
    /// in step with the registry, let `decide` choose the write (or refuse), and make it through the journal.
    func act(on card: PermitCard, agent: Agent, progress: @escaping Progress, operation: String,
             decide: (Presentation, CardLookup) throws(StationActError) -> (CardWrite, String?)) async throws(StationActError) -> Outcome {
        let started = ContinuousClock.now
        let (card, timer) = prepared(card)
        await progress(.reading)
        var presented = try await present(card)
        presented = try await settlePending(on: card, presented: presented, agent: agent, progress: progress).presentation
        let registered = try requireInStep(presented, for: operation)
        let (write, pin) = try decide(presented, registered)
        let (intent, summary, after) = try await journaled(write, on: card, before: presented.snapshot, pin: pin, agent: agent, progress: progress)
        return Outcome(act: write.act, serial: after.serial, permit: write.permit, intent: intent.id, summary: summary, presentation: after,
                       cardTime: timer.cardTime, totalTime: ContinuousClock.now - started)
    }
}

extension CardReading {
    /// The status the newest EF.STATUS record gives, after a late endorsement lifting an overdue suspension.
    var recordedStatus: RecordedStatus? { (try? status())?.recorded }
    var recordedInForce: Bool { recordedStatus == .inForce }
}

extension Presentation {
    var recordedSummary: String { (try? reading.status())?.summary ?? "with no status" }
}

extension StationActs {
    // MARK: Replacing a card

    /// Issues a new card for a permit whose card is lost or damaged (补领/换领), from the registry (the holder,
    /// the current address, the permit's dates), then voids the old card if it is in a reader too. The new
    /// card is complete before the old one is voided; a lost card goes on the status list.
    public func replace(permit id: Int64, on newCard: PermitCard, old oldCard: PermitCard?, cause: ReplacementReason, pin: String?, agent: Agent,
                        progress: @escaping Progress = { _ in }) async throws(StationActError) -> Outcome {
        let started = ContinuousClock.now
        let (card, timer) = prepared(newCard)
        await progress(.reading)
        var presented = try await present(card)
        presented = try await settlePending(on: card, presented: presented, agent: agent, progress: progress).presentation
        guard !presented.reading.isComplete else {
            throw StationActError(.conflict, "Card \(presented.serial) is already issued; put a blank card in the reader for the new card. Nothing was written.")
        }
        let details = try await inRegistry { registry throws(RegistryError) in try registry.details(permit: id) }
        guard details.permit.status != .cancelled else { throw .registry(.permitCancelled(id)) }
        guard let current = details.cards.last(where: { $0.replacedOn == nil }) else { throw .registry(.unknownPermit(id)) }
        var old: (card: PermitCard, presented: Presentation)?
        if let oldCard {
            let prepared = prepared(oldCard).0
            let oldPresented = try await present(prepared)
            guard oldPresented.serial == current.serial else {
                throw StationActError(.conflict, "The card named as the old one is \(oldPresented.serial), but permit \(id)'s card is \(current.serial); nothing was written.")
            }
            _ = try requireInStep(oldPresented, for: "be replaced")
            old = (prepared, oldPresented)
        }
        let request = try await replacementRequest(details, old: old?.presented, serial: presented.reading.serial, card: card)
        let (intent, summary, after) = try await journaled(.replacement(permit: id, request: request, cause: cause, pinGiven: pin != nil), on: card,
                                                           before: presented.snapshot, pin: pin, agent: agent, progress: progress)
        var sentences = [summary]
        if let old {
            let voided = try await journaled(.status(permit: id, .void(cause)), on: old.card, before: old.presented.snapshot, pin: nil, agent: agent,
                                             progress: progress)
            sentences.append("old card \(old.presented.serial): \(voided.summary)")
        } else {
            sentences.append("old card \(current.serial) not presented: it is voided when it is next presented, and listed on the status list")
        }
        return Outcome(act: "replace", serial: after.serial, permit: id, intent: intent.id, summary: sentences.joined(separator: "; "),
                       presentation: after, cardTime: timer.cardTime, totalTime: ContinuousClock.now - started)
    }

    /// The new card's contents: from the registry when the permit's application kept its particulars, else from
    /// the old card in the reader.
    func replacementRequest(_ details: PermitDetails, old: Presentation?, serial: CardSerial, card: PermitCard) async throws(StationActError) -> IssueRequest {
        let profile = card.profile
        let permit = details.permit
        let application = details.application
        let (data, district) = try await inRegistry { registry throws(RegistryError) in
            (try registry.cardData(application: application.id ?? 0), try registry.currentDistrict(permit: permit.id ?? 0))
        }
        if let data, let district {
            var filled = data
            filled.district = district
            do throws(FieldProblem) {
                var request = try Self.issueRequest(application: application, holder: details.holder, data: filled, profile: profile, authority: authority,
                                                    station: station, issued: permit.issuedOn, serial: serial)
                let moved = details.addressChanges.last { $0.kind == .residence }
                request.address.text = permit.address
                request.address.since = moved?.movedOn ?? request.address.since
                request.replacement = .init(replaces: try Self.serial(details.cards.last { $0.replacedOn == nil }?.serial),
                                            anchor: permit.residenceSinceOn, expiry: permit.expiryOn)
                return request
            } catch {
                throw StationActError(.unprocessable, "Permit \(permit.id ?? 0): \(error) Nothing was written.")
            }
        }
        guard let old else {
            throw StationActError(.unprocessable, "Permit \(permit.id ?? 0) was recorded without the holder's particulars or the address's district (an import): put the old card in a reader too (`--old-reader`), or accept the holder's application again. Nothing was written.")
        }
        do throws(PermitCardError) {
            var request = try card.replacementRequest(from: old.reading)
            request.cardSerial = serial
            return request
        } catch { throw .card(error) }
    }

    static func serial(_ text: String?) throws(FieldProblem) -> CardSerial {
        guard let text, let serial = try? CardSerial(hex: text) else { throw FieldProblem("card serial", "\"\(text ?? "")\" is not 16 hex digits.") }
        return serial
    }
}
