// A PC/SC connection is the card application's line to a real card (ISO7816.APDUConnection).
extension CardConnection: APDUConnection {
    /// Leaves the card as it is (`disconnect(.leave)`).
    public func disconnect() async { await disconnect(.leave) }
}
