/// A minimal RFC 4180 reader: comma-separated, fields optionally in double quotes with `""` for a quote,
/// LF or CRLF line ends, a UTF-8 byte-order mark ignored. Enough for spreadsheets' "CSV UTF-8" export.
public enum CSV {
    public struct Record: Sendable, Hashable {
        /// 1-based line number where the record starts.
        public let line: Int
        public let fields: [String]
    }

    public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        public let line: Int
        public var description: String { "line \(line): a quoted field is never closed; check for a stray double quote" }
    }

    /// All records; blank lines are skipped. Throws only for a quote left open at the end of the text.
    public static func parse(_ text: String) throws(ParseError) -> [Record] {
        var records: [Record] = []
        var fields: [String] = []
        var field = ""
        var inQuotes = false
        var line = 1, recordLine = 1
        var scalars = text.unicodeScalars[...]
        if scalars.first == "\u{FEFF}" { scalars = scalars.dropFirst() }
        var iterator = scalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        func endRecord() {
            fields.append(field)
            if !(fields.count == 1 && fields[0].isEmpty) { records.append(Record(line: recordLine, fields: fields)) }
            fields = []
            field = ""
        }
        while let c = pending ?? iterator.next() {
            pending = nil
            if inQuotes {
                if c == "\"" {
                    let next = iterator.next()
                    if next == "\"" { field.unicodeScalars.append("\"") } else { inQuotes = false; pending = next }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"" where field.isEmpty: inQuotes = true
            case ",": fields.append(field); field = ""
            case "\r": continue
            case "\n":
                endRecord()
                line += 1
                recordLine = line
            default: field.unicodeScalars.append(c)
            }
        }
        if inQuotes { throw ParseError(line: recordLine) }
        if !field.isEmpty || !fields.isEmpty { endRecord() }
        return records
    }
}
