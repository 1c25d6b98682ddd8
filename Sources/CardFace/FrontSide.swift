/// The front: title band, the holder's name (and Latin name), sex, birth date, address, photo, permit number.
extension CardFaceValues {
    func drawFront(on canvas: Canvas, photo: Photo) throws(CardFaceError) {
        canvas.fill(Box(x: 0, y: 0, width: CardGeometry.widthMM, height: 10.5), .band)
        canvas.fill(Box(x: 0, y: 10.5, width: CardGeometry.widthMM, height: 0.35), .seal)
        try canvas.text("居住证", in: Box(x: 5, y: 1.4, width: 22, height: 7.5),
                        TextStyle(family: .serif, bold: true, size: 14, colour: .seal), field: "title")
        try canvas.text("RESIDENCE PERMIT", in: Box(x: 28, y: 4.0, width: 40, height: 3.4),
                        TextStyle(bold: true, size: 6, colour: .seal), field: "title")

        let photoBox = Box(x: 61, y: 13.5, width: 21, height: 26)
        canvas.photo(photo, covering: photoBox)
        canvas.stroke(photoBox, .frame, lineWidth: 0.2)

        try canvas.label("姓名", "Name", x: 5, y: 13.5)
        try canvas.text(name, in: Box(x: 17, y: 12.4, width: 42, height: 5.6),
                        TextStyle(bold: true, size: 10.5, minimumSize: 5.5), field: "name")
        if let latinName {
            // A long transcription (up to 60 letters on the chip) shrinks onto two lines.
            try canvas.text(latinName, in: Box(x: 17, y: 17.6, width: 42, height: 3.9),
                            TextStyle(size: 6, minimumSize: 3.5, wraps: true), field: "Latin name")
        }

        let (sexChinese, sexEnglish) = sexWords ?? ("", "")
        try canvas.label("性别", "Sex", x: 5, y: 22)
        try canvas.text("\(sexChinese) \(sexEnglish)", in: Box(x: 17, y: 21.5, width: 9, height: 4.2), TextStyle(size: 8), field: "sex")
        try canvas.label("出生", "Born", x: 27, y: 22, width: 8)
        try canvas.text(birthDate.chineseText, in: Box(x: 35, y: 21.5, width: 24, height: 4.2),
                        TextStyle(size: 8, minimumSize: 6), field: "birth date")

        try canvas.label("住址", "Address", x: 5, y: 28)
        try canvas.text(address, in: Box(x: 17, y: 27.7, width: 42, height: 12),
                        TextStyle(size: 7.5, minimumSize: 5, wraps: true), field: "address")

        canvas.fill(Box(x: 5, y: 42, width: 76.6, height: 0.2), .frame)
        try canvas.label("居住证编号", "Permit No.", x: 5, y: 44.5, width: 16)
        try canvas.text(permitNumber, in: Box(x: 23, y: 43.2, width: 58.6, height: 6.4),
                        TextStyle(family: .mono, bold: true, size: 12, minimumSize: 7), field: "permit number")
    }
}
