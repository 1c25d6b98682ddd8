// A PC/SC connection is the card application's line to a real card (ISO7816.APDUConnection).
extension CardConnection: APDUConnection {}
