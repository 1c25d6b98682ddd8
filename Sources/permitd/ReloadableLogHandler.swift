import Foundation
import Logging
import Station

/// The log level every logger of the daemon reads, changed on reload.
final class LogLevelSetting: @unchecked Sendable {
    private let lock = NSLock()
    private var level: Logger.Level

    init(_ level: StationConfiguration.LogLevel) {
        self.level = Logger.Level(rawValue: level.rawValue) ?? .info
    }

    var current: Logger.Level { lock.withLock { level } }
    func set(_ new: StationConfiguration.LogLevel) { lock.withLock { level = Logger.Level(rawValue: new.rawValue) ?? .info } }
}

/// swift-log's stream handler on standard error (the journal keeps it), with the level read from the
/// shared setting so a reload changes it.
struct ReloadableLogHandler: LogHandler {
    private var stream: StreamLogHandler
    let setting: LogLevelSetting

    init(label: String, level: LogLevelSetting) {
        stream = StreamLogHandler.standardError(label: label)
        setting = level
    }

    var logLevel: Logger.Level {
        get { setting.current }
        set {}
    }

    var metadata: Logger.Metadata {
        get { stream.metadata }
        set { stream.metadata = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { stream[metadataKey: key] }
        set { stream[metadataKey: key] = newValue }
    }

    func log(event: LogEvent) {
        stream.log(event: event)
    }
}
