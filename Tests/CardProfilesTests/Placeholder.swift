import Testing
@testable import CardProfiles
