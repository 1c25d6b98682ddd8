import Foundation
import Testing
@testable import CardProfiles
import PermitVocabulary

@Suite struct CardProfileModelTests {
    let zhejiang: CardProfile
    let innerMongolia: CardProfile

    init() throws {
        let library = try ProfileLibrary(environment: [:])
        zhejiang = try library.load("zhejiang")
        innerMongolia = try library.load("inner-mongolia")
    }

    @Test func shippedProfilesAreDifferentProducts() {
        #expect(zhejiang.card.aid != innerMongolia.card.aid)
        #expect(!zhejiang.card.matchesATR(innerMongolia.card.atr))
        #expect(zhejiang.card.matchesATR(zhejiang.card.atr))
    }

    @Test func atrMaskComparesOnlyMaskedBits() {
        let identity = CardIdentity(atr: [0x3B, 0x80, 0x12], atrMask: [0xFF, 0xFF, 0xF0], aid: [0xD1, 0x56, 0, 0, 1], memory: 4096)
        #expect(identity.matchesATR([0x3B, 0x80, 0x1F]))
        #expect(!identity.matchesATR([0x3B, 0x80, 0x22]))
        #expect(!identity.matchesATR([0x3B, 0x80]))
    }

    @Test(arguments: FileContent.allCases)
    func everyContentHasOneFileOfItsStructure(content: FileContent) {
        for profile in [zhejiang, innerMongolia] {
            let file = profile.file(holding: content)
            #expect(file.structure.kind == content.requiredKind)
            #expect(file.sfi != nil, "the spec's APDU counts address every file by SFI")
        }
    }

    @Test func endorsingNeedsThePINOnlyWhereTheRegionSaysSo() throws {
        let endorser: Set<Credential> = [.key("endorsingStation")]
        let zhejiangAppend = try #require(zhejiang.file(holding: .endorsements).access[.append])
        let mongoliaAppend = try #require(innerMongolia.file(holding: .endorsements).access[.append])
        #expect(zhejiangAppend.operational.isSatisfied(by: endorser))
        #expect(!mongoliaAppend.operational.isSatisfied(by: endorser))
        #expect(mongoliaAppend.operational.isSatisfied(by: endorser.union([.pin])))
        #expect(!mongoliaAppend.personalisation.isSatisfied(by: endorser.union([.pin])))
    }

    @Test func kioskKeyCanNeitherIssueNorCancel() throws {
        let kiosk: Set<Credential> = [.key("endorsingStation"), .pin]
        for profile in [zhejiang, innerMongolia] {
            #expect(!(profile.commands[.finalise]?.personalisation.isSatisfied(by: kiosk) ?? true))
            #expect(!(profile.file(holding: .status).access[.append]?.operational.isSatisfied(by: kiosk) ?? true))
            #expect(!(profile.file(holding: .holder).access[.update]?.personalisation.isSatisfied(by: kiosk) ?? true))
        }
    }

    @Test func accessConditionsPrintInTheirTextForm() throws {
        let rule = try #require(innerMongolia.file(holding: .endorsements).access[.append])
        #expect(rule.operational.description == "issuingStation | endorsingStation & pin")
        #expect(rule.personalisation.description == "never")
        #expect(AccessCondition.always.description == "always")
    }

    @Test func keysAreDiversifiedWithTheSerialUnderTheSecurityModulesLabels() throws {
        let expected: [KeyRole: String] = [.issuingStation: "PS-ISSUE", .endorsingStation: "PS-ENDORSE", .readingTerminal: "PS-READ"]
        for profile in [zhejiang, innerMongolia] {
            for (role, label) in expected {
                let key = try #require(profile.key(for: role))
                #expect(key.diversification.label == label)
                #expect(key.diversification.context == [.cardSerial])
                #expect(profile.key(named: key.name) == key)
            }
        }
    }

    @Test func policiesAreTheRegionsRules() {
        #expect(zhejiang.policy.cancellationDueAfterOverdueDays == 60)
        #expect(zhejiang.policy.continuityGrace == nil)
        #expect(zhejiang.policy.validityAfterLateReset.rawValue == "issueAnniversaries")
        #expect(zhejiang.policy.cardPersonalisation.rawValue == "station")
        #expect(innerMongolia.policy.cancellationDueAfterOverdueDays == nil)
        #expect(innerMongolia.policy.continuityGrace?.count == 30)
        #expect(innerMongolia.policy.continuityGrace?.unit.rawValue == "days")
        #expect(innerMongolia.policy.validityAfterLateReset.rawValue == "fromRestoration")
        #expect(innerMongolia.policy.cardPersonalisation.rawValue == "centralOffice")
        #expect(zhejiang.policy.workingDays?.name == "cn-state-council")
    }

    @Test func aNewRegionIsANewFileOnly() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("profiles-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var value = try Fixtures.valid()
        value = value.setting("profile", to: .string("shanghai"))
        value = value.setting("regionCode", to: .string("310000"))
        value = value.setting("policy.continuityGrace.count", to: .number(60))
        try JSONEncoder().encode(value).write(to: directory.appendingPathComponent("shanghai.json"))

        let library = try ProfileLibrary(directory: directory)
        #expect(try library.names() == ["shanghai"])
        let profile = try library.load("shanghai")
        #expect(profile.regionCode == "310000")
        #expect(profile.policy.continuityGrace?.count == 60)
        #expect(profile.policy.workingDays == nil)   // no holidays/ beside it: a working-day deadline will say which file to add
    }

    @Test func findsProfilesNextToTheExecutableWhenTheWorkingDirectoryHasNone() throws {
        let elsewhere = FileManager.default.temporaryDirectory
        let executable = Fixtures.directory.appendingPathComponent("bin/permit")
        let library = try ProfileLibrary(environment: [:], currentDirectory: elsewhere, executable: executable)
        #expect(try library.names().contains("zhejiang"))
    }

    @Test func reportsWhenNoDirectoryCanBeFound() {
        let elsewhere = FileManager.default.temporaryDirectory
        #expect(throws: ProfileError.directoryNotFound(nil)) {
            try ProfileLibrary(environment: [:], currentDirectory: elsewhere, executable: nil)
        }
    }
}
