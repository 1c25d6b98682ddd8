import Testing
import CardProfiles
import Lifecycle

/// The shipped profiles carry the seeds' rules, with the shipped holiday calendar attached: the rule tests above
/// use the same values.
@Test(arguments: [("zhejiang", Policies.zhejiang), ("inner-mongolia", Policies.innerMongolia)])
func shippedProfilePolicyMatchesTheSeeds(_ name: String, _ expected: RegionPolicy) throws {
    let library = try ProfileLibrary(directory: packageRoot.appendingPathComponent("cardprofiles"))
    let policy = try library.load(name).policy
    #expect(policy == expected)
    #expect(policy.workingDays?.years == 2016...2026)
}
