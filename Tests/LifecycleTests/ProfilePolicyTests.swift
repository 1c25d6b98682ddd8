import Testing
import CardProfiles
import Lifecycle

/// The shipped profiles carry the seeds' rules: the rule tests above use the same values.
@Test(arguments: [("zhejiang", Policies.zhejiang), ("inner-mongolia", Policies.innerMongolia)])
func shippedProfilePolicyMatchesTheSeeds(_ name: String, _ expected: RegionPolicy) throws {
    let library = try ProfileLibrary(directory: packageRoot.appendingPathComponent("cardprofiles"))
    #expect(try library.load(name).policy == expected)
}
