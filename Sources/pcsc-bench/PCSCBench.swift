import ArgumentParser
import Foundation
import SmartCard

/// `pcsc-bench`: APDU round trips through this project's `SmartCard` layer and its peers (a C loop
/// on libpcsclite, pyscard, opensc-tool) against the reference card on a private pcscd, every client
/// in a process of its own, in turns, each comparison made within a round. See docs/BENCHMARKS.md.
@main
struct PCSCBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pcsc-bench",
        abstract: "PC/SC round trips through the SmartCard layer and its peers (docs/BENCHMARKS.md).",
        subcommands: [RoundTrips.self, CardLatency.self, ManyReaders.self, PeerCommand.self],
        defaultSubcommand: RoundTrips.self)
}

/// What every scenario shares: rounds, and another build to compare with.
struct Common: ParsableArguments {
    @Option(help: "Rounds: every contender runs once per round, in an order rotated each round.")
    var rounds: Int = 10

    @Option(help: ArgumentHelp("Another build's pcsc-bench: its Swift layer runs in the same rounds, and each ratio this build ÷ that one is taken within a round.", valueName: "PATH"))
    var baseline: String?

    /// This build, and the baseline if one was given, with the names their rows carry.
    var builds: [(name: String, program: String)] {
        [("Swift", Peers.thisBuild)] + (baseline.map { [("baseline Swift", $0)] } ?? [])
    }

    func validate() throws {
        guard rounds > 0 else { throw ValidationError("--rounds must be 1 or more") }
        if let baseline, !FileManager.default.isExecutableFile(atPath: baseline) { throw ValidationError("--baseline \(baseline) is not an executable file") }
    }

    func note(_ line: String) { FileHandle.standardError.write(Data("\(line)\n".utf8)) }
}

/// SELECT MF without FCI: the shortest useful command, so the figures measure the stack.
let selectMF = "00A4000C023F00"
/// SELECT EF 2F01 of the reference card and READ BINARY of its 256 bytes: a small read.
let selectAndRead = ["00A4020C022F01", "00B0000000"]

struct RoundTrips: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "round-trips",
        abstract: "SELECT round trips on a card that answers at once: what each client adds to pcscd and the card.")

    @Option(help: "SELECTs per contender over all rounds.")
    var apdus: Int = 20_000

    @OptionGroup var common: Common

    func run() async throws {
        let perTurn = max(apdus / common.rounds, 1)
        try await CardBench.with(cards: 1, latencyMs: 0) { readers, peers in
            let reader = readers[0]
            var contenders: [Contender] = []
            for build in common.builds {
                for kind in SwiftPeerKind.allCases {
                    contenders.append(Contender(name: "\(build.name), \(kind.label)") {
                        try peers.swift(build.program, kind, readers: [reader], apdus: [selectMF], operations: perTurn)
                    })
                }
            }
            let batch = 500
            contenders += [
                Contender(name: "C loop on libpcsclite") { try peers.cLoop(reader: reader, operations: perTurn, apdus: [selectMF]) },
                Contender(name: "pyscard") { try peers.pyscard(reader: reader, operations: perTurn, apdus: [selectMF]) },
                Contender(name: "opensc-tool (mean of \(max(perTurn / batch, 1)) pairs of runs)") {
                    try peers.openscTool(reader: reader, apdus: [selectMF], pairs: max(perTurn / batch, 1), batch: batch)
                },
            ]
            let turns = try await Turns.run(contenders, rounds: common.rounds, progress: common.note)
            print(turns.comparison(reference: "C loop on libpcsclite", peer: "pyscard", unit: "µs per APDU"))
            print(turns.buildComparison(common.builds))
        }
    }
}

struct CardLatency: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "card-latency",
        abstract: "Time per APDU and per SELECT + READ BINARY on a card that takes a given time per APDU, as a chip does.")

    @Option(name: .customLong("latency-ms"), help: "The card's delay before each answer.")
    var latencyMs: Int = 20

    @Option(help: "Operations per contender per round.")
    var operations: Int = 25

    @OptionGroup var common: Common

    func run() async throws {
        try await CardBench.with(cards: 1, latencyMs: latencyMs) { readers, peers in
            for (title, apdus) in [("SELECT (1 APDU)", [selectMF]), ("SELECT + READ BINARY of 256 bytes (2 APDUs)", selectAndRead)] {
                var contenders: [Contender] = []
                for build in common.builds {
                    for kind in [SwiftPeerKind.send, .transaction] {
                        contenders.append(Contender(name: "\(build.name), \(kind.label)") {
                            try peers.swift(build.program, kind, readers: readers, apdus: apdus, operations: operations)
                        })
                    }
                }
                contenders += [
                    Contender(name: "C loop on libpcsclite") { try peers.cLoop(reader: readers[0], operations: operations, apdus: apdus) },
                    Contender(name: "pyscard") { try peers.pyscard(reader: readers[0], operations: operations, apdus: apdus) },
                ]
                let turns = try await Turns.run(contenders, rounds: common.rounds, progress: common.note)
                print("\n\(title), card latency \(latencyMs) ms per APDU, \(operations) operations per turn\n")
                print(turns.comparison(reference: "C loop on libpcsclite", peer: "pyscard", unit: "µs per operation"))
                print(turns.buildComparison(common.builds))
            }
        }
    }
}

struct ManyReaders: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "readers",
        abstract: "Throughput of SELECT + READ BINARY with many readers in one process, against one reader.")

    @Option(help: "Readers (and cards) used at once; pcsc-lite serves 16 at most.")
    var readers: Int = 16

    @Option(name: .customLong("latency-ms"), help: "The cards' delay before each answer.")
    var latencyMs: Int = 20

    @Option(help: "Seconds each contender runs per round.")
    var seconds: Double = 3

    @OptionGroup var common: Common

    func validate() throws {
        guard (2...16).contains(readers) else { throw ValidationError("--readers must be 2 to 16") }
    }

    func run() async throws {
        try await CardBench.with(cards: readers, latencyMs: latencyMs) { names, peers in
            var contenders: [Contender] = []
            for build in common.builds {
                for kind in [SwiftPeerKind.send, .transaction] {
                    for count in [1, readers] {
                        contenders.append(Contender(name: "\(build.name), \(kind.label), \(count) reader\(count == 1 ? "" : "s")") {
                            try peers.swift(build.program, kind, readers: Array(names.prefix(count)), apdus: selectAndRead, operations: nil, seconds: seconds)
                        })
                    }
                }
            }
            for count in [1, readers] {
                contenders.append(Contender(name: "C loop on libpcsclite, \(count) process\(count == 1 ? "" : "es"), one reader each") {
                    try peers.cLoops(readers: Array(names.prefix(count)), seconds: seconds, apdus: selectAndRead)
                })
            }
            let turns = try await Turns.run(contenders, rounds: common.rounds, progress: common.note)
            print("\n\(readers) readers, SELECT + READ BINARY of 256 bytes, card latency \(latencyMs) ms per APDU, \(seconds) s per turn\n")
            print(turns.throughput(readers: readers))
            print(turns.buildComparison(common.builds, of: \.throughput, what: "throughput"))
        }
    }
}

/// `pcsc-bench peer KIND --reader R... --apdu HEX...`: this build's layer as one peer, one JSON line.
struct PeerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "peer", abstract: "Run this build's SmartCard layer as one benchmark peer.", shouldDisplay: false)

    @Argument var kind: String
    @Option var reader: [String]
    @Option var apdu: [String]
    @Option var operations: Int?
    @Option var seconds: Double?

    func run() async throws {
        guard let kind = SwiftPeerKind(rawValue: kind) else { throw ValidationError("unknown peer kind \(kind)") }
        guard (operations == nil) != (seconds == nil) else { throw ValidationError("give --operations or --seconds") }
        let sample = try await SwiftPeer.run(kind, readers: reader, apdus: try apdu.map { try CommandAPDU(hex: $0) }, operations: operations, seconds: seconds)
        print(sample.json)
    }
}
