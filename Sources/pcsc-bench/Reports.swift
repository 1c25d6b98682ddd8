import Foundation
import Synchronization

/// The tables `pcsc-bench` prints: medians over rounds, and ratios taken round by round.
extension Turns {
    /// Per contender: operations, median and p99 per operation, the ratios to `reference` and `peer`,
    /// and the client's CPU time per operation.
    func comparison(reference: String, peer: String, unit: String) -> String {
        table(
            ["contender", "operations", "median \(unit)", "p99", "÷ \(reference), rounds' median (lowest–highest)", "÷ \(peer)", "client CPU µs per operation"],
            names.map { name in
                [name, String((samples[name] ?? []).map(\.n).reduce(0, +)), median(name, { $0.median_us }), median(name, \.p99_us),
                 ratio(name, to: reference), ratio(name, to: peer), median(name, \.cpu_us)]
            })
    }

    /// Each of this build's Swift rows divided by the baseline build's row of the same name, round by round.
    func buildComparison(_ builds: [(name: String, program: String)], of value: @escaping (Sample) -> Double? = { $0.median_us }, what: String = "median time") -> String {
        guard builds.count == 2 else { return "" }
        let (mine, theirs) = (builds[0].name + ", ", builds[1].name + ", ")
        let rows = names.filter { $0.hasPrefix(mine) }.map { name -> [String] in
            let twin = theirs + name.dropFirst(mine.count)
            return [String(name.dropFirst(mine.count)), ratio(name, to: twin, of: value), ratio(name, to: twin, of: \.cpu_us)]
        }
        return "\n" + table(["Swift path", "\(what), this build ÷ baseline (lowest–highest)", "client CPU per operation, this build ÷ baseline"], rows)
    }

    /// Per contender: operations per second over all its readers, time per operation, CPU per
    /// operation, and its throughput divided by the same contender's with one reader.
    func throughput(readers: Int) -> String {
        table(
            ["contender", "operations per s", "median ms per operation", "p99 ms", "client CPU µs per operation", "throughput ÷ one reader's"],
            names.map { name in
                let single = name.replacingOccurrences(of: "\(readers) readers", with: "1 reader")
                    .replacingOccurrences(of: "\(readers) processes", with: "1 process")
                return [name, median(name, \.throughput), median(name, { $0.median_us / 1000 }, format: "%.2f"),
                        median(name, { $0.p99_us.map { $0 / 1000 } }, format: "%.2f"), median(name, \.cpu_us),
                        single == name ? "" : ratio(name, to: single, of: \.throughput)]
            })
    }
}

extension Peers {
    /// One C loop per reader, each its own process, all at once for `seconds`: what the machine does
    /// with no client process shared. Throughput is the sum of the processes' own rates.
    func cLoops(readers: [String], seconds: Double, apdus: [String]) throws -> Sample {
        let results = Mutex<[Result<Sample, any Error>]>([])
        let group = DispatchGroup()
        for reader in readers {
            group.enter()
            Thread {
                let result = Result { try Sample(json: Self.output(of: cLoopBinary, [reader, "\(seconds)s"] + apdus, socket: socket)) }
                results.withLock { $0.append(result) }
                group.leave()
            }.start()
        }
        group.wait()
        let samples = try results.withLock { $0 }.map { try $0.get() }
        let count = samples.map(\.n).reduce(0, +)
        let rate = samples.compactMap(\.throughput).reduce(0, +)
        let cpuTotal: Double = samples.reduce(0) { total, sample in total + (sample.cpu_us ?? 0) * Double(sample.n) }
        return Sample(n: count, median: Turns.median(samples.map(\.median_us)), p99: samples.compactMap(\.p99_us).max(),
                      cpu: cpuTotal / Double(count), wall: Double(count) / rate)
    }
}
