import CardFace
import CardFaceFixtures
import Foundation
import Testing
import TestPrograms

/// The sample card's pages against the committed reference images, and its PDF read back with poppler.
@Suite struct RenderingTests {
    static let pages = [("front", 0), ("back", 1)]

    @Test func pagesMatchTheReferenceImages() throws {
        let card = try CardArtwork.card(CardFaceFixtures.face())
        let stamp = try CardArtwork.stamp(CardFaceFixtures.stamp())
        for (name, artwork, page) in [("front", card, 0), ("back", card, 1), ("stamp", stamp, 0)] {
            let png = try artwork.png(page: page)
            let image = try RasterImage(png: png)
            #expect((image.width, image.height) == (1011, 638))
            if CardFaceFixtures.updatingReferences {
                try Data(png).write(to: CardFaceFixtures.reference(name))
                continue
            }
            let difference = image.difference(from: try RasterImage(file: CardFaceFixtures.reference(name)))
            #expect(difference.differingPixels == 0, "\(name): \(difference)")
        }
    }

    @Test func aChangedOrMissingFieldIsCaughtByTheComparison() throws {
        let reference = try RasterImage(file: CardFaceFixtures.reference("front"))
        var renamed = try CardFaceFixtures.face()
        renamed.name = "李娜"
        let difference = try RasterImage(png: CardArtwork.card(renamed).png(page: 0)).difference(from: reference)
        #expect(!difference.isWithin(), "\(difference)")
        // Within 2 pixels, as the PDFs a queue printed are compared (where pdftotext checks the values).
        var unnamed = try CardFaceFixtures.face()
        unnamed.latinName = nil
        let loose = try RasterImage(png: CardArtwork.card(unnamed).png(page: 0)).difference(from: reference, radius: 2)
        #expect(!loose.isWithin(), "\(loose)")
    }

    @Test func pngRecords300DPI() throws {
        let png = try CardArtwork.card(CardFaceFixtures.face()).png(page: 1)
        let chunk = Array("pHYs".utf8)
        let at = try #require((0..<png.count - 13).first { Array(png[$0..<$0 + 4]) == chunk })
        #expect(Array(png[at + 4..<at + 13]) == [0, 0, 0x2E, 0x23, 0, 0, 0x2E, 0x23, 1])   // 11811 px/m = 300 dpi
        #expect(at == 8 + 25 + 4, "pHYs follows IHDR")
    }

    @Test func pdfHoldsTwoID1PagesWithEveryFieldReadable() async throws {
        let pdf = try scratchPDF(CardArtwork.card(CardFaceFixtures.face()).pdf())
        let info = try await TestProgram.run("/usr/bin/pdfinfo", [pdf])
        #expect(info.output.contains("Pages:           2"))
        #expect(info.output.contains("Page size:       242.646 x 153.014 pts") || info.output.contains("Page size:       242.65 x 153.01 pts"), "\(info.output)")
        let text = try await TestProgram.run("/usr/bin/pdftotext", [pdf, "-"]).output
        try PrintedFields.expectSampleCard(in: text)
        let fonts = try await TestProgram.run("/usr/bin/pdffonts", [pdf]).output
        for family in ["NotoSansCJKsc", "NotoSerifCJKsc", "NotoSansMonoCJKsc"] {
            #expect(fonts.split(separator: "\n").contains { $0.contains(family) && $0.contains(" yes ") }, "\(family) not embedded:\n\(fonts)")
        }
    }

    @Test func pdfRasterisedByPopplerLooksLikeThePNG() async throws {
        let pdf = try scratchPDF(CardArtwork.card(CardFaceFixtures.face()).pdf())
        for (name, page) in Self.pages {
            let prefix = ScratchDirectory.file("poppler")
            let run = try await TestProgram.run("/usr/bin/pdftoppm", ["-r", "300", "-png", "-singlefile", "-f", "\(page + 1)", "-l", "\(page + 1)", pdf, prefix])
            #expect(run.status == 0, "\(run.errors)")
            let difference = try RasterImage(file: URL(fileURLWithPath: prefix + ".png"))
                .difference(from: RasterImage(file: CardFaceFixtures.reference(name)))
            #expect(difference.isWithin(), "\(name): \(difference)")
        }
    }

    @Test func qrCodeScansWithZbar() async throws {
        let path = ScratchDirectory.file("back", suffix: ".png")
        try Data(CardArtwork.card(CardFaceFixtures.face()).png(page: 1)).write(to: URL(fileURLWithPath: path))
        let scan = try await TestProgram.run("/usr/bin/zbarimg", ["--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", path])
        let text = scan.output.trimmingCharacters(in: .newlines)
        #expect(text == "JZZ1:5A4A000000000001:330102202600001", "zbarimg: \(scan.output) \(scan.errors)")
        #expect(CardCode(scanned: text) == CardCode(cardSerial: "5A4A000000000001", permitNumber: "330102202600001"))
        #expect(CardCode(scanned: "JZZ1:5A4A:330102202600001") == nil)
        #expect(CardCode(scanned: "https://example.org") == nil)
    }

    @Test func aPNGPhotoPrintsLikeTheJPEGOne() throws {
        var face = try CardFaceFixtures.face()
        face.photo = try Data(contentsOf: CardFaceFixtures.photoPNG)
        let difference = try RasterImage(png: CardArtwork.card(face).png(page: 0))
            .difference(from: RasterImage(file: CardFaceFixtures.reference("front")))
        #expect(difference.isWithin(fraction: 0.005), "\(difference)")
    }

    private func scratchPDF(_ bytes: [UInt8]) throws -> String {
        let path = ScratchDirectory.file("card", suffix: ".pdf")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }
}
