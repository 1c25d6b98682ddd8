import Foundation

/// Median and 99th percentile of one peer's per-APDU latencies, in microseconds.
struct LatencySummary {
    let peer: String
    let count: Int
    let median: Double
    let p99: Double?

    init(peer: String, samples: [Double]) {
        let sorted = samples.sorted()
        self.peer = peer
        count = sorted.count
        median = sorted[sorted.count / 2]
        p99 = sorted.count >= 100 ? sorted[Int(Double(sorted.count) * 0.99)] : nil
    }

    init(peer: String, meanOnly mean: Double, count: Int) {
        self.peer = peer
        self.count = count
        median = mean
        p99 = nil
    }

    /// Reads the one-line JSON the C and Python peers print.
    init(peer: String, json: String) throws {
        struct Line: Decodable { let n: Int; let median_us: Double; let p99_us: Double }
        let line = try JSONDecoder().decode(Line.self, from: Data(json.utf8))
        self.peer = peer
        count = line.n
        median = line.median_us
        p99 = line.p99_us
    }

    /// A Markdown table with each peer's figures and its median relative to `baseline`'s.
    static func table(_ rows: [LatencySummary], baseline: String) -> String {
        let reference = rows.first { $0.peer == baseline }?.median ?? .nan
        var lines = ["| peer | APDUs | median µs | p99 µs | median ÷ C loop |", "|---|---:|---:|---:|---:|"]
        for row in rows {
            let p99 = row.p99.map { String(format: "%.1f", $0) } ?? "n/a"
            lines.append("| \(row.peer) | \(row.count) | \(String(format: "%.1f", row.median)) | \(p99) | \(String(format: "%.2f×", row.median / reference)) |")
        }
        return lines.joined(separator: "\n")
    }
}
