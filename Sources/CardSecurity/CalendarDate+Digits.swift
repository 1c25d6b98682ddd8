/// A day in a security object or status list (signing day, a listed status's effective day) is
/// encoded as the eight ASCII digits `YYYYMMDD`.
extension CalendarDate {
    init(asciiDigits bytes: [UInt8]) throws(CardSecurityError) {
        guard bytes.count == 8, bytes.allSatisfy({ (0x30...0x39).contains($0) }),
              let digits = Int(String(decoding: bytes, as: UTF8.self))
        else { throw .malformedSecurityObject("a day is not 8 ASCII digits YYYYMMDD") }
        guard let date = CalendarDate(year: digits / 10000, month: digits / 100 % 100, day: digits % 100) else {
            throw .malformedSecurityObject("\(String(decoding: bytes, as: UTF8.self)) is not a calendar day")
        }
        self = date
    }

    var asciiDigits: [UInt8] { Array(description.filter(\.isNumber).utf8) }
}
