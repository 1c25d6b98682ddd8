import Foundation

/// Names the calling thread as `ps` and `top` show it (at most 15 bytes), from inside the thread.
/// A Linux thread starts with its creator's name, and Foundation's `Thread.name` reaches the OS
/// only once `start()` has recorded the thread, which under load can be after the thread ran.
/// (Swift does not import glibc's `pthread_setname_np`; the kernel's comm file does the same.)
func nameCurrentThread(_ name: String) {
    let descriptor = open("/proc/thread-self/comm", O_WRONLY)
    guard descriptor >= 0 else { return }
    defer { close(descriptor) }
    let bytes = Array(name.utf8.prefix(15))
    _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
}
