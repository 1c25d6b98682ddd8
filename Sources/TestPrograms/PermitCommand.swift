import Foundation

extension TestProgram {
    /// This source tree's card profiles.
    public static let cardProfiles = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("cardprofiles").path

    /// Runs the built `permit` as an officer runs it (arguments in, text and exit status out), with this
    /// tree's card profiles (`PERMIT_PROFILES`, unless `environment` names others): the one way tests run the CLI.
    public static func permit(
        _ arguments: [String], environment: [String: String] = [:], input: Data? = nil, timeout: Duration = .seconds(60)
    ) async throws -> Result {
        try await run(builtProduct("permit"), arguments, environment: ["PERMIT_PROFILES": cardProfiles].merging(environment) { $1 },
                      input: input, timeout: timeout)
    }
}
