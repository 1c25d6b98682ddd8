import ISO7816
import CardProfiles
import CardSecurity
import Foundation
import Lifecycle

/// Offline verification of a card reading (CARD-SPEC §10.2): pure, given the reading, the profile,
/// what the verifier trusts and one reading of the station calendar (the moment of verification).
struct Verifier {
    let profile: CardProfile
    let trust: TrustStore
    let statusList: SignedStatusList?
    /// The oldest status list accepted, in days after its day of issue.
    let maxAgeDays: Int
    let calendar: StationCalendar
    /// The instant certificates are checked at, and the same instant as the station's date.
    let moment: Date
    let today: CalendarDate
    /// The carried status list once its signature verified: its revoked certificates apply to every signature.
    private(set) var revocations: StatusList?

    init(profile: CardProfile, terminal: PermitTerminal, calendar: StationCalendar) {
        self.profile = profile
        trust = terminal.trust
        statusList = terminal.statusList
        maxAgeDays = terminal.statusListMaxAgeDays ?? profile.statusListMaxAgeDays
        self.calendar = calendar
        (moment, today) = calendar.now()
    }

    /// Takes the status list's revoked certificates into account, provided the list's own signature verifies.
    mutating func loadRevocations() async {
        guard let statusList, await statusList.verifySignature(trust: trust, at: moment).isPassed else { return }
        revocations = statusList.content
    }

    func verify(_ reading: CardReading) async -> VerificationReport {
        let serial = reading.serial
        var verdicts: [(VerificationReport.Check, Verdict)] = [(.product, productVerdict(reading))]
        guard reading.isComplete else {
            let reason = "the card's personalisation was never finalised (life cycle 03): it is not a permit card"
            verdicts.append((.complete, .failed(reason: reason)))
            for check in VerificationReport.Check.allCases.dropFirst(2) {
                verdicts.append((check, .failed(reason: "not checked: the card is incomplete")))
            }
            return VerificationReport(serial: serial, verdicts: verdicts, statusList: freshness)
        }
        verdicts.append((.complete, .passed))
        if let failure = reading.chipFailure {
            // Nothing was read from a chip that did not authenticate: every other check fails with it.
            verdicts.append((.authoritySignature, .failed(reason: "not checked: the chip did not authenticate")))
            verdicts.append((.dataIntegrity, .failed(reason: "not checked: the chip did not authenticate")))
            verdicts.append((.chipAuthentication, .failed(reason: failure)))
            for check in VerificationReport.Check.allCases.drop(while: { $0 != .chipAuthentication }).dropFirst() {
                verdicts.append((check, .failed(reason: "not checked: the chip did not authenticate")))
            }
            return VerificationReport(serial: serial, verdicts: verdicts, statusList: freshness)
        }
        let sod = Result { () throws(CardDataError) in try reading.securityObject() }
        verdicts.append((.authoritySignature, await authorityVerdict(sod)))
        verdicts.append((.dataIntegrity, integrityVerdict(reading, sod)))
        verdicts.append((.chipAuthentication, chipVerdict(reading, sod)))
        verdicts.append((.residence, await residenceVerdict(reading, serial)))
        verdicts.append((.endorsements, await endorsementsVerdict(reading, serial)))
        verdicts.append((.status, await statusVerdict(reading, serial)))
        verdicts.append((.dates, datesVerdict(reading)))
        verdicts.append((.statusList, await statusListVerdict(reading)))
        return VerificationReport(serial: serial, verdicts: verdicts, statusList: freshness)
    }

    private func productVerdict(_ reading: CardReading) -> Verdict {
        guard profile.card.matchesATR(reading.atr) else { return .failed(reason: "ATR \(reading.atr.hexString) is not the \(profile.name) product's") }
        guard let info = try? reading.cardInfo(), let personal = info.personalisation else { return .passed }
        guard personal.profileName == profile.name else {
            return .failed(reason: "EF.CARD names profile \(personal.profileName), not \(profile.name)")
        }
        return .passed
    }

    private func authorityVerdict(_ sod: Result<SignedSecurityObject, CardDataError>) async -> Verdict {
        switch sod {
        case .failure(let problem): return .failed(reason: "the security object cannot be read: \(problem)")
        case .success(let object):
            return await signed(object.content.signedOn, of: "the security object", by: object.signerCertificate) { at in
                await object.verifySignature(trust: trust, at: at)
            }
        }
    }

    /// A signature dated `day` by `signer` (nil: not carried, and `verify` says so): the day is one the signer
    /// could sign on (not in the future, within its certificate), the certificate is not revoked from that day
    /// on (the status list), and `verify` checks chain and signature at that day, so a short-lived signer's
    /// signatures stay good after its certificate expired (CARD-SECURITY §11, §12).
    private func signed(_ day: CalendarDate, of what: String, by signer: PKICertificate?, verify: (Date) async -> Verdict) async -> Verdict {
        guard let signer else { return await verify(moment) }
        let dated = SigningDay.verdict(day, of: what, signer: signer, calendar: calendar, today: today)
        guard dated.isPassed else { return dated }
        if let revocations, let key = signer.publicKey, let revocation = revocations.revocation(of: key.keyIdentifier), day >= revocation.revokedFrom {
            return .failed(reason: "\(what) is dated \(day), and its signer \(signer) is revoked from \(revocation.revokedFrom) (status list \(revocations.sequence))")
        }
        return await verify(min(max(calendar.noon(of: day), signer.notValidBefore), signer.notValidAfter))
    }

    /// A signed record or document's day, for the status list: one its signer could sign on.
    private func signingDay(_ day: CalendarDate, of what: String, signer: PKICertificate?) -> Verdict {
        guard let signer else { return .failed(reason: "\(what): its signer's certificate is not carried") }
        return SigningDay.verdict(day, of: what, signer: signer, calendar: calendar, today: today)
    }

    private func integrityVerdict(_ reading: CardReading, _ sod: Result<SignedSecurityObject, CardDataError>) -> Verdict {
        guard case .success(let object) = sod else { return .failed(reason: "no readable security object to compare with") }
        guard object.content.suite == profile.suite else {
            return .failed(reason: "the security object is of the \(object.content.suite) suite, the profile pins \(profile.suite)")
        }
        let covered: [UInt16: [UInt8]] = [
            profile.file(holding: .cardInfo).fid: reading.state?.cardInfo ?? [],
            profile.file(holding: .holder).fid: reading.holderFile,
            profile.file(holding: .chipPublicKey).fid: reading.chipKeyFile ?? [],
        ]
        let files = Dictionary(uniqueKeysWithValues: profile.securityObjectCovers.compactMap { name in
            profile.file(named: name).flatMap { spec in covered[spec.fid].map { (spec.fid, $0) } }
        })
        let listed = Set(profile.securityObjectCovers.compactMap { profile.file(named: $0)?.fid })
        guard Set(object.content.fileDigests.keys) == listed else {
            return .failed(reason: "the security object covers files \(object.content.fileDigests.keys.sorted().map { String(format: "%04X", $0) }), the profile requires \(listed.sorted().map { String(format: "%04X", $0) })")
        }
        if let failure = object.verifyFiles(files).sorted(by: { $0.key < $1.key }).first(where: { !$0.value.isPassed }) {
            return failure.value
        }
        guard let info = try? reading.cardInfo(), object.content.serial == info.serial, info.serial == reading.fci.serial else {
            return .failed(reason: "the security object was signed for another card serial")
        }
        guard info.personalisation?.suite == profile.suite else {
            return .failed(reason: "EF.CARD names another crypto suite than the profile pins (\(profile.suite))")
        }
        do {
            _ = try reading.holder()
            _ = try reading.status()
        } catch {
            return .failed(reason: "\(error)")
        }
        return .passed
    }

    /// The chip answered for its key in chip authentication (else the read stopped there); that key must
    /// be the one the authority signed for this card.
    private func chipVerdict(_ reading: CardReading, _ sod: Result<SignedSecurityObject, CardDataError>) -> Verdict {
        guard case .success(let object) = sod else { return .failed(reason: "no chip key signed by the authority to check against") }
        guard let chipKey = try? reading.chipPublicKey() else { return .failed(reason: "the chip presented no chip key") }
        guard chipKey == object.content.chipPublicKey else {
            return .failed(reason: "the chip authenticated with a key the authority did not sign for this card: the card may be a copy")
        }
        return .passed
    }

    private func residenceVerdict(_ reading: CardReading, _ serial: CardSerial) async -> Verdict {
        let current: (slot: Int, record: ResidenceRecord)?
        do { current = try reading.currentResidence() } catch { return .failed(reason: "\(error)") }
        guard let current else { return .failed(reason: "no residence record on the card") }
        let record = current.record
        return await signed(record.writtenOn, of: "the residence record (slot \(current.slot))", by: trust.certificate(keyIdentifier: record.signer.keyIdentifier)) { at in
            (await record.verifySignature(serial: serial, trust: trust, at: at)).prefixed("slot \(current.slot): ")
        }
    }

    private func endorsementsVerdict(_ reading: CardReading, _ serial: CardSerial) async -> Verdict {
        let records: [EndorsementRecord]
        let info: CardInfo.Personalisation
        do {
            records = try reading.endorsements()
            guard let personal = try reading.cardInfo().personalisation else { return .failed(reason: "EF.CARD is not personalised") }
            info = personal
        } catch { return .failed(reason: "\(error)") }
        let policy = profile.policy
        guard var state = PermitState(issued: info.issued, residenceSince: info.anchor, expiry: info.expiry, policy: policy) else {
            return .failed(reason: "EF.CARD's dates (issued \(info.issued), residence from \(info.anchor), valid until \(info.expiry)) are not ones the \(profile.name) rules write")
        }
        for (index, record) in records.enumerated() {
            let verdict = await signed(record.endorsedOn, of: "endorsement \(index + 1)", by: trust.certificate(keyIdentifier: record.signer.keyIdentifier)) { at in
                (await record.verifySignature(serial: serial, trust: trust, at: at)).prefixed("endorsement \(index + 1): ")
            }
            guard verdict.isPassed else { return verdict }
            guard record.number == index + 1 else {
                return .failed(reason: "endorsement \(index + 1) is numbered \(record.number)")
            }
            let outcome = state.classifyEndorsement(on: record.endorsedOn, policy: policy)
            var after = state
            do { try after.endorse(on: record.endorsedOn, policy: policy) } catch {
                return .failed(reason: "endorsement \(index + 1) of \(record.endorsedOn) is one the rules refuse: \(error)")
            }
            guard outcome.endorsementClass == record.endorsementClass,
                  after.residenceSince == record.anchor, after.expiry(policy) == record.expiry
            else {
                return .failed(reason: "endorsement \(index + 1) of \(record.endorsedOn) (\(record.endorsementClass)) does not agree with the rules: expected \(outcome.endorsementClass?.rawValue ?? "a refusal"), residence from \(after.residenceSince), expiry \(after.expiry(policy))")
            }
            state = after
        }
        return .passed
    }

    private func statusVerdict(_ reading: CardReading, _ serial: CardSerial) async -> Verdict {
        let record: StatusRecord?
        do { record = try reading.newestStatus() } catch { return .failed(reason: "\(error)") }
        guard let record else { return .failed(reason: "no status record on the card") }
        let signature = await signed(record.effective, of: "status record \(record.sequence)", by: trust.certificate(keyIdentifier: record.signer.keyIdentifier)) { at in
            await record.verifySignature(serial: serial, trust: trust, at: at)
        }
        guard signature.isPassed else { return signature }
        guard let status = try? reading.status() else { return .failed(reason: "the card's records do not decode") }
        // Records are ordered by status sequence, never by date: none may name a status newer than the one shown.
        let later = ((try? reading.endorsements()) ?? []).map { ("endorsement \($0.number)", $0.statusSequence) }
            + ((try? reading.residenceSlots()) ?? []).compactMap { $0 }.map { ("residence record \($0.sequence)", $0.statusSequence) }
        if let ahead = later.first(where: { $0.1 > record.sequence }) {
            return .failed(reason: "\(ahead.0) was written at status sequence \(ahead.1), after the status record shown (\(record.sequence)): the status shown is an old one")
        }
        switch status.recorded {
        case .inForce?: return .passed
        default: return .failed(reason: "recorded status: \(status.summary) since \(record.effective)")
        }
    }

    /// The calendar alone (§6 step 7): issued by today, and not past the expiry (suspended) or the region's
    /// overdue limit (due for cancellation: not in force either). The recorded status is the status check's business.
    private func datesVerdict(_ reading: CardReading) -> Verdict {
        let policy = profile.policy
        let recorded: PermitState
        do { recorded = try reading.permitState(policy: policy) } catch { return .failed(reason: "\(error)") }
        if today < recorded.issued { return .failed(reason: "issued on \(recorded.issued), after today (\(today))") }
        // The calendar alone: a recorded cancellation is the status check's.
        let state = PermitState(issued: recorded.issued, cycleStart: recorded.cycleStart, renewals: recorded.renewals,
                                residenceSince: recorded.residenceSince, cancellation: nil)
        let expiry = state.expiry(policy)
        switch state.status(on: today, policy: policy) {
        case .inForce, .windowOpen:
            return .passed
        case .suspended:
            return .failed(reason: "expired on \(expiry): not endorsed, suspended since \(state.suspendedFrom(policy)) (today \(today))")
        case .cancellationDue, .cancelled:   // without a cancellation the calendar reaches cancellationDue at most
            let since = state.cancellationDueFrom(policy).map { " since \($0)" } ?? ""
            return .failed(reason: "expired on \(expiry) and overdue beyond the region's limit: not in force, due for cancellation\(since)")
        }
    }

    /// The carried list's age against the maximum, shown with every report.
    var freshness: StatusListFreshness? {
        statusList.map { list in
            StatusListFreshness(
                sequence: list.content.sequence, issuedOn: list.content.issuedOn,
                ageDays: today.days(since: list.content.issuedOn), maxAgeDays: maxAgeDays)
        }
    }

    /// The authority's list (§6 step 8): signed by the status-list signer, no older than the maximum age (a
    /// list older than one already seen is never loaded: `PermitTerminal.load`). A listing wins unless the card's own newest status record was
    /// written after it (a higher status sequence) and the listing can be undone (a suspension): ordered by
    /// status sequence, never by date.
    private func statusListVerdict(_ reading: CardReading) async -> Verdict {
        guard let statusList, let freshness else { return .failed(reason: "no signed status list is carried; load the current one") }
        let content = statusList.content
        let signature = await statusList.verifySignature(trust: trust, at: moment)
        guard signature.isPassed else { return .failed(reason: "the status list: \(signature)") }
        let issued = signingDay(content.issuedOn, of: "status list \(content.sequence)", signer: statusList.signerCertificate)
        guard issued.isPassed else { return issued }
        guard !freshness.isStale else {
            return .failed(reason: "\(freshness): too old to rely on; load the current status list")
        }
        guard let entry = content.entry(for: reading.serial) else { return .passed }
        if !entry.isFinal, let record = try? reading.newestStatus(), record.sequence > Int(entry.statusSequence) {
            return .passed
        }
        let words = RecordedStatus(rawValue: entry.status)?.description ?? "listed"
        return .failed(reason: "the card is listed as \(words) (reason \([entry.reason].hexString), status sequence \(entry.statusSequence)) from \(entry.effective) on status list \(content.sequence)")
    }
}

extension Verdict {
    /// The same verdict, its reason (if it failed) after `prefix`.
    func prefixed(_ prefix: String) -> Verdict {
        guard case .failed(let reason) = self else { return self }
        return .failed(reason: prefix + reason)
    }
}
