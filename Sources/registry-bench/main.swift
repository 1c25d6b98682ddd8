// registry-bench: generates a registry of N permits and measures size per permit, lookups by card
// serial and by ID number (p50/p99), and one day's sweep. Not a test: figures go to docs/BENCHMARKS.md.
//
//   swift build -c release --product registry-bench
//   .build/release/registry-bench --permits 10000000 --due 30000 --db /tmp/bench-10m.sqlite
import CardProfiles
import Foundation
import Lifecycle
import Registry
import SeededRandom

struct Options {
    var permits = 1_000_000
    var due: Int?
    var db = "/tmp/registry-bench.sqlite"
    var lookups = 20_000
    var profile = "zhejiang"
    /// Keep an existing generated file (from an earlier run with the same --permits and --due).
    var reuse = false
    var batch = 2000

    init(_ args: [String]) {
        var it = args.dropFirst().makeIterator()
        while let flag = it.next() {
            guard let value = it.next() else { fail("\(flag) needs a value") }
            switch flag {
            case "--permits": permits = number(value, flag)
            case "--due": due = number(value, flag)
            case "--db": db = value
            case "--lookups": lookups = number(value, flag)
            case "--profile": profile = value
            case "--reuse": reuse = value == "yes"
            case "--batch": batch = number(value, flag)
            default: fail("unknown option \(flag); use --permits N --due N --db PATH --lookups N --profile NAME --reuse yes|no --batch N")
            }
        }
    }
}

func number(_ text: String, _ flag: String) -> Int {
    guard let n = Int(text), n > 0 else { fail("\(flag): \(text) is not a positive number") }
    return n
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("registry-bench: \(message)\n".utf8))
    exit(2)
}

func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }

/// CPU time of this process (all threads), less sensitive than wall time to other load on a shared machine.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

func percentile(_ sorted: [Double], _ p: Double) -> Double { sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }

let options = Options(CommandLine.arguments)
let due = options.due ?? options.permits * 3 / 1000
let policy: RegionPolicy
do {
    policy = try ProfileLibrary().load(options.profile).policy
} catch {
    fail("\(error)")
}
let sweepDay = CalendarDate(iso: "2026-06-01")!
let clock = ContinuousClock()
print("registry-bench: \(options.permits) permits, \(due) due on \(sweepDay), file \(options.db)")
if options.reuse && FileManager.default.fileExists(atPath: options.db) {
    print("generation: reusing the existing file")
} else {
    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: options.db + suffix) }
    let generator = Generator(path: options.db, permits: options.permits, due: due, sweepDay: sweepDay, policy: policy, profile: options.profile)
    let generation = try clock.measure {
        try generator.run { done in FileHandle.standardError.write(Data("\rgenerated \(done)/\(options.permits)".utf8)) }
    }
    FileHandle.standardError.write(Data("\n".utf8))
    print(String(format: "generation: %.1f s", seconds(generation)))
}
let bytes = ["", "-wal"].compactMap { try? FileManager.default.attributesOfItem(atPath: options.db + $0)[.size] as? Int }.reduce(0, +)
print(String(format: "file %.1f MiB, %.0f bytes per permit", Double(bytes) / 1_048_576, Double(bytes) / Double(options.permits)))
// The sweep runs on a copy, so the generated file stays unswept and can be measured again with --reuse yes.
let sweepPath = options.db + ".sweep"
for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: sweepPath + suffix) }
try FileManager.default.copyItem(atPath: options.db, toPath: sweepPath)

sync()   // let the kernel write the generated file out before anything is timed
let registry = try Registry(path: options.db, station: "bench", policies: [options.profile: policy], clock: { "2026-06-01T00:00:00Z" })
func measureLookups(_ name: String, _ body: (Int) throws -> Bool) throws {
    var random = SeededGenerator(seed: 7)
    for _ in 0..<1000 { _ = try body(Int(random.next() % UInt64(options.permits))) }   // warm-up
    var times: [Double] = []
    times.reserveCapacity(options.lookups)
    for _ in 0..<options.lookups {
        let n = Int(random.next() % UInt64(options.permits))
        var found = false
        let t = try clock.measure { found = try body(n) }
        guard found else { fail("\(name): person \(n) not found") }
        times.append(seconds(t) * 1000)
    }
    times.sort()
    print(String(format: "lookup by %@: p50 %.3f ms, p99 %.3f ms, max %.3f ms (%d lookups)", name, percentile(times, 0.5), percentile(times, 0.99), times.last!, options.lookups))
}
try measureLookups("card serial") { try registry.lookup(serial: Generator.serial($0)) != nil }
try measureLookups("ID number") { try !registry.permits(idNumber: Generator.idNumber($0)).isEmpty }

let swept = try Registry(path: sweepPath, station: "bench", policies: [options.profile: policy], clock: { "2026-06-01T00:00:00Z" })
let pending = try swept.due(through: sweepDay, limit: 0).count
var summary = SweepSummary()
let cpuBefore = cpuSeconds()
let sweep = try clock.measure { summary = try swept.sweep(through: sweepDay, batchSize: options.batch) }
let sweepCPU = cpuSeconds() - cpuBefore
guard summary.permits == due, pending == due else { fail("expected \(due) permits due, found \(pending), swept \(summary.permits)") }
print(String(format: "sweep of %@: %.3f s (CPU %.3f s) for %d permits (%d status changes: %d windows opened, %d suspended, %d cancelled, %d points lapses) in %d batches",
             sweepDay.description, seconds(sweep), sweepCPU, summary.permits, summary.transitions, summary.windowsOpened, summary.suspensions,
             summary.cancellations, summary.pointsLapses, summary.batches))
let again = try clock.measure { summary = try swept.sweep(through: sweepDay) }
print(String(format: "second sweep of the same day: %.3f s, %d status changes", seconds(again), summary.transitions))
