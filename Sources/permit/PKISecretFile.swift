import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes a file that is created with its final mode, so a private key is never readable by others,
/// not even for the moment between creating and chmod-ing it.
enum SecretFile {
    static func write(_ data: Data, to url: URL, mode: mode_t) throws {
        let path = url.path
        if unlink(path) != 0 && errno != ENOENT {
            throw PKIError.writeFailed(path, String(cString: strerror(errno)))
        }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw PKIError.writeFailed(path, String(cString: strerror(errno))) }
        defer { close(descriptor) }
        // The process umask may have cleared bits of `mode`; set it exactly.
        guard fchmod(descriptor, mode) == 0 else { throw PKIError.writeFailed(path, String(cString: strerror(errno))) }
        try data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw PKIError.writeFailed(path, String(cString: strerror(errno)))
                }
                offset += written
            }
        }
        guard fsync(descriptor) == 0 else { throw PKIError.writeFailed(path, String(cString: strerror(errno))) }
    }
}
