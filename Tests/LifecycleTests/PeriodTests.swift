import Testing
@testable import Lifecycle

@Test func periodKeepsCountAndUnit() {
    let p = Period(15, .workingDays)
    #expect(p.count == 15)
    #expect(p.unit == .workingDays)
}
