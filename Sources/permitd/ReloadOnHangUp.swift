import Logging
import ServiceLifecycle
import Station
import UnixSignals

/// SIGHUP: re-reads the configuration file and the card profiles. A bad file changes nothing and is logged.
struct ReloadOnHangUp: Service {
    let runtime: StationRuntime
    let level: LogLevelSetting

    func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        try await cancelWhenGracefulShutdown {
            for await _ in signals {
                do {
                    let pending = try runtime.reload()
                    level.set(runtime.configuration.logLevel)
                    let note = pending.isEmpty ? "" : "; \(pending.joined(separator: ", ")) changed and take effect at the next restart"
                    runtime.logger.notice("configuration and profiles reloaded from \(runtime.configurationPath)\(note)")
                    await runtime.events.publish(.configurationReloaded, message: "reloaded\(note)")
                } catch {
                    runtime.logger.error("reload refused, the running configuration is kept: \(error)")
                    await runtime.events.publish(.configurationReloaded, message: "refused: \(error)")
                }
            }
        }
    }
}
