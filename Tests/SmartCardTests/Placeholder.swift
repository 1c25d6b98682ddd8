import Testing
@testable import SmartCard
