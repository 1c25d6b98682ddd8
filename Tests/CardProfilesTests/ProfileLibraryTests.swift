import Foundation
import Testing
@testable import CardProfiles

@Suite struct ProfileLibraryTests {
    @Test func findsTheShippedProfilesFromTheSourceTree() throws {
        let library = try ProfileLibrary(environment: [:])
        #expect(library.directory.lastPathComponent == "cardprofiles")
        let names = try library.names()
        #expect(names.contains("zhejiang"))
        #expect(names.contains("inner-mongolia"))
    }

    @Test(arguments: ["zhejiang", "inner-mongolia"])
    func loadsEachShippedProfile(name: String) throws {
        let profile = try ProfileLibrary(environment: [:]).load(name)
        #expect(profile.name == name)
        #expect(profile.policy.validityMonths == 12)
    }

    @Test func unknownNameListsWhatExists() throws {
        let library = try ProfileLibrary(environment: [:])
        #expect(throws: ProfileError.self) { try library.load("atlantis") }
        do {
            _ = try library.load("atlantis")
        } catch {
            #expect(error.description.contains("zhejiang"))
        }
    }

    @Test func refusesNamesThatCouldEscapeTheDirectory() throws {
        let library = try ProfileLibrary(environment: [:])
        #expect(throws: ProfileError.invalidName("../etc/passwd")) { try library.load("../etc/passwd") }
    }

    @Test func environmentVariableWinsOverTheSearch() throws {
        let missing = "/nonexistent-\(UUID().uuidString)"
        #expect(throws: ProfileError.directoryNotFound(missing)) {
            try ProfileLibrary(environment: [ProfileLibrary.environmentVariable: missing])
        }
    }
}
