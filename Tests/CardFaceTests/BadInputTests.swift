import CardFace
import CardFaceFixtures
import Foundation
import Testing

/// Values a card cannot be printed with: each refused with one sentence naming the field and what to do.
@Suite struct BadInputTests {
    func refusal(_ change: (inout CardFaceValues) -> Void) throws -> String? {
        var face = try CardFaceFixtures.face()
        change(&face)
        do {
            _ = try CardArtwork.card(face).pdf()
            return nil
        } catch {
            return error.description
        }
    }

    @Test func photosThatAreNotImages() throws {
        let jpeg = try Data(contentsOf: CardFaceFixtures.photoJPEG)
        let cases: [(Data, String)] = [
            (Data("GIF89a".utf8), "neither a JPEG nor a PNG image (it starts with 47 49 46 38)"),
            (Data(), "it is empty"),
            (jpeg.prefix(200), "the JPEG data is damaged"),
            (try Data(contentsOf: CardFaceFixtures.photoPNG).prefix(100), "the PNG data is damaged"),
        ]
        for (photo, words) in cases {
            let sentence = try #require(try refusal { $0.photo = photo })
            #expect(sentence.hasPrefix("The holder's photo cannot be printed: ") && sentence.contains(words), "\(sentence)")
            #expect(sentence.hasSuffix("store a JPEG or PNG photo for the holder and print again."))
        }
    }

    @Test func valuesTheCardCannotShow() throws {
        #expect(try refusal { $0.sex = "3" }?.contains("The card's sex \"3\" is not a GB/T 2261.1 code") == true)
        #expect(try refusal { $0.cardSerial = "5A4A" }?.contains("The card's serial \"5A4A\" is not 16 hex digits") == true)
        #expect(try refusal { $0.name = " " }?.contains("The card's name is empty") == true)
        #expect(try refusal { $0.permitNumber = "3301 0220" }?.contains("permit number") == true)
        let reversed = try refusal { $0.stamp.expiry = $0.stamp.anchor }
        #expect(reversed?.contains("The card's stamp validity starts 2026-03-01, after or on its end 2026-03-01") == true, "\(reversed ?? "")")
    }

    @Test func theLongestValuesACardHoldsStillFit() throws {
        // EF.HOLDER allows 60 bytes of UTF-8 for the name and the authority (20 Chinese characters), 128 for the address.
        let refused = try refusal {
            $0.name = String(repeating: "张", count: 20)
            $0.latinName = String(repeating: "W", count: 60)
            $0.issuingAuthority = String(repeating: "局", count: 20)
            $0.address = String(repeating: "路", count: 42)
            $0.stamp.station = String(repeating: "所", count: 40)
        }
        #expect(refused == nil, "\(refused ?? "")")
    }

    @Test func textTooLongForTheCardIsRefusedNotCut() throws {
        let sentence = try #require(try refusal { $0.address = String(repeating: "路", count: 200) })
        #expect(sentence.hasPrefix("The card's address \"路路路"), "\(sentence)")
        #expect(sentence.hasSuffix("is too long to print legibly on the card; shorten it in the registry and print again."))
    }

    @Test func faceFileWithoutPhotoSaysSo() throws {
        let face = try JSONDecoder().decode(CardFaceValues.self, from: Data(contentsOf: CardFaceFixtures.faceFile))
        #expect(throws: CardFaceError.unreadablePhoto(problem: "it is empty")) { try CardArtwork.card(face) }
    }
}
