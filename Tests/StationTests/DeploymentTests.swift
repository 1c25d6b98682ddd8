import Foundation
import Station
import Testing
import TestPrograms

/// The files a station installs (udev/): systemd's own tools read them as a station's systemd would.
@Suite("deployment files")
struct DeploymentTests {
    static let udev = DaemonProcess.repository.appendingPathComponent("udev")

    @Test("sysusers makes the unprivileged user in the pcscd group; tmpfiles makes its directories with their modes")
    func usersAndDirectories() async throws {
        let root = ScratchDirectory.make("sysroot")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("etc"), withIntermediateDirectories: true)
        let users = try await TestProgram.run("/usr/bin/systemd-sysusers", ["--root=\(root.path)", Self.udev.appendingPathComponent("permitstation.sysusers").path])
        #expect(users.status == 0, "\(users.errors)")
        let passwd = try String(contentsOf: root.appendingPathComponent("etc/passwd"), encoding: .utf8)
        let group = try String(contentsOf: root.appendingPathComponent("etc/group"), encoding: .utf8)
        let user = try #require(passwd.split(separator: "\n").first { $0.hasPrefix("permitstation:") }).split(separator: ":", omittingEmptySubsequences: false)
        #expect(user[6] == "/usr/sbin/nologin" && user[5] == "/var/lib/permitstation")
        #expect(group.split(separator: "\n").contains { $0.hasPrefix("pcscd:") && $0.hasSuffix(":permitstation") }, "\(group)")
        #expect(Int(user[2])! < 1000, "a system user")

        let directories = try await TestProgram.run("/usr/bin/systemd-tmpfiles", ["--root=\(root.path)", "--create", Self.udev.appendingPathComponent("permitstation.tmpfiles").path])
        #expect(directories.status == 0, "\(directories.errors)")
        for (path, mode, owner) in [("run/permitstation", 0o750, user[2]), ("var/lib/permitstation", 0o700, user[2]), ("etc/permitstation", 0o750, "0")] {
            let attributes = try FileManager.default.attributesOfItem(atPath: root.appendingPathComponent(path).path)
            #expect(attributes[.posixPermissions] as? Int == mode, "\(path)")
            #expect((attributes[.ownerAccountID] as? NSNumber)?.stringValue == String(owner), "\(path)")
        }
    }

    @Test("systemd-analyze accepts the unit; it runs permitd as the service user with the packaged configuration")
    func unitVerifies() async throws {
        let directory = ScratchDirectory.make("unit")
        let unit = try String(contentsOf: Self.udev.appendingPathComponent("permitd.service"), encoding: .utf8)
        #expect(unit.contains("ExecStart=/usr/bin/permitd --config /etc/permitstation/permitd.yaml"))
        #expect(unit.contains("User=permitstation") && unit.contains("SupplementaryGroups=pcscd"))
        // The station has /usr/bin/permitd; here the unit points at the built one.
        let local = unit.replacingOccurrences(of: "/usr/bin/permitd", with: TestProgram.builtProduct("permitd"))
        let file = directory.appendingPathComponent("permitd.service")
        try local.write(to: file, atomically: true, encoding: .utf8)
        let verified = try await TestProgram.run("/usr/bin/systemd-analyze", ["verify", "--man=no", file.path])
        let complaints = verified.errors.split(separator: "\n").filter { $0.contains("permitd.service") }
        #expect(verified.status == 0 && complaints.isEmpty, "\(verified.errors)")
    }

    @Test("the packaged permitd.yaml passes permitd --check and holds every option at its documented default")
    func packagedConfiguration() async throws {
        let path = Self.udev.appendingPathComponent("permitd.yaml").path
        let checked = try await TestProgram.run(TestProgram.builtProduct("permitd"), ["--config", path, "--check"])
        #expect(checked.status == 0, "\(checked.errors)")
        #expect(try StationConfiguration.load(path: path) == StationConfiguration())
        let documentation = try String(contentsOf: DaemonProcess.repository.appendingPathComponent("docs/STATION.md"), encoding: .utf8)
        for option in ["station", "registry", "profiles", "time-zone", "log-level", "socket.path", "socket.mode", "socket.group",
                       "tcp.port", "tcp.address", "sweep.at", "sweep.batch-size", "api.max-body-bytes", "api.keep-alive-seconds"] {
            #expect(documentation.contains("| `\(option)` |"), "docs/STATION.md does not document \(option)")
        }
    }
}
