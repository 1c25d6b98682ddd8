import Foundation
import Testing
import TestPrograms

/// pcsc-lite serves 16 readers, and its SCardGetStatusChange takes at most 16 reader states: a watch of 16
/// readers has no room for the plug-and-play pseudo-reader too (it failed with SCARD_E_INVALID_PARAMETER).
/// Through a private pcscd with 8 vpcd devices (16 readers), each holding a reference card.
@Suite("16 readers")
struct SixteenReadersTests {
    @Test("a watch of 16 readers, each holding a card, announces every reader and card, then a card pulled")
    func watchesSixteenReaders() async throws {
        let permitCard = TestProgram.builtProduct("permit-card")
        let script = """
            set -euo pipefail
            cards=()
            for address in $PERMIT_SANDBOX_VPCDS; do "\(permitCard)" --vpcd "$address" 2>/dev/null & cards+=($!); done
            trap 'kill "${cards[@]}" 2>/dev/null; wait' EXIT
            for _ in $(seq 600); do
                [ "$("\(Peers.permit)" readers --json | grep -o '"card":true' | wc -l)" = 16 ] && break
                sleep 0.1
            done
            "\(Peers.permit)" readers --watch --limit 33 --json > events.jsonl &
            watch=$!
            for _ in $(seq 600); do [ "$(wc -l < events.jsonl)" -ge 32 ] && break; sleep 0.1; done
            kill "${cards[0]}"
            wait "$watch"
            cat events.jsonl
            """
        let directory = ScratchDirectory.make("sixteen")
        let run = try await TestProgram.run("/usr/bin/env", SandboxCommandTests.sandbox + ["--devices", "8", "--", "bash", "-c", "cd \(directory.path) && \(script)"],
                                            timeout: .seconds(240))
        #expect(run.status == 0, "\(run.errors)")
        let events = run.output.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: String]
        }
        let added = Set(events.filter { $0["event"] == "readerAdded" }.compactMap { $0["reader"] })
        let inserted = Set(events.filter { $0["event"] == "cardInserted" }.compactMap { $0["reader"] })
        #expect(added.count == 16, "\(run.output)")
        #expect(inserted == added, "\(run.output)")
        #expect(events.last?["event"] == "cardRemoved", "\(run.output)")
        #expect(events.last?["reader"] == "PermitStation Sandbox 1 00 00", "\(run.output)")
    }
}
