// Card face rendering time (docs/BENCHMARKS.md, "Card face"): the sample card's PDF (front and back) and
// its two 300 dpi PNGs, the stamp alone, and poppler's pdftoppm rasterising the same PDF as the peer.
// Usage: card-face-bench [ROUNDS]   (default 30; the median and the 95th percentile are shown)
import CardFace
import Foundation

let rounds = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 30
let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Tests/CardFaceFixtures")
let face = try {
    var face = try JSONDecoder().decode(CardFaceValues.self, from: Data(contentsOf: fixtures.appendingPathComponent("sample-face.json")))
    face.photo = try Data(contentsOf: fixtures.appendingPathComponent("photo.jpg"))
    return face
}()
let stamp = try JSONDecoder().decode(EndorsementStamp.self, from: Data(contentsOf: fixtures.appendingPathComponent("sample-stamp.json")))

func milliseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
}

/// CPU time of this process and its finished children, in ms: on a machine shared with other work the
/// wall clock measures the queue for the cores as much as the work.
func cpuMilliseconds() -> Double {
    var own = rusage(), children = rusage()
    getrusage(RUSAGE_SELF.rawValue, &own)
    getrusage(RUSAGE_CHILDREN.rawValue, &children)
    func ms(_ t: timeval) -> Double { Double(t.tv_sec) * 1000 + Double(t.tv_usec) / 1000 }
    return ms(own.ru_utime) + ms(own.ru_stime) + ms(children.ru_utime) + ms(children.ru_stime)
}

struct Timing {
    var median: Double, p95: Double, cpu: Double
}

/// Median and 95th percentile of `rounds` runs of wall-clock time, and the median CPU time, in ms.
@MainActor func measure(_ body: () throws -> Void) rethrows -> Timing {
    let clock = ContinuousClock()
    var times: [Double] = [], cpu: [Double] = []
    for _ in 0..<rounds {
        let before = cpuMilliseconds()
        times.append(milliseconds(try clock.measure(body)))
        cpu.append(cpuMilliseconds() - before)
    }
    times.sort()
    cpu.sort()
    return Timing(median: times[times.count / 2], p95: times[min(times.count - 1, Int((Double(times.count) * 0.95).rounded(.up)) - 1)],
                  cpu: cpu[cpu.count / 2])
}

@MainActor func cardPDFAndPNGs() throws {
    let artwork = try CardArtwork.card(face)
    _ = try artwork.pdf()
    _ = try artwork.png(page: 0)
    _ = try artwork.png(page: 1)
}

// The first render of a process loads fontconfig's cache and the Noto CJK faces.
let clock = ContinuousClock()
let first = milliseconds(try clock.measure(cardPDFAndPNGs))
let both = try measure(cardPDFAndPNGs)
let pdfOnly = try measure { _ = try CardArtwork.card(face).pdf() }
let pngOnly = try measure { _ = try CardArtwork.card(face).png(page: 0); _ = try CardArtwork.card(face).png(page: 1) }
let stampBoth = try measure { let art = try CardArtwork.stamp(stamp); _ = try art.pdf(); _ = try art.png() }

let directory = FileManager.default.temporaryDirectory.appendingPathComponent("card-face-bench-\(getpid())")
try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: directory) }
let pdfPath = directory.appendingPathComponent("card.pdf").path
try Data(CardArtwork.card(face).pdf()).write(to: URL(fileURLWithPath: pdfPath))
let poppler = try measure {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/pdftoppm")
    process.arguments = ["-r", "300", "-png", pdfPath, directory.appendingPathComponent("page").path]
    try process.run()
    process.waitUntilExit()
}

func row(_ what: String, _ time: Timing, _ note: String = "") -> String {
    "| \(what) | \(String(format: "%.1f", time.median)) | \(String(format: "%.1f", time.p95)) | \(String(format: "%.1f", time.cpu)) | \(note) |"
}
print("| what (sample card, \(rounds) rounds) | median ms | p95 ms | median CPU ms | note |")
print("|---|---|---|---|---|")
print("| card face PDF + 2 PNGs, first in the process | \(String(format: "%.1f", first)) | | | loads fontconfig and the Noto CJK faces |")
print(row("card face PDF + 2 PNGs (target < 300 ms)", both))
print(row("card face PDF (2 pages, fonts embedded)", pdfOnly))
print(row("card face 2 PNGs at 300 dpi", pngOnly))
print(row("endorsement stamp PDF + PNG", stampBoth))
print(row("peer: pdftoppm -r 300 -png, same PDF, 2 pages", poppler, "a process per run; rasterises only"))
