import Foundation

/// One client measured in turns with the others: `run` performs one turn and returns its sample.
struct Contender {
    let name: String
    let run: () async throws -> Sample
}

/// Every contender's samples, one per round. The machine's speed drifts within seconds, so the
/// contenders take turns: each round runs every one once, in an order rotated per round, and every
/// comparison divides two samples of the same round.
struct Turns {
    let names: [String]
    private(set) var samples: [String: [Sample]] = [:]

    static func run(_ contenders: [Contender], rounds: Int, progress: (String) -> Void = { _ in }) async throws -> Turns {
        var turns = Turns(names: contenders.map(\.name))
        for round in 0..<rounds {
            for turn in contenders.indices {
                let contender = contenders[(turn + round) % contenders.count]
                let sample = try await contender.run()
                progress("round \(round + 1)/\(rounds): \(contender.name): \(String(format: "%.1f", sample.median_us)) µs")
                turns.samples[contender.name, default: []].append(sample)
            }
        }
        return turns
    }

    /// `name`'s `value` divided by `reference`'s, round by round.
    func ratios(_ name: String, to reference: String, of value: (Sample) -> Double?) -> [Double] {
        zip(samples[name] ?? [], samples[reference] ?? []).compactMap { mine, theirs in
            guard let mine = value(mine), let theirs = value(theirs), theirs > 0 else { return nil }
            return mine / theirs
        }
    }

    /// "1.23× (1.01–1.45)": the median of the rounds' ratios, with the lowest and the highest.
    func ratio(_ name: String, to reference: String, of value: (Sample) -> Double? = { $0.median_us }) -> String {
        let ratios = ratios(name, to: reference, of: value)
        guard !ratios.isEmpty else { return "n/a" }
        return String(format: "%.2f× (%.2f–%.2f)", Self.median(ratios), ratios.min()!, ratios.max()!)
    }

    /// The median over rounds of a figure, or "n/a".
    func median(_ name: String, _ value: (Sample) -> Double?, format: String = "%.1f") -> String {
        let values = (samples[name] ?? []).compactMap(value)
        return values.isEmpty ? "n/a" : String(format: format, Self.median(values))
    }

    /// The lowest and highest over rounds of a figure: "12.3–14.5".
    func range(_ name: String, _ value: (Sample) -> Double?, format: String = "%.1f") -> String {
        let values = (samples[name] ?? []).compactMap(value)
        guard let low = values.min(), let high = values.max() else { return "n/a" }
        return String(format: "\(format)–\(format)", low, high)
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }
}

/// A Markdown table.
func table(_ header: [String], _ rows: [[String]]) -> String {
    let lines = [header, header.map { _ in "---" }] + rows
    return lines.map { "| " + $0.joined(separator: " | ") + " |" }.joined(separator: "\n")
}
