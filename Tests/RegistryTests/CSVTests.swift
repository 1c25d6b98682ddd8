import Registry
import Testing

@Suite struct CSVTests {
    @Test func quotedFieldsCommasQuotesAndNewlines() throws {
        let records = try CSV.parse("\u{FEFF}a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\n\nlast,,\n")
        #expect(records.map(\.fields) == [["a", "b", "c"], ["x, y", "say \"hi\"", "two\nlines"], ["last", "", ""]])
        #expect(records.map(\.line) == [1, 2, 5])
    }

    @Test func unclosedQuoteNamesItsLine() {
        #expect { try CSV.parse("a,b\n\"open,b\nc,d\n") } throws: { ($0 as? CSV.ParseError)?.line == 2 }
    }

}
