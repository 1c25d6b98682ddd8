import CardFaceFixtures
import Foundation
import Testing
import TestPrograms

/// `permit print face|stamp` as an officer runs it, against the private cupsd of `CUPSPrintingTests`.
@Suite(.serialized) struct PrintCommandTests {
    let photo = CardFaceFixtures.photoJPEG.path

    @Test func faceFromAFaceFileIsPrinted() async throws {
        let sandbox = try await CUPSPrintingTests.sandbox.value
        let run = try await TestProgram.permit([
            "print", "face", "--values", CardFaceFixtures.faceFile.path, "--photo", photo,
            "--printer", "CardPDF", "--cups-server", sandbox.server, "--json",
        ])
        #expect(run.status == 0, "\(run.errors)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: String])
        #expect(report["printed"] == "true" && report["queue"] == "CardPDF")
        let job = try #require(Int(report["job"] ?? ""))
        let output = try #require(sandbox.output(ofJob: job))
        try PrintedFields.expectSampleCard(in: try await TestProgram.run("/usr/bin/pdftotext", [output.path, "-"]).output)
    }

    @Test func faceFromAnApplicationFileIsWrittenAsPDFAndPNG() async throws {
        let directory = ScratchDirectory.make("print-cli")
        let application = directory.appendingPathComponent("application.json")
        try """
            {"holder": {"name": "张伟", "latinName": "ZHANG WEI", "sex": "1", "birthDate": "1990-05-17", "ethnicGroup": "01",
              "citizenID": "110105199005171233", "householdAddress": "北京市东城区景山前街4号", "permitNumber": "330102202600001",
              "issuingAuthority": "杭州市公安局上城区分局", "authorityStation": "330102000001"},
             "address": {"district": "330102", "text": "浙江省杭州市上城区解放路100号3单元502室", "since": "2025-09-01"},
             "issued": "2026-03-01"}
            """.write(to: application, atomically: true, encoding: .utf8)
        let pdf = directory.appendingPathComponent("card.pdf").path, png = directory.appendingPathComponent("card").path
        let run = try await TestProgram.permit([
            "print", "face", "--application", application.path, "--serial", "5A4A000000000001", "--expiry", "2027-03-01",
            "--photo", photo, "--station-name", "杭州市公安局上城区分局湖滨派出所", "--pdf", pdf, "--png", png,
        ])
        #expect(run.status == 0, "\(run.errors)")
        #expect(run.output.contains("card-1.png") && run.output.contains("card-2.png"))
        // The same values as the sample face file: the same pages as the references.
        for (index, name) in ["front", "back"].enumerated() {
            let difference = try RasterImage(file: URL(fileURLWithPath: "\(png)-\(index + 1).png"))
                .difference(from: RasterImage(file: CardFaceFixtures.reference(name)))
            #expect(difference.differingPixels == 0, "\(name): \(difference)")
        }
        try PrintedFields.expectSampleCard(in: try await TestProgram.run("/usr/bin/pdftotext", [pdf, "-"]).output)
    }

    @Test func aMissingQueueIsOneSentenceAndStatus1() async throws {
        let sandbox = try await CUPSPrintingTests.sandbox.value
        let run = try await TestProgram.permit([
            "print", "stamp", "--anchor", "2027-03-01", "--expiry", "2028-03-01", "--station", "湖滨派出所", "--endorsed-on", "2027-02-20",
            "--printer", "CardPrinter2", "--cups-server", sandbox.server,
        ])
        #expect(run.status == 1)
        #expect(run.errors.contains("There is no printer queue named \"CardPrinter2\" on this station"), "\(run.errors)")
        #expect(run.errors.split(separator: "\n").count == 1 && !run.errors.contains("USAGE") && !run.errors.contains("PrintFailure"), "\(run.errors)")
    }

    @Test func badInputIsNamed() async throws {
        let notAPhoto = ScratchDirectory.file("photo", suffix: ".jpg")
        try "not a photo".write(toFile: notAPhoto, atomically: true, encoding: .utf8)
        let pdf = ScratchDirectory.file("card", suffix: ".pdf")
        let badPhoto = try await TestProgram.permit(["print", "face", "--values", CardFaceFixtures.faceFile.path, "--photo", notAPhoto, "--pdf", pdf])
        #expect(badPhoto.status == 1)
        #expect(badPhoto.errors.contains("The holder's photo cannot be printed: it is neither a JPEG nor a PNG image"), "\(badPhoto.errors)")
        #expect(!FileManager.default.fileExists(atPath: pdf), "nothing is written when the card cannot render")

        let noPhoto = try await TestProgram.permit(["print", "face", "--values", CardFaceFixtures.faceFile.path, "--pdf", pdf])
        #expect(noPhoto.status == 1)
        #expect(noPhoto.errors.contains("photo") && noPhoto.errors.contains("empty"), "\(noPhoto.errors)")

        let noDestination = try await TestProgram.permit(["print", "stamp", "--values", CardFaceFixtures.stampFile.path])
        #expect(noDestination.status == 64)
        #expect(noDestination.errors.contains("--printer QUEUE, --pdf FILE or --png PREFIX"), "\(noDestination.errors)")
    }
}
