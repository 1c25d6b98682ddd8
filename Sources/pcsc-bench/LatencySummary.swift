import Foundation

/// Median and 99th percentile of one peer's per-APDU latencies in one round, in microseconds,
/// and the client process's CPU time per APDU over its loop (all its threads, spinning included).
struct LatencySummary {
    let count: Int
    let median: Double
    let p99: Double?
    let cpuPerAPDU: Double?

    init(samples: [Double], cpuPerAPDU: Double? = nil) {
        let sorted = samples.sorted()
        count = sorted.count
        median = sorted[sorted.count / 2]
        p99 = sorted.count >= 100 ? sorted[Int(Double(sorted.count) * 0.99)] : nil
        self.cpuPerAPDU = cpuPerAPDU
    }

    init(meanOnly mean: Double, count: Int, cpuPerAPDU: Double?) {
        self.count = count
        median = mean
        p99 = nil
        self.cpuPerAPDU = cpuPerAPDU
    }

    /// Reads the one-line JSON the C and Python peers print.
    init(json: String) throws {
        struct Line: Decodable { let n: Int; let median_us: Double; let p99_us: Double; let cpu_us_per_apdu: Double }
        let line = try JSONDecoder().decode(Line.self, from: Data(json.utf8))
        count = line.n
        median = line.median_us
        p99 = line.p99_us
        cpuPerAPDU = line.cpu_us_per_apdu
    }

    /// This process's CPU time so far, all threads, in microseconds.
    static func processCPUTime() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now)
        return Double(now.tv_sec) * 1e6 + Double(now.tv_nsec) / 1e3
    }
}

/// A peer's summaries, one per round.
struct PeerResult {
    let peer: String
    var rounds: [LatencySummary] = []

    /// A Markdown table: per peer the median over rounds of its round medians and p99s, and of its
    /// median divided by `baseline`'s in the same round, with the lowest and highest such ratio.
    static func table(_ results: [PeerResult], baseline: String) -> String {
        var lines = [
            "| peer | APDUs | median µs | p99 µs | median ÷ C loop: rounds' median (lowest–highest) | client CPU µs per APDU |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for result in results {
            let p99s = result.rounds.compactMap(\.p99)
            let p99 = p99s.isEmpty ? "n/a" : String(format: "%.1f", middle(p99s))
            let cpus = result.rounds.compactMap(\.cpuPerAPDU)
            let cpu = cpus.isEmpty ? "n/a" : String(format: "%.1f", middle(cpus))
            lines.append(
                "| \(result.peer) | \(result.rounds.map(\.count).reduce(0, +)) | \(String(format: "%.1f", middle(result.rounds.map(\.median)))) | \(p99) "
                    + "| \(result.ratioSummary(to: baseline, in: results)) | \(cpu) |")
        }
        return lines.joined(separator: "\n")
    }

    /// This peer's median divided by `baseline`'s, round by round.
    private func ratios(to baseline: String, in results: [PeerResult]) -> [Double] {
        let reference = results.first { $0.peer == baseline }?.rounds.map(\.median) ?? []
        return zip(rounds.map(\.median), reference).map { $0 / $1 }
    }

    /// "1.23× (1.01–1.45)": the rounds' median ratio, lowest and highest.
    func ratioSummary(to baseline: String, in results: [PeerResult]) -> String {
        let ratios = ratios(to: baseline, in: results)
        return String(format: "%.2f× (%.2f–%.2f)", Self.middle(ratios), ratios.min() ?? .nan, ratios.max() ?? .nan)
    }

    private static func middle(_ values: [Double]) -> Double {
        values.isEmpty ? .nan : values.sorted()[values.count / 2]
    }
}
