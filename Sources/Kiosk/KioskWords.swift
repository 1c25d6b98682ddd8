import PermitVocabulary

/// Chooses between the Chinese and the English of one sentence; both stand side by side in the code, so a
/// screen's words are read and changed together.
struct Words {
    let language: KioskLanguage

    func say(_ zh: String, _ en: String) -> String { language == .zh ? zh : en }

    /// `2027年3月1日` / `1 March 2027`.
    func date(_ date: CalendarDate) -> String {
        switch language {
        case .zh: return "\(date.year)年\(date.month)月\(date.day)日"
        case .en:
            let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
            return "\(date.day) \(months[date.month - 1]) \(date.year)"
        }
    }

    func tries(_ count: Int) -> String {
        say("还可再试\(count)次", count == 1 ? "1 try left" : "\(count) tries left")
    }
}

extension KioskState {
    /// The screen for this state in `language`.
    public func screen(in language: KioskLanguage) -> KioskScreen {
        let w = Words(language: language)
        let cancel = KioskScreen.Button(action: .cancel, label: w.say("取消", "Cancel"), primary: false)
        switch self {
        case .idle:
            return KioskScreen(name: "idle", tone: .calm, title: w.say("请插入您的居住证", "Please insert your residence permit card"), lines: [
                w.say("芯片朝上，插入下方的读卡器。", "Chip facing up, into the reader below."),
                w.say("本机办理居住证的年度签注。", "This kiosk endorses residence permits for the coming year."),
            ])
        case .reading:
            return KioskScreen(name: "reading", tone: .busy, title: w.say("正在读取卡片…", "Reading your card…"), lines: [
                w.say("请不要取出卡片。", "Please leave the card in the reader."),
            ])
        case .offer(let card, let plan):
            return offer(card, plan, w, cancel: cancel)
        case .pinEntry(let card, _, let notice):
            let policy = card.pin
            let (min, max) = (policy?.minLength ?? 4, policy?.maxLength ?? 8)
            let noticeText: String? = switch notice {
            case .wrong(let tries)?: w.say("密码错误，\(w.tries(tries))，次数用完后密码将被锁定。", "Wrong PIN: \(w.tries(tries)) before it is blocked.")
            case .badLength?: w.say("密码为\(min)至\(max)位数字，请重新输入（未计入错误次数）。", "The PIN has \(min) to \(max) digits; enter it again (no try was used).")
            case nil: nil
            }
            let name = switch notice { case .wrong?: "pin-wrong"; case .badLength?: "pin-length"; case nil: "pin" }
            return KioskScreen(
                name: name, tone: notice == nil ? .calm : .caution, title: w.say("请输入卡片密码", "Enter your card PIN"),
                lines: [w.say("用下方数字键输入\(min)至\(max)位密码，再按“确定”。密码不会显示。", "Type your \(min) to \(max) digit PIN on the keys below, then press OK. It is never shown.")],
                notice: noticeText, buttons: [cancel],
                pinPad: .init(minLength: min, maxLength: max, okLabel: w.say("确定", "OK"), clearLabel: w.say("清除", "Clear")))
        case .endorsing:
            return KioskScreen(name: "endorsing", tone: .busy, title: w.say("正在签注…", "Endorsing…"), lines: [
                w.say("正在写入芯片，请不要取出卡片。", "Writing to the chip; please leave your card in."),
            ])
        case .printing:
            return KioskScreen(name: "printing", tone: .busy, title: w.say("正在打印新的有效期…", "Printing the new validity…"), lines: [
                w.say("签注已写入芯片，正在卡面上打印新的有效期，请稍候。", "The endorsement is on the chip; the new validity is being printed on your card."),
            ])
        case .takeCard(let card, let plan, let printed):
            return done(card, plan, printed, w)
        case .notYetDue(let card, let opens, let validUntil):
            return KioskScreen(
                name: "not-yet-due", tone: .calm, title: w.say("还未到签注时间", "Not yet time to endorse"),
                lines: [
                    w.say("您的居住证有效期至\(w.date(validUntil))，目前有效。", "Your permit is valid until \(w.date(validUntil)) and in force."),
                    w.say("签注期自\(w.date(opens))开始，请在\(w.date(opens))至\(w.date(validUntil))之间再来办理。",
                          "Its endorsement window opens on \(w.date(opens)): come back between \(w.date(opens)) and \(w.date(validUntil))."),
                ],
                facts: holderFacts(card, w) + [.init(label: w.say("签注期开始", "Window opens"), value: w.date(opens))])
        case .counter(let card, let reason):
            return counter(card, reason, w)
        case .wrongCard(let kind):
            switch kind {
            case .otherProduct:
                return KioskScreen(name: "wrong-card", tone: .stop, title: w.say("无法识别此卡", "This card cannot be used here"), lines: [
                    w.say("这不是本地区的居住证卡片，未写入任何内容。", "It is not a residence permit card of this region; nothing was written."),
                    w.say("请取回卡片，插入您的居住证。", "Take it out and insert your residence permit card."),
                ])
            case .incomplete:
                return KioskScreen(name: "wrong-card-incomplete", tone: .stop, title: w.say("此卡尚未制作完成", "This card was never finished"), lines: [
                    w.say("发证机关没有完成此卡的制作，不能使用，未写入任何内容。", "The issuing office never finished making this card; it cannot be used and nothing was written."),
                    w.say("请取回卡片，到服务窗口办理。", "Take your card and go to the counter."),
                ])
            case .notGenuine:
                return KioskScreen(name: "wrong-card-not-genuine", tone: .stop, title: w.say("此卡未通过真伪校验", "This card failed the authenticity check"), lines: [
                    w.say("本机无法确认此卡是真实的居住证，未写入任何内容。", "The kiosk could not confirm this is a genuine permit card; nothing was written."),
                    w.say("请取回卡片，到服务窗口办理。", "Take your card and go to the counter."),
                ])
            }
        case .pinBlocked(let card):
            return KioskScreen(name: "pin-blocked", tone: .stop, title: w.say("密码已锁定", "Your PIN is blocked"), lines: [
                w.say("密码输错次数过多，已被锁定；卡片上没有写入签注。", "The PIN was entered wrongly too many times and is blocked; no endorsement was written."),
                w.say("请携带身份证到服务窗口解锁，并在窗口办理签注。", "Bring your ID card to the counter to have it unblocked and your permit endorsed there."),
            ], facts: holderFacts(card, w))
        case .cardPulled(let interruption):
            switch interruption {
            case .nothingWritten:
                return KioskScreen(name: "card-pulled", tone: .caution, title: w.say("卡片已被取出", "The card was taken out"), lines: [
                    w.say("操作没有完成，卡片上没有写入任何内容。", "Nothing was finished and nothing was written to the card."),
                    w.say("如需办理，请重新插入卡片。", "To start again, insert the card again."),
                ])
            case .unknown:
                return KioskScreen(name: "card-pulled-during-write", tone: .caution, title: w.say("签注时卡片被取出", "The card was taken out during the endorsement"), lines: [
                    w.say("签注可能没有完成。", "The endorsement may not have finished."),
                    w.say("请重新插入卡片：本机会检查签注是否已写入，不会重复签注。", "Insert the card again: the kiosk checks whether it was written, and never endorses twice."),
                ])
            case .notPrinted(let expiry):
                return KioskScreen(name: "card-pulled-before-print", tone: .caution, title: w.say("签注已完成，卡面未打印", "Endorsed, but the card face was not printed"), lines: [
                    w.say("签注已写入芯片，居住证有效期至\(w.date(expiry))，证件有效。", "The endorsement is on the chip: your permit is valid until \(w.date(expiry))."),
                    w.say("卡片在打印前被取出，请到服务窗口补打卡面日期（免费）。", "The card was taken out before printing; have the date printed at the counter (free of charge)."),
                ])
            }
        case .cancelled:
            return KioskScreen(name: "cancelled", tone: .calm, title: w.say("已取消", "Cancelled"), lines: [
                w.say("没有写入任何内容。请取回您的卡片。", "Nothing was written. Please take your card."),
            ])
        case .offline:
            return KioskScreen(name: "offline", tone: .stop, title: w.say("暂停服务", "Out of service"), lines: [
                w.say("读卡器没有连接，本机暂时无法办理。", "The card reader is not connected; this kiosk cannot serve you now."),
                w.say("请到服务窗口办理，或稍后再来。", "Please go to the counter, or come back later."),
            ])
        case .failed:
            return KioskScreen(name: "failed", tone: .stop, title: w.say("操作未能完成", "The kiosk could not finish"), lines: [
                w.say("请取回卡片，到服务窗口办理；窗口可以查看卡片上已写入的内容。", "Please take your card to the counter, where an officer can see what the card holds."),
            ])
        case .removeCard:
            return KioskScreen(name: "remove-card", tone: .calm, title: w.say("请取回您的卡片", "Please take your card"), lines: [
                w.say("谢谢使用。", "Thank you."),
            ])
        }
    }

    /// The holder's name, permit number and masked ID: the kiosk shows no more of them.
    private func holderFacts(_ card: PresentedCard, _ w: Words) -> [KioskScreen.Fact] {
        [
            .init(label: w.say("姓名", "Name"), value: card.latinName.map { "\(card.holderName)  \($0)" } ?? card.holderName),
            .init(label: w.say("居住证号", "Permit number"), value: card.permitNumber),
            .init(label: w.say("身份证号", "Citizen ID"), value: card.maskedCitizenID),
        ]
    }

    private func offer(_ card: PresentedCard, _ plan: EndorsementPlan, _ w: Words, cancel: KioskScreen.Button) -> KioskScreen {
        let (expiry, newExpiry, today) = (w.date(plan.expiry), w.date(plan.newExpiry), w.date(plan.on))
        let suspended = plan.suspendedFrom.map(w.date) ?? ""
        var lines: [String]
        let notice: String?
        let name: String
        let title: String
        switch plan.endorsementClass {
        case .timely:
            name = "offer"
            title = w.say("今天可以办理签注", "Your permit can be endorsed today")
            lines = [
                w.say("您的居住证有效期至\(expiry)，现在是签注期。", "Your permit is valid until \(expiry), and its endorsement window is open."),
                w.say("签注后有效期延长至\(newExpiry)，居住年限连续计算。", "Endorsing it extends it to \(newExpiry); your residence period continues unbroken."),
            ]
            notice = nil
        case .lateContinuous:
            name = "offer-late"
            title = w.say("逾期补办签注", "Late endorsement")
            let grace = plan.graceEnds.map(w.date) ?? ""
            lines = [
                w.say("您的居住证已于\(expiry)到期，自\(suspended)起使用功能中止。", "Your permit expired on \(expiry) and has been suspended since \(suspended)."),
                w.say("现在补办签注即恢复使用，有效期延长至\(newExpiry)。", "A late endorsement now restores it, valid until \(newExpiry)."),
            ]
            notice = w.say("您在\(grace)前补办，居住年限仍连续计算。", "Because it is done by \(grace), your residence period continues unbroken.")
        case .lateReset:
            name = "offer-late-reset"
            title = w.say("逾期补办签注：居住年限将重新计算", "Late endorsement: your residence period restarts")
            lines = [
                w.say("您的居住证已于\(expiry)到期，自\(suspended)起使用功能中止。", "Your permit expired on \(expiry) and has been suspended since \(suspended)."),
                w.say("补办签注后恢复使用，有效期至\(newExpiry)。", "A late endorsement restores it, valid until \(newExpiry)."),
            ]
            notice = w.say("但居住年限将自今天（\(today)）起重新计算：自\(w.date(plan.residenceSince))起累计的年限不再连续。",
                           "But your residence period starts again today (\(today)): the years counted since \(w.date(plan.residenceSince)) no longer continue.")
        }
        if card.needsPIN { lines.append(w.say("确认后请输入卡片密码。", "After you confirm, enter your card PIN.")) }
        let facts = holderFacts(card, w) + [
            .init(label: w.say("现有效期至", "Valid until now"), value: expiry),
            .init(label: w.say("签注后有效期至", "Valid after endorsing"), value: newExpiry),
            .init(label: w.say("居住年限起算日", "Residence counted from"), value: w.date(plan.newResidenceSince)),
        ]
        let confirm = KioskScreen.Button(action: .confirm, label: w.say("确认签注", "Endorse"), primary: true)
        return KioskScreen(name: name, tone: plan.endorsementClass == .lateReset ? .caution : .calm, title: title, lines: lines, notice: notice,
                           facts: facts, buttons: [confirm, cancel])
    }

    private func done(_ card: PresentedCard, _ plan: EndorsementPlan, _ printed: PrintOutcome, _ w: Words) -> KioskScreen {
        let expiry = w.date(plan.newExpiry)
        var lines = [w.say("您的居住证有效期已延长至\(expiry)。", "Your permit is now valid until \(expiry).")]
        if plan.endorsementClass == .lateReset {
            lines.append(w.say("居住年限自\(w.date(plan.newResidenceSince))起计算。", "Your residence period counts from \(w.date(plan.newResidenceSince))."))
        }
        let facts = holderFacts(card, w) + [.init(label: w.say("有效期至", "Valid until"), value: expiry)]
        switch printed {
        case .printed:
            lines.append(w.say("新的有效期已打印在卡面上。", "The new date is printed on the card."))
            return KioskScreen(name: "done", tone: .good, title: w.say("签注完成，请取回卡片", "Done: please take your card"), lines: lines, facts: facts)
        case .noPrinter:
            lines.append(w.say("新的有效期已写入芯片；卡面日期请到服务窗口打印。", "It is stored on the chip; have the date printed on the card at the counter."))
            return KioskScreen(name: "done-no-printer", tone: .good, title: w.say("签注完成，请取回卡片", "Done: please take your card"), lines: lines, facts: facts)
        case .failed(let problem):
            let (name, why) = switch problem {
            case .outOfCards: ("done-printer-out-of-cards", w.say("打印机缺卡。", "The printer is out of cards."))
            case .jammed: ("done-printer-jammed", w.say("打印机卡住了。", "The printer is jammed."))
            case .other: ("done-printer-fault", w.say("打印机出现故障。", "The printer has a fault."))
            }
            lines[0] = w.say("签注已写入芯片，您的居住证有效期至\(expiry)，证件有效。", "The endorsement is on the chip: your permit is valid until \(expiry) and in force.")
            return KioskScreen(
                name: name, tone: .caution, title: w.say("签注完成，但卡面未能打印", "Endorsed, but the card face could not be printed"),
                lines: lines, notice: why + w.say("请取回卡片，到服务窗口补打卡面日期（免费）。", " Take your card and have the date printed at the counter (free of charge)."),
                facts: facts)
        }
    }

    private func counter(_ card: PresentedCard, _ reason: CounterReason, _ w: Words) -> KioskScreen {
        let title = w.say("请到服务窗口办理", "Please go to the counter")
        let expiry = card.expiry.map(w.date) ?? ""
        let (name, lines): (String, [String]) = switch reason {
        case .cancellationDue(let since):
            ("counter-overdue", [
                w.say("您的居住证已于\(expiry)到期，自\(w.date(since))起逾期未签注已超过规定期限。", "Your permit expired on \(expiry) and since \(w.date(since)) it has been overdue beyond the region's limit."),
                w.say("按规定须由民警认定是否注销，本机不能办理签注。", "An officer must decide on it; this kiosk cannot endorse it."),
            ])
        case .cancelled:
            ("counter-cancelled", [
                w.say("此居住证已注销，不能再签注或恢复。", "This permit has been cancelled; it can no longer be endorsed or restored."),
                w.say("如仍需居住证，请到服务窗口重新申领。", "To hold a permit again, apply at the counter."),
            ])
        case .replaced:
            ("counter-replaced", [
                w.say("此卡已被新卡替换（补领或换领），已作废。", "This card was replaced by a new card and is void."),
                w.say("请使用新卡办理；如有疑问请到服务窗口。", "Use your new card, or ask at the counter."),
            ])
        case .suspendedByOfficer:
            ("counter-suspended", [
                w.say("此居住证已由公安机关中止使用，本机不能办理。", "The police suspended this permit; this kiosk cannot endorse it."),
                w.say("请到服务窗口咨询。", "Please ask at the counter."),
            ])
        case .endorsementFileFull:
            ("counter-card-full", [
                w.say("芯片中的签注记录已满，需要换领新卡。", "The chip has no room for another endorsement; the card must be renewed."),
                w.say("请到服务窗口办理换领。", "Please renew it at the counter."),
            ])
        case .datesUnreadable:
            ("counter-dates", [
                w.say("卡片上的日期不符合本地区的规定，本机不能办理。", "The dates on this card do not follow this region's rules; this kiosk cannot endorse it."),
                w.say("请到服务窗口办理。", "Please go to the counter."),
            ])
        }
        return KioskScreen(name: name, tone: .stop, title: title, lines: lines + [w.say("卡片上没有写入任何内容。", "Nothing was written to the card.")],
                           facts: holderFacts(card, w))
    }
}
