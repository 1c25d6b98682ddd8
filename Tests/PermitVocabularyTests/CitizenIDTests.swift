import Foundation
import PermitVocabulary
import Testing

@Suite struct CitizenIDTests {
    @Test func theStandardsWorkedExampleIsValid() throws {
        let id = try CitizenID("11010519491231002X")
        #expect(id.birthDate == CalendarDate(year: 1949, month: 12, day: 31))
        #expect(id.regionCode == "110105")
        #expect(try CitizenID("11010519491231002x") == id)   // a lower-case x is the same number
    }

    @Test(arguments: [
        ("110105194912310021", "check character"), ("110105194913310021", "birth date"), ("110105194902300021", "birth date"),
        ("1101051949", "18 characters"), ("11010519491231002XX", "18 characters"), ("1101051949123100A1", "17 digits"),
        ("11010519900517123X", "check character"),   // the example the demo used before: its check character is 3
    ])
    func refusesWithTheProblemNamed(_ text: String, _ words: String) {
        #expect { try CitizenID(text) } throws: { error in
            (error as? CitizenID.Problem)?.description.contains(words) == true
        }
    }

    @Test func madeNumbersPassTheirOwnCheck() throws {
        for sequence in [0, 7, 123, 999] {
            let made = CitizenID(region: 330_102, birth: CalendarDate(year: 1990, month: 1, day: 1)!, sequence: sequence)
            #expect(try CitizenID(made.text) == made)
        }
    }

    @Test func codableAsItsTextAndCheckedWhenDecoded() throws {
        let id = try CitizenID("110105199005171233")
        let data = try JSONEncoder().encode([id])
        #expect(String(decoding: data, as: UTF8.self) == "[\"110105199005171233\"]")
        #expect(try JSONDecoder().decode([CitizenID].self, from: data) == [id])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([CitizenID].self, from: Data("[\"110105199005171234\"]".utf8)) }
    }
}
