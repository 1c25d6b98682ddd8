// registry-bench: generates a registry of N holders with years of history and measures its size, lookups by card
// serial and by ID number (p50/p99), and the sweeps of several consecutive days; with --compare, the same days are
// swept in a second (smaller) registry in turns, and the ratio of the cost per permit swept is printed. Not a test:
// figures go to docs/BENCHMARKS.md.
//
//   swift build -c release --product registry-bench
//   .build/release/registry-bench --holders 1000000 --db /tmp/bench-1m.sqlite
//   .build/release/registry-bench --holders 10000000 --db /tmp/bench-10m.sqlite --compare /tmp/bench-1m.sqlite
import CardProfiles
import Foundation
import Lifecycle
import Registry
import SeededRandom

struct Options {
    var holders = 1_000_000
    var db = "/tmp/registry-bench.sqlite"
    var lookups = 20_000
    var profile = "zhejiang"
    /// Keep an existing generated file (from an earlier run with the same --holders and --profile).
    var reuse = false
    var batch = 2000
    /// Consecutive days swept, from 2026-06-01.
    var days = 5
    /// Another generated registry whose sweeps of the same days are timed in turns with this one's.
    var compare: String?

    init(_ args: [String]) {
        var it = args.dropFirst().makeIterator()
        while let flag = it.next() {
            guard let value = it.next() else { fail("\(flag) needs a value") }
            switch flag {
            case "--holders": holders = number(value, flag)
            case "--db": db = value
            case "--lookups": lookups = number(value, flag)
            case "--profile": profile = value
            case "--reuse": reuse = value == "yes"
            case "--batch": batch = number(value, flag)
            case "--days": days = number(value, flag)
            case "--compare": compare = value
            default: fail("unknown option \(flag); use --holders N --db PATH --lookups N --profile NAME --reuse yes|no --batch N --days N --compare PATH")
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
func median(_ values: [Double]) -> Double { percentile(values.sorted(), 0.5) }

let options = Options(CommandLine.arguments)
let policy: RegionPolicy
do {
    policy = try ProfileLibrary().load(options.profile).policy
} catch {
    fail("\(error)")
}
let sweepDay = CalendarDate(iso: "2026-06-01")!
/// The registry's calendar stopped on the last day swept: a benchmark's test clock (said below), so its sweeps are not of days to come.
let benchCalendar = try StationCalendar(timeZoneIdentifier: policy.timeZone, clock: .test(day: sweepDay.adding(days: options.days - 1)))
print(benchCalendar.clock.testNotice!)
let clock = ContinuousClock()
print("registry-bench: \(options.holders) holders (\(options.profile)), lives from 2017 to \(sweepDay.adding(days: -1)), file \(options.db)")
if options.reuse && FileManager.default.fileExists(atPath: options.db) {
    print("generation: reusing the existing file")
} else {
    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: options.db + suffix) }
    let generator = Generator(path: options.db, holders: options.holders, sweepDay: sweepDay, policy: policy, profile: options.profile)
    var counts = Generator.Counts()
    let generation = try clock.measure {
        counts = try generator.run { done in FileHandle.standardError.write(Data("\rgenerated \(done)/\(options.holders) holders".utf8)) }
    }
    FileHandle.standardError.write(Data("\n".utf8))
    print(String(format: "generation: %.1f s", seconds(generation)))
    print("generated endorsements by class: " + EndorsementClass.allCases.compactMap { c in counts.endorsements[c].map { "\(c.rawValue) \($0)" } }.joined(separator: ", "))
    print("permits by status on \(sweepDay.adding(days: -1)): " + PermitStatus.allCases.compactMap { s in counts.statuses[s].map { "\(s.rawValue) \($0)" } }.joined(separator: ", "))
}
let composition = try RegistryComposition(path: options.db)
print(composition.report)

// Lookups on the generated file, sweeps on a copy (PATH.sweep), so the file can be measured again with --reuse yes.
func sweepCopy(of path: String) throws -> Registry {
    let copy = path + ".sweep"
    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: copy + suffix) }
    try FileManager.default.copyItem(atPath: path, toPath: copy)
    return try Registry(path: copy, station: "bench", policies: [options.profile: policy], calendar: benchCalendar)
}
let swept = try sweepCopy(of: options.db)
let peer = try options.compare.map { path in
    guard FileManager.default.fileExists(atPath: path) else { fail("--compare: \(path) does not exist; generate it first") }
    return try sweepCopy(of: path)
}
sync()   // let the kernel write the files out before anything is timed

let registry = try Registry(path: options.db, station: "bench", policies: [options.profile: policy], calendar: benchCalendar)
func measureLookups(_ name: String, range: Int, _ body: (Int) throws -> Bool) throws {
    var random = SeededGenerator(seed: 7)
    for _ in 0..<1000 { _ = try body(Int(random.next() % UInt64(range))) }   // warm-up
    var times: [Double] = []
    times.reserveCapacity(options.lookups)
    for _ in 0..<options.lookups {
        let n = Int(random.next() % UInt64(range))
        var found = false
        let t = try clock.measure { found = try body(n) }
        guard found else { fail("\(name): \(n) not found") }
        times.append(seconds(t) * 1000)
    }
    times.sort()
    print(String(format: "lookup by %@: p50 %.3f ms, p99 %.3f ms, max %.3f ms (%d lookups)", name, percentile(times, 0.5), percentile(times, 0.99), times.last!, options.lookups))
}
try measureLookups("card serial", range: composition.cards) { try registry.lookup(serial: Generator.serial(Int64($0 + 1))) != nil }
try measureLookups("ID number", range: composition.holders) { try !registry.permits(idNumber: Generator.idNumber($0)).isEmpty }

/// One day's sweep of `registry`: wall and CPU seconds, and what it did.
func sweep(_ registry: Registry, _ day: CalendarDate) throws -> (wall: Double, cpu: Double, summary: SweepSummary) {
    let pending = try registry.due(through: day, limit: 0).count
    var summary = SweepSummary()
    let cpuBefore = cpuSeconds()
    let wall = try clock.measure { summary = try registry.sweep(through: day, batchSize: options.batch) }
    guard summary.permits == pending else { fail("\(day): \(pending) permits due, swept \(summary.permits)") }
    return (seconds(wall), cpuSeconds() - cpuBefore, summary)
}

var ratios: [Double] = [], cpuRatios: [Double] = []
for k in 0..<options.days {
    let day = sweepDay.adding(days: k)
    let mine = try sweep(swept, day)
    let s = mine.summary
    print(String(format: "sweep of %@: %.3f s (CPU %.3f s) for %d permits, %.3f ms per permit (%d status changes: %d windows opened, %d suspended, %d due for cancellation, %d points lapses) in %d batches",
                 day.description, mine.wall, mine.cpu, s.permits, 1000 * mine.wall / Double(max(1, s.permits)), s.transitions, s.windowsOpened,
                 s.suspensions, s.cancellationsDue, s.pointsLapses, s.batches))
    if let peer {
        let theirs = try sweep(peer, day)
        let perPermit = (mine.wall / Double(max(1, s.permits))) / (theirs.wall / Double(max(1, theirs.summary.permits)))
        let perPermitCPU = (mine.cpu / Double(max(1, s.permits))) / (theirs.cpu / Double(max(1, theirs.summary.permits)))
        ratios.append(perPermit)
        cpuRatios.append(perPermitCPU)
        print(String(format: "  peer %@ same day: %.3f s (CPU %.3f s) for %d permits; cost per permit swept, this ÷ peer: wall %.2f, CPU %.2f",
                     options.compare!, theirs.wall, theirs.cpu, theirs.summary.permits, perPermit, perPermitCPU))
    }
}
if !ratios.isEmpty {
    print(String(format: "cost per permit swept, this ÷ peer, over %d paired days: median wall %.2f (%.2f-%.2f), median CPU %.2f (%.2f-%.2f)",
                 ratios.count, median(ratios), ratios.min()!, ratios.max()!, median(cpuRatios), cpuRatios.min()!, cpuRatios.max()!))
}
let again = try clock.measure { _ = try swept.sweep(through: sweepDay.adding(days: options.days - 1)) }
print(String(format: "second sweep of the last day: %.3f s, %d permits due", seconds(again), try swept.due(through: sweepDay.adding(days: options.days - 1), limit: 0).count))
