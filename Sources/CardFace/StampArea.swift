/// The endorsement stamp: what the rewritable area shows. Drawn at the area's place on the back, both in
/// the full back side and alone on a stamp page, so the rewritable printer puts it where the frame is.
extension EndorsementStamp {
    func draw(on canvas: Canvas) throws(CardFaceError) {
        let area = CardGeometry.rewritableArea
        let x = area.x + 2, valueX = area.x + 17, valueWidth = area.width - 19
        try canvas.label("有效期限", "Valid", x: x, y: area.y + 2, width: 14)
        try canvas.text("\(anchor.dottedText)-\(expiry.dottedText)", in: Box(x: valueX, y: area.y + 1.2, width: valueWidth, height: 5.8),
                        TextStyle(family: .mono, bold: true, size: 11, minimumSize: 8), field: "validity")
        try canvas.label("签注机关", "Endorsed by", x: x, y: area.y + 8.4, width: 14)
        try canvas.text(station, in: Box(x: valueX, y: area.y + 7.6, width: valueWidth, height: 7.2),
                        TextStyle(size: 7, minimumSize: 5, wraps: true), field: "stamp station")
        try canvas.label("签注日期", "Date", x: x, y: area.y + 15.4, width: 14)
        try canvas.text(endorsedOn.chineseText, in: Box(x: valueX, y: area.y + 15.2, width: valueWidth, height: 3.8),
                        TextStyle(size: 7), field: "endorsement date")
    }
}
