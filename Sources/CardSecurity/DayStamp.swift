import Foundation

/// A calendar day in the station's time zone (a security object's or status list's signing day, a
/// listed status's effective day), encoded as the eight ASCII digits `YYYYMMDD`.
public struct DayStamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    public init(year: Int, month: Int, day: Int) throws(CardSecurityError) {
        var components = DateComponents(year: year, month: month, day: day)
        components.calendar = Calendar(identifier: .gregorian)
        guard (1...9999).contains(year), components.isValidDate else {
            throw .malformedSecurityObject("\(year)-\(month)-\(day) is not a calendar day")
        }
        self.year = year
        self.month = month
        self.day = day
    }

    /// The day `date` falls on in `timeZone` (the station's zone, Asia/Shanghai by default).
    public init(_ date: Date, timeZone: TimeZone) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        // A Gregorian calendar always yields a valid day.
        try! self.init(year: parts.year!, month: parts.month!, day: parts.day!)
    }

    init(ascii bytes: [UInt8]) throws(CardSecurityError) {
        guard bytes.count == 8, bytes.allSatisfy({ (0x30...0x39).contains($0) }),
              let digits = Int(String(decoding: bytes, as: UTF8.self))
        else { throw .malformedSecurityObject("a day is not 8 ASCII digits YYYYMMDD") }
        try self.init(year: digits / 10000, month: digits / 100 % 100, day: digits % 100)
    }

    var ascii: [UInt8] { Array(String(format: "%04d%02d%02d", year, month, day).utf8) }

    public var description: String { String(format: "%04d-%02d-%02d", year, month, day) }

    public static func < (lhs: DayStamp, rhs: DayStamp) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }
}
