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

    @Test func idNumberChecks() {
        #expect(IDNumber.problem(with: "11010519491231002X") == nil)   // the standard's worked example
        #expect(IDNumber.problem(with: "110105194912310021")?.contains("check character") == true)
        #expect(IDNumber.problem(with: "110105194913310021")?.contains("birth date") == true)
        #expect(IDNumber.problem(with: "1101051949")?.contains("18 characters") == true)
        #expect(IDNumber.problem(with: IDNumber.make(region: 330_102, birth: .init(year: 1990, month: 1, day: 1)!, sequence: 7)) == nil)
    }
}
