import Foundation

/// One peer's result for one turn, as every peer prints it (one JSON line): the time per operation
/// (an operation is the benchmark's APDUs, in order), the client process's CPU time per operation
/// (all its threads), and, for runs over several readers, the wall time of the whole run.
struct Sample: Codable {
    /// Operations timed.
    let n: Int
    /// Median time per operation, µs (for a batch: the mean).
    let median_us: Double
    /// 99th percentile, µs; nil for a batch or fewer than 100 operations.
    let p99_us: Double?
    /// The client process's CPU time per operation, µs; nil when the peer cannot tell.
    let cpu_us: Double?
    /// Seconds from the first operation's start to the last one's end (all readers).
    let wall_s: Double?

    init(n: Int, median: Double, p99: Double?, cpu: Double?, wall: Double? = nil) {
        (self.n, median_us, p99_us, cpu_us, wall_s) = (n, median, p99, cpu, wall)
    }

    /// From per-operation times in µs.
    init(samples: [Double], cpu: Double?, wall: Double? = nil) {
        let sorted = samples.sorted()
        self.init(n: sorted.count, median: sorted[sorted.count / 2],
                  p99: sorted.count >= 100 ? sorted[Int(Double(sorted.count) * 0.99)] : nil, cpu: cpu, wall: wall)
    }

    init(json: String) throws {
        self = try JSONDecoder().decode(Sample.self, from: Data(json.utf8))
    }

    var json: String { String(decoding: try! JSONEncoder().encode(self), as: UTF8.self) }

    /// Operations per second over the whole run.
    var throughput: Double? { wall_s.map { Double(n) / $0 } }

    /// This process's CPU time so far, all threads, in µs.
    static func processCPUTime() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now)
        return Double(now.tv_sec) * 1e6 + Double(now.tv_nsec) / 1e3
    }
}

extension Duration {
    var microseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1e6 + Double(attoseconds) / 1e12
    }
}
