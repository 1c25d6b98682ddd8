/// A card application running on the emulated card (e.g. the residence-permit application).
///
/// The card offers every complete command (command chains already reassembled) to the applet first:
/// - return nil to let the ISO/IEC 7816-4 command set handle it (SELECT, READ/UPDATE BINARY, records, GET CHALLENGE);
/// - return a response to answer it yourself (VERIFY, EXTERNAL/INTERNAL AUTHENTICATE, proprietary commands);
///   to run an ISO command after unwrapping secure messaging, call `session.executeISO(inner, grants: ["sm"])`
///   and wrap its response;
/// - throw a status word to refuse it.
///
/// Atomicity: everything the applet changes in `session` (files in `session.state`, `appletData`, the
/// security state) and in itself is kept only if `handle` returns; a throw discards it all. So a command
/// that writes several files commits all of them or none. Return (not throw) a failure status when a
/// change must stick, e.g. a decremented PIN retry counter answered with 63Cx.
///
/// The applet value itself is volatile state: `powerOn` runs at every power-on and reset.
public protocol CardApplet: Sendable {
    mutating func powerOn(session: inout CardSession)
    mutating func handle(_ command: CommandAPDU, session: inout CardSession) throws(StatusWord) -> ResponseAPDU?
}

extension CardApplet {
    public mutating func powerOn(session: inout CardSession) {}
}
