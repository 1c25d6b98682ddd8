/// A runtime failure of a command, told as one sentence: what was wrong, where, and what to do. The
/// command line itself was right, so no usage banner follows, and the exit status is 1 (64 is for a
/// wrong command line; README "Exit status").
struct CommandError: Error, CustomStringConvertible {
    let description: String

    init(_ sentence: String) {
        description = sentence
    }
}
