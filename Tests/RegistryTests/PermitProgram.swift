import Foundation
import TestPrograms

/// This source tree's card profiles, for the registry's policies and for the CLI.
let cardProfiles = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("cardprofiles")

/// Runs the built `permit` as an officer runs it, with this tree's profiles.
func permit(_ arguments: [String]) async throws -> TestProgram.Result {
    try await TestProgram.permit(arguments)
}
