import CardEmulator
import CardProfiles
import CardSecurity
import Foundation
import Lifecycle
import PCSCSandbox
import PermitApplet
import PermitCard
import SmartCard

/// `swift run -c release card-bench [RUNS]`: APDUs, bytes and time of every card operation through the
/// real stack (private pcscd, vpcd, reference card with the permit application), beside the spec's
/// model (CARD-SPEC §11, `APDUBudget`), as the Markdown for docs/BENCHMARKS.md ("Card operations").

let runs = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 20
let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

func profile(_ name: String) throws -> CardProfile {
    try CardProfile.load(contentsOf: repository.appendingPathComponent("cardprofiles/\(name).json"))
}

func moment(_ year: Int, _ month: Int, _ day: Int) -> Date {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "Asia/Shanghai")!
    return calendar.date(from: DateComponents(year: year, month: month, day: day, hour: 12))!
}

let authority = try TestAuthority.generate(notBefore: moment(2025, 1, 1), notAfter: moment(2035, 1, 1))
let station = DigitCode.station("330102000001")!
let statusList = try SignedStatusList.sign(
    try StatusList(suite: .international, issuedOn: CalendarDate(year: 2026, month: 3, day: 1)!, sequence: 1, entries: []),
    signer: authority.documentSigner)
let desk = PermitTerminal.issuingStation(
    station: station, masterKeys: authority.masterKeys, stationCredential: authority.issuingStation,
    documentSigner: authority.documentSigner, trust: authority.trustStore, statusList: statusList)
let kiosk = PermitTerminal.endorsingStation(station: station, masterKeys: authority.masterKeys, credential: authority.kiosk, trust: authority.trustStore)
let verifier = PermitTerminal.verifier(masterKeys: authority.masterKeys, trust: authority.trustStore, statusList: statusList, station: station)
let holder = HolderIdentity(
    name: "张伟", latinName: "ZHANG WEI", sex: "1", birthDate: CalendarDate(year: 1990, month: 5, day: 17)!, ethnicGroup: "01",
    citizenID: try! CitizenID("110105199005171233"), householdAddress: "北京市东城区景山前街4号", permitNumber: "330102202600001",
    issuingAuthority: "杭州市公安局上城区分局", authorityStation: station)
let address = ResidenceAddress(district: .district("330102")!, text: "浙江省杭州市上城区解放路100号3单元502室", since: CalendarDate(year: 2025, month: 9, day: 1)!)
let issued = CalendarDate(year: 2026, month: 3, day: 1)!

/// One operation of the table: its name, profile, the APDU model it is compared with, and the act.
struct Operation {
    let name: String
    let profile: String
    let model: APDUBudget.Operation
    /// The fewest APDUs the design needs (CARD-SPEC §11), as the spec words it.
    let minimum: String
    let terminal: PermitTerminal
    /// The state the card starts from: nil for a blank card, else what `prepare` leaves.
    let prepare: [(PermitCard) async throws -> Void]
    let act: (PermitCard) async throws -> Void
}

let pin6 = "123456", pin4 = "2468"
let operations: [Operation] = [
    Operation(name: "issue (with PIN, self-check)", profile: "zhejiang", model: .issue, minimum: "13 (self-check optional)", terminal: desk, prepare: [],
              act: { _ = try await $0.issue(IssueRequest(holder: holder, address: address, issued: issued, pin: pin6), at: moment(2026, 3, 1)) }),
    Operation(name: "verify (full, 2 endorsements)", profile: "zhejiang", model: .verify, minimum: "8", terminal: verifier,
              prepare: [{ _ = try await $0.issue(IssueRequest(holder: holder, address: address, issued: issued, pin: pin6), at: moment(2026, 3, 1)) },
                        { _ = try await $0.endorse(at: moment(2027, 2, 10)) }, { _ = try await $0.endorse(at: moment(2028, 2, 10)) }],
              act: { _ = try await $0.verify(at: moment(2028, 2, 11)) }),
    Operation(name: "status only (SELECT)", profile: "zhejiang", model: .statusCheck, minimum: "1", terminal: verifier,
              prepare: [{ _ = try await $0.issue(IssueRequest(holder: holder, address: address, issued: issued, pin: pin6), at: moment(2026, 3, 1)) }],
              act: { _ = try await $0.inspect() }),
    Operation(name: "endorse (kiosk)", profile: "zhejiang", model: .endorse, minimum: "4 trusting the registry, 5 from the card alone", terminal: kiosk,
              prepare: [{ _ = try await $0.issue(IssueRequest(holder: holder, address: address, issued: issued, pin: pin6), at: moment(2026, 3, 1)) }],
              act: { _ = try await $0.endorse(at: moment(2027, 2, 10)) }),
    Operation(name: "endorse with PIN (inner-mongolia)", profile: "inner-mongolia", model: .endorse, minimum: "6", terminal: kiosk,
              prepare: [{ _ = try await $0.issue(IssueRequest(holder: holder, address: address, issued: issued, pin: pin4), at: moment(2026, 3, 1)) }],
              act: { _ = try await $0.endorse(at: moment(2027, 2, 10), pin: pin4) }),
    Operation(name: "change address", profile: "zhejiang", model: .changeAddress, minimum: "4 trusting the registry, 5 from the card alone", terminal: desk,
              prepare: [{ _ = try await $0.issue(IssueRequest(holder: holder, address: address, issued: issued, pin: pin6), at: moment(2026, 3, 1)) }],
              act: { _ = try await $0.changeAddress(to: ResidenceAddress(district: .district("330106")!, text: "浙江省杭州市西湖区文三路1号", since: issued), at: moment(2026, 8, 1)) }),
    Operation(name: "suspend / restore / cancel / void", profile: "zhejiang", model: .statusChange, minimum: "4", terminal: desk,
              prepare: [{ _ = try await $0.issue(IssueRequest(holder: holder, address: address, issued: issued, pin: pin6), at: moment(2026, 3, 1)) }],
              act: { _ = try await $0.cancel(reason: .localHukou, at: moment(2026, 8, 1)) }),
    Operation(name: "unblock PIN", profile: "zhejiang", model: .unblockPIN, minimum: "4", terminal: desk,
              prepare: [{ _ = try await $0.issue(IssueRequest(holder: holder, address: address, issued: issued, pin: pin6), at: moment(2026, 3, 1)) }],
              act: { try await $0.unblockPIN() }),
]

/// Runs every operation `runs` times on one sandbox reader and prints the table.
@MainActor
func measure() async throws {
    let sandbox = PCSCSandbox.shared
    let slot = try await sandbox.lease()
    let context = PCSCContext()
    var rows: [String] = []
    do {
        for operation in operations {
            let cardProfile = try profile(operation.profile)
            let card = try PermitApplet.freshCard(profile: cardProfile, serial: try CardSerial(hex: "5A4A000000000001"), masterKeys: authority.masterKeys)
            let link = VPCDLink(card: card, configuration: .init(host: "127.0.0.1", port: UInt16(slot.port)))
            link.start()
            try await link.waitUntilConnected()
            while !(try await context.readers().first { $0.name == slot.readerName }?.hasCard ?? false) { try await Task.sleep(for: .milliseconds(20)) }
            let options = ChannelOptions(extendedLength: cardProfile.apdu.extendedLength)
            let setup = PermitCard(connection: try await context.connect(slot.readerName, options: options), profile: cardProfile, terminal: desk)
            for step in operation.prepare { try await step(setup) }
            await setup.connection.disconnect()
            let start = card.state

            var times: [Double] = []
            var counted: (apdus: Int, sent: Int, received: Int) = (0, 0, 0)
            for run in 0..<runs {
                try card.replaceState(start)
                let trace = APDUTrace()
                let permitCard = PermitCard(connection: try await context.connect(slot.readerName, options: options, trace: trace),
                                            profile: cardProfile, terminal: operation.terminal)
                let clock = ContinuousClock()
                let began = clock.now
                try await operation.act(permitCard)
                let elapsed = clock.now - began
                await permitCard.connection.disconnect()
                times.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)
                if run == 0 { counted = trace.totals }
            }
            try await link.stop()
            while try await context.readers().first(where: { $0.name == slot.readerName })?.hasCard ?? false { try await Task.sleep(for: .milliseconds(20)) }
            let plan = APDUBudget.plan(operation.model, profile: cardProfile)
            let sorted = times.sorted()
            let median = sorted[sorted.count / 2]
            let target = APDUBudget.targets[operation.model].map { "≤ \($0)" } ?? ""
            rows.append("| \(operation.name) | \(counted.apdus) | \(plan.count) | \(operation.minimum) | \(target) | \(counted.sent) | \(counted.received) | \(counted.apdus * APDUBudget.millisecondsPerAPDU) ms | \(String(format: "%.1f", median)) ms |")
        }
    } catch {
        await context.close()
        await sandbox.shutdown()
        throw error
    }
    await context.close()
    await sandbox.shutdown()
    print("| operation | APDUs measured | APDUs in the spec's model | minimum the design needs | target | bytes sent | bytes received | modelled at 20 ms/APDU | measured on the emulator (median of \(runs)) |")
    print("|---|---|---|---|---|---|---|---|---|")
    rows.forEach { print($0) }
}

try await measure()
