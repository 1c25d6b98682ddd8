import CardFace
import CardFaceFixtures
import CardPrinter
import Foundation
import PrintSandbox
import Testing
import TestPrograms

/// Printing through a real CUPS: a private cupsd with cups-pdf queues; what the queue wrote is read back
/// with poppler (text and pixels), and every way a print fails is reported as its own `PrintFailure`.
@Suite(.serialized) struct CUPSPrintingTests {
    /// One server for the whole test process: "CardPDF" prints, "Jammed" fails every job, "Paused" is stopped by a test.
    static let sandbox = Task { () throws -> PrintSandbox in
        let sandbox = try await PrintSandbox(directory: ScratchDirectory.make("cups"))
        try await sandbox.addPDFQueue("CardPDF")
        try await sandbox.addPDFQueue("Jammed", failing: true)
        try await sandbox.addPDFQueue("Paused")
        return sandbox
    }

    func printer(_ queue: String) async throws -> (CardPrinter, PrintSandbox) {
        let sandbox = try await Self.sandbox.value
        return (CardPrinter(queue: queue, server: sandbox.server, jobTimeout: .seconds(30)), sandbox)
    }

    @Test func cardFacePrintsAndReadsBack() async throws {
        let (printer, sandbox) = try await printer("CardPDF")
        let artwork = try CardArtwork.card(CardFaceFixtures.face())
        let receipt = try await printer.print(pdf: artwork.pdf(), title: artwork.title)
        let output = try #require(sandbox.output(ofJob: receipt.jobID), "no PDF for job \(receipt.jobID):\n\(sandbox.logTail())")

        let info = try await TestProgram.run("/usr/bin/pdfinfo", [output.path]).output
        #expect(info.contains("Pages:           2"), "\(info)")
        try PrintedFields.expectSampleCard(in: try await TestProgram.run("/usr/bin/pdftotext", [output.path, "-"]).output)
        try await expectPages(of: output, look: ["front", "back"])
    }

    @Test func stampPrintsAndReadsBack() async throws {
        let (printer, sandbox) = try await printer("CardPDF")
        let artwork = try CardArtwork.stamp(CardFaceFixtures.stamp())
        let receipt = try await printer.print(pdf: artwork.pdf(), title: artwork.title)
        let output = try #require(sandbox.output(ofJob: receipt.jobID), "no PDF for job \(receipt.jobID):\n\(sandbox.logTail())")
        let text = try await TestProgram.run("/usr/bin/pdftotext", [output.path, "-"]).output.filter { !$0.isWhitespace }
        for field in ["2027.03.01-2028.03.01", "杭州市公安局上城区分局湖滨派出所自助签注机", "2027年2月20日"] {
            #expect(text.contains(field), "\(field) not in \(text)")
        }
        try await expectPages(of: output, look: ["stamp"])
    }

    @Test func stoppedQueueIsRefusedThenReprintSucceeds() async throws {
        let (printer, sandbox) = try await printer("Paused")
        try await sandbox.stopQueue("Paused", reason: "out of cards")
        let pdf = try CardArtwork.stamp(CardFaceFixtures.stamp()).pdf()
        await #expect {
            try await printer.print(pdf: pdf, title: "stamp")
        } throws: { error in
            guard case .queueStopped(queue: "Paused", let reasons, let message) = error as? PrintFailure else { return false }
            let sentence = (error as! PrintFailure).description
            return reasons.contains(.pausedByOperator) && message == "out of cards"
                && sentence.contains("cupsenable Paused") && sentence.contains("out of cards") && !sentence.contains("PrintFailure")
        }
        let jobs = try await TestProgram.run("/usr/bin/lpstat", ["-o", "Paused"], environment: ["CUPS_SERVER": sandbox.server])
        #expect(jobs.output.isEmpty, "a job was queued on the stopped printer: \(jobs.output)")

        try await sandbox.startQueue("Paused")
        let receipt = try await printer.print(pdf: pdf, title: "stamp")
        #expect(sandbox.output(ofJob: receipt.jobID) != nil)
    }

    @Test func missingQueueIsNamed() async throws {
        let (printer, _) = try await printer("NoSuchPrinter")
        await #expect(throws: PrintFailure.queueMissing(queue: "NoSuchPrinter")) {
            try await printer.print(pdf: CardArtwork.stamp(CardFaceFixtures.stamp()).pdf(), title: "stamp")
        }
        await #expect(throws: PrintFailure.queueMissing(queue: "NoSuchPrinter")) { try await printer.status() }
    }

    @Test func failedJobIsCancelledAndReported() async throws {
        let (printer, sandbox) = try await printer("Jammed")
        await #expect {
            try await printer.print(pdf: CardArtwork.stamp(CardFaceFixtures.stamp()).pdf(), title: "stamp")
        } throws: { error in
            guard case .jobFailed(queue: "Jammed", _, _, _) = error as? PrintFailure else { return false }
            return (error as! PrintFailure).description.contains("was cancelled")
        }
        let jobs = try await TestProgram.run("/usr/bin/lpstat", ["-o", "Jammed"], environment: ["CUPS_SERVER": sandbox.server])
        #expect(jobs.output.isEmpty, "the failed job is still queued and could print later: \(jobs.output)")
    }

    @Test func unreachableServerIsNamed() async throws {
        let socket = ScratchDirectory.make("no-cups").appendingPathComponent("cups.sock").path
        let printer = CardPrinter(queue: "CardPDF", server: socket)
        await #expect(throws: PrintFailure.serverUnreachable(server: socket)) { try await printer.status() }
    }

    /// Each page of `pdf`, rasterised by pdftoppm at 300 dpi, against its reference image. The queue's
    /// PostScript step set the card on a portrait page (turned back here), re-hinted the glyphs and
    /// rounded the page to whole points, moving edges by up to 2 pixels: compared within 2 pixels
    /// (CardFaceTests shows a missing field still fails there).
    private func expectPages(of pdf: URL, look references: [String]) async throws {
        for (index, name) in references.enumerated() {
            let prefix = ScratchDirectory.file("printed-\(name)")
            let run = try await TestProgram.run("/usr/bin/pdftoppm", ["-r", "300", "-png", "-singlefile", "-f", "\(index + 1)", "-l", "\(index + 1)", pdf.path, prefix])
            #expect(run.status == 0, "\(run.errors)")
            let difference = try RasterImage(file: URL(fileURLWithPath: prefix + ".png")).landscape()
                .difference(from: RasterImage(file: CardFaceFixtures.reference(name)), radius: 2)
            #expect(difference.isWithin(), "printed \(name) (\(prefix).png): \(difference)")
        }
    }
}
