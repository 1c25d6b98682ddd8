import Testing
@testable import CardProfiles

@Suite struct APDUBudgetTests {
    let zhejiang: CardProfile
    let innerMongolia: CardProfile

    init() throws {
        let library = try ProfileLibrary(environment: [:])
        zhejiang = try library.load("zhejiang")
        innerMongolia = try library.load("inner-mongolia")
    }

    static func totals(_ steps: [APDUBudget.Step]) -> (apdus: Int, sent: Int, received: Int) {
        (steps.count, steps.map(\.commandBytes).reduce(0, +), steps.map(\.responseBytes).reduce(0, +))
    }

    @Test(arguments: [APDUBudget.Operation.issue, .verify, .endorse])
    func shippedProfilesMeetTheTargets(operation: APDUBudget.Operation) throws {
        let target = try #require(APDUBudget.targets[operation])
        for profile in [zhejiang, innerMongolia] {
            let count = APDUBudget.plan(operation, profile: profile).count
            #expect(count <= target, "\(profile.name) \(operation): \(count) APDUs, target \(target)")
        }
    }

    /// The figures of docs/CARD-SPEC.md §11 (zhejiang, 2 endorsements), so the document and the model agree.
    @Test(arguments: [
        (APDUBudget.Operation.issue, 14, 2503, 382),
        (.verify, 8, 103, 2748),
        (.statusCheck, 1, 19, 238),
        (.endorse, 5, 173, 458),
        (.changeAddress, 5, 300, 710),
        (.statusChange, 4, 158, 266),
        (.unblockPIN, 4, 88, 266),
    ])
    func zhejiangFiguresMatchTheSpec(operation: APDUBudget.Operation, apdus: Int, sent: Int, received: Int) {
        let totals = Self.totals(APDUBudget.plan(operation, profile: zhejiang))
        #expect(totals.apdus == apdus)
        #expect(totals.sent == sent)
        #expect(totals.received == received)
    }

    @Test func theRegionThatWantsThePINPaysOneAPDU() {
        let withPIN = APDUBudget.plan(.endorse, profile: innerMongolia)
        #expect(withPIN.count == 6)
        #expect(withPIN.contains { $0.command == "VERIFY PIN" })
        #expect(!APDUBudget.plan(.endorse, profile: zhejiang).contains { $0.command == "VERIFY PIN" })
    }

    @Test func shortAPDUsCostChunksAndMissTheVerificationTarget() {
        var short = zhejiang
        short.apdu = APDULimits(extendedLength: false, maxCommandData: 255, maxResponseData: 256)
        let issue = Self.totals(APDUBudget.plan(.issue, profile: short))
        #expect(issue.apdus == 21)
        #expect(issue.sent == 2626)
        #expect(issue.received == 494)
        #expect(APDUBudget.plan(.verify, profile: short).count > APDUBudget.targets[.verify]!)
    }

    @Test func freeReadingDropsTerminalAuthenticationFromVerification() {
        var open = zhejiang
        open.files = open.files.map { file in
            var file = file
            if file.content == .holder || file.content == .residence { file.access[.read] = AccessRule(.always) }
            return file
        }
        #expect(APDUBudget.plan(.verify, profile: open).count == 6)
        #expect(!APDUBudget.plan(.verify, profile: open).contains { $0.command == "EXTERNAL AUTHENTICATE" })
    }

    @Test func anEmptyEndorsementFileStillCostsOneRead() {
        let steps = APDUBudget.plan(.endorse, profile: zhejiang, endorsements: 0)
        #expect(steps.count == 5)
        #expect(steps[1].responseBytes == 2)
    }
}
