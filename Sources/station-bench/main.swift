// station-bench: the CPU an idle permitd costs while it watches readers, each holding a reference card, on a
// private pcscd; pcscd's own CPU and the emulated cards' in the same window are the peers.
// Usage: station-bench [SECONDS [DEVICES]] (default 60 s, 8 devices = 16 readers). Figures: docs/BENCHMARKS.md.
import CardEmulator
import Foundation
import PCSCSandbox

let seconds = CommandLine.arguments.dropFirst().first.flatMap(Double.init) ?? 60
/// Virtual reader devices (two readers each): 8 gives pcsc-lite's most, 16 readers.
let devices = CommandLine.arguments.dropFirst(2).first.flatMap(Int.init) ?? 8
let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))

/// User + system CPU ticks of a process so far (/proc/PID/stat fields 14 and 15).
func cpuTicks(_ pid: Int32) -> Double? {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = text.lastIndex(of: ")") else { return nil }
    let fields = text[text.index(after: close)...].split(separator: " ")
    guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
    return user + system
}

/// The pid of the sandbox's pcscd: the process whose command line runs pcscd with a config under `directory`.
func pcscdPID(under directory: String) -> Int32? {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    for entry in entries {
        guard let pid = Int32(entry), let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { continue }
        let arguments = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
        if arguments.first == "/usr/sbin/pcscd", arguments.contains(where: { $0.hasPrefix(directory) }) { return pid }
    }
    return nil
}

let sandbox = PCSCSandbox(devices: devices, namePrefix: "Bench Reader")
try await sandbox.start()
let slots = await sandbox.slots
var links: [VPCDLink] = []
for slot in slots {
    let link = VPCDLink(card: EmulatedCard(state: .demo()), configuration: .init(host: "127.0.0.1", port: UInt16(slot.port)))
    link.start()
    links.append(link)
}
for link in links { try await link.waitUntilConnected() }

let work = FileManager.default.temporaryDirectory.appendingPathComponent("station-bench-\(getpid())")
try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: work) }
let socketPath = work.appendingPathComponent("permitd.sock").path
let profiles = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("cardprofiles").path
try """
    registry: \(work.appendingPathComponent("registry.sqlite").path)
    profiles: \(profiles)
    socket:
      path: \(socketPath)
    """.write(toFile: work.appendingPathComponent("permitd.yaml").path, atomically: true, encoding: .utf8)
let daemon = Process()
daemon.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("permitd")
daemon.arguments = ["--config", work.appendingPathComponent("permitd.yaml").path]
daemon.environment = ProcessInfo.processInfo.environment.merging(["PCSCLITE_CSOCK_NAME": sandbox.socketPath]) { $1 }
let logPath = work.appendingPathComponent("permitd.log").path
FileManager.default.createFile(atPath: logPath, contents: nil)
daemon.standardError = FileHandle(forWritingAtPath: logPath)
try daemon.run()
defer { daemon.terminate() }
while !FileManager.default.fileExists(atPath: socketPath) { try await Task.sleep(for: .milliseconds(50)) }
try await Task.sleep(for: .seconds(5))  // start-up, the start-up sweep and the first reader events settle

// The daemon logs each card it sees: all 16 must be watched before anything is measured.
let seen = (try? String(contentsOfFile: logPath, encoding: .utf8))?.components(separatedBy: "card inserted: Bench Reader").count ?? 1
guard seen - 1 == slots.count else {
    print("permitd saw \(seen - 1) of \(slots.count) cards; nothing measured. Its log:")
    print((try? String(contentsOfFile: logPath, encoding: .utf8))?.split(separator: "\n").suffix(5).joined(separator: "\n") ?? "")
    daemon.terminate()
    daemon.waitUntilExit()
    exit(1)
}
let pcscd = pcscdPID(under: URL(fileURLWithPath: sandbox.socketPath).deletingLastPathComponent().path)
let me = getpid()
let before = (cpuTicks(daemon.processIdentifier), pcscd.flatMap(cpuTicks), cpuTicks(me))
let start = ContinuousClock.now
try await Task.sleep(for: .seconds(seconds))
let elapsed = Double((ContinuousClock.now - start).components.seconds)
let after = (cpuTicks(daemon.processIdentifier), pcscd.flatMap(cpuTicks), cpuTicks(me))

func percent(_ a: Double?, _ b: Double?) -> String {
    guard let a, let b else { return "n/a" }
    return String(format: "%.2f %%", (b - a) / ticksPerSecond / elapsed * 100)
}
print("Idle with \(slots.count) readers, each holding a card (all \(seen - 1) seen by permitd), over \(Int(elapsed)) s (CPU of one core):")
print("| process | CPU |")
print("|---|---|")
print("| permitd (reader watch, sweep timer, API idle) | \(percent(before.0, after.0)) |")
print("| pcscd (the sandbox's, polling \(slots.count) vpcd readers) | \(percent(before.1, after.1)) |")
print("| the \(slots.count) emulated cards (this process) | \(percent(before.2, after.2)) |")
daemon.terminate()
daemon.waitUntilExit()
for link in links { try? await link.stop() }
await sandbox.shutdown()
