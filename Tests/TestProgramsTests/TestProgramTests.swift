import Foundation
import Testing
import TestPrograms

/// The guarantees tests rely on when they run a child program.
@Suite("Child programs run by tests")
struct TestProgramTests {
    // Time limits here are generous: while a whole test run starts, the process's task pool can be busy
    // for 45 s, so each check only tells a program waited for (300 s) from one that was not.

    @Test("a program that leaves a child running in the background, holding its output, still finishes when it exits")
    func backgroundChildHoldsOutput() async throws {
        let started = ContinuousClock.now
        let result = try await TestProgram.run("/bin/sh", ["-c", "echo before; sleep 300 & echo $!; echo after"], timeout: .seconds(250))
        #expect(ContinuousClock.now - started < .seconds(200))
        let lines = result.output.split(separator: "\n")
        #expect(result.status == 0)
        #expect(lines.count == 3 && lines.first == "before" && lines.last == "after")
        if lines.count == 3, let child = pid_t(lines[1]) { kill(child, SIGKILL) }
    }

    @Test("a program that overruns its limit is killed, and the error names it and the limit")
    func timeout() async throws {
        let started = ContinuousClock.now
        let error = await #expect(throws: TestProgram.Failure.self) {
            try await TestProgram.run("/bin/sleep", ["300"], timeout: .seconds(1))
        }
        #expect(ContinuousClock.now - started < .seconds(200))
        #expect(error?.description == "sleep 300 did not exit within 1.0 seconds; it was killed")
    }

    @Test("megabytes on both output streams at once arrive whole and apart")
    func largeOutputs() async throws {
        let result = try await TestProgram.run("/bin/sh", ["-c", "head -c 3000000 /dev/zero | tr '\\000' o & head -c 2000000 /dev/zero | tr '\\000' e >&2; wait"])
        #expect(result.status == 0)
        #expect(result.output.utf8.count == 3_000_000 && result.output.utf8.allSatisfy { $0 == UInt8(ascii: "o") })
        #expect(result.errors.utf8.count == 2_000_000 && result.errors.utf8.allSatisfy { $0 == UInt8(ascii: "e") })
    }

    @Test("standard input comes from the given bytes, and the environment adds to this process's")
    func inputAndEnvironment() async throws {
        let result = try await TestProgram.run("/bin/sh", ["-c", "cat; echo \" $GREETING $HOME\""], environment: ["GREETING": "hello"], input: Data("from stdin".utf8))
        #expect(result.output == "from stdin hello \(ProcessInfo.processInfo.environment["HOME"] ?? "")\n")
    }

    @Test("a program that does not read its input exits without harm to the test process")
    func unreadInput() async throws {
        let result = try await TestProgram.run("/bin/true", input: Data(repeating: 0x41, count: 1 << 20))
        #expect(result.status == 0)
    }

    @Test("a program in the background takes signals and reports how it ended")
    func background() async throws {
        let ready = ScratchDirectory.file("background", suffix: ".ready")
        let program = try await TestProgram("/bin/sh", ["-c", "trap 'echo stopping; exit 3' TERM; echo ready; touch \(ready); while :; do sleep 0.05; done"])
        let deadline = ContinuousClock.now + .seconds(100)
        while !FileManager.default.fileExists(atPath: ready), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        let result = try await program.stop()
        #expect(result.status == 3)
        #expect(result.output == "ready\nstopping\n")
    }

    @Test("a path that is not a program is refused before anything runs")
    func notExecutable() async throws {
        await #expect(throws: TestProgram.Failure.self) { try await TestProgram.run("/nonexistent/program") }
    }
}
