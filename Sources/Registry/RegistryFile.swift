import Foundation

/// The registry holds every holder's name, citizen ID and address, so its files are private: a new
/// registry is created with mode 0600, and SQLite gives its `-wal` and `-shm` files the database's mode.
/// An existing file (or `-wal`/`-shm`) that every user may read, or that the group may write, is refused
/// before it is opened; read access for the group (0640, the station's group) is allowed
/// (docs/REGISTRY.md, "File permissions").
enum RegistryFile {
    /// Creates `path` with mode 0600 if missing; refuses an existing one others can reach.
    static func prepare(_ path: String) throws(RegistryError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if descriptor >= 0 {
            // The umask may have cleared bits; set exactly 0600.
            fchmod(descriptor, 0o600)
            close(descriptor)
        } else if errno != EEXIST {
            throw .cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        for file in [path, path + "-wal", path + "-shm"] {
            var status = stat()
            guard stat(file, &status) == 0 else { continue }
            let mode = UInt32(status.st_mode) & 0o777
            if mode & 0o007 != 0 || mode & 0o020 != 0 { throw .exposed(path: file, mode: mode) }
        }
    }
}
