/// The back: issuing authority, card serial, the QR code, and the rewritable area with the current stamp.
extension CardFaceValues {
    func drawBack(on canvas: Canvas) throws(CardFaceError) {
        try canvas.label("签发机关", "Issued by", x: 5, y: 4.5, width: 16)
        try canvas.text(issuingAuthority, in: Box(x: 5, y: 8.4, width: 52, height: 8.4),
                        TextStyle(size: 8, minimumSize: 5, wraps: true), field: "issuing authority")
        try canvas.label("卡号", "Card No.", x: 5, y: 17.5)
        try canvas.text(cardSerial.uppercased(), in: Box(x: 17, y: 17.2, width: 40, height: 4.5),
                        TextStyle(family: .mono, size: 8.5), field: "serial")

        try canvas.qrCode(try QRMatrix(CardCode(cardSerial: cardSerial, permitNumber: permitNumber).text),
                      in: Box(x: 61.6, y: 2, width: 22, height: 22))

        try canvas.text("签注区 Endorsement", in: Box(x: 5, y: 25.8, width: 40, height: 2.8),
                        TextStyle(size: 5, colour: .label), field: "label")
        canvas.stroke(CardGeometry.rewritableArea, .frame, lineWidth: 0.2)
        try stamp.draw(on: canvas)
    }
}
