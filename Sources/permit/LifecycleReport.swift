import Foundation
import Lifecycle

/// The two forms of `permit lifecycle`'s answer.
enum LifecycleReport {
    /// Exactly the keys of issue 4: status, expiry, residenceSince, windowOpens, windowCloses,
    /// nextTransition ({on, to} or null), endorsements ([{on, class, reason}]).
    static func json(_ e: Evaluation) -> String {
        struct Endorsement: Encodable {
            let on: CalendarDate, `class`: String, reason: String?
            func encode(to encoder: Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(on, forKey: .on)
                try c.encode(`class`, forKey: .class)
                try c.encode(reason, forKey: .reason)   // null when not refused
            }
            enum CodingKeys: String, CodingKey { case on, `class`, reason }
        }
        struct Body: Encodable {
            let e: Evaluation
            enum CodingKeys: String, CodingKey {
                case status, expiry, residenceSince, windowOpens, windowCloses, nextTransition, endorsements
            }
            func encode(to encoder: Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(e.status, forKey: .status)
                try c.encode(e.expiry, forKey: .expiry)
                try c.encode(e.residenceSince, forKey: .residenceSince)
                try c.encode(e.windowOpens, forKey: .windowOpens)
                try c.encode(e.windowCloses, forKey: .windowCloses)
                try c.encode(e.nextTransition, forKey: .nextTransition)   // null when none is scheduled
                try c.encode(e.endorsements.map {
                    Endorsement(on: $0.on, class: $0.outcome.endorsementClass?.rawValue ?? "refused", reason: $0.outcome.refusal?.code)
                }, forKey: .endorsements)
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding plain strings and dates cannot fail.
        return String(decoding: try! encoder.encode(Body(e: e)), as: UTF8.self)
    }

    /// What an officer reads.
    static func sentences(_ e: Evaluation, profile: String) -> String {
        var lines: [String] = []
        lines.append("On \(e.date), under the \(profile) rules:")
        switch e.status {
        case .inForce:
            lines.append("The permit is in force until \(e.expiry). It can be endorsed from \(e.windowOpens) to \(e.windowCloses).")
        case .windowOpen:
            lines.append("The permit is in force and due for endorsement: the window is open from \(e.windowOpens) to \(e.windowCloses) inclusive.")
        case .suspended:
            var line = "The permit is SUSPENDED (not in force): it expired on \(e.expiry) without an endorsement. A late endorsement restores it"
            if let graceEnds = e.graceEnds {
                line += e.date <= graceEnds ? "; until \(graceEnds) the residence period stays continuous" : "; the residence period restarts on that day"
            }
            if let due = e.cancellationDueFrom { line += "; from \(due) it is due for cancellation" }
            lines.append(line + ".")
        case .cancellationDue:
            lines.append("The permit is DUE FOR CANCELLATION (not in force) since \(e.cancellationDueFrom.map(\.description) ?? "?"): overdue beyond the region's limit. It cannot be endorsed; an officer decides on the cancellation (reason overdue).")
        case .cancelled:
            let why = e.cancellation.map { " on \($0.on): \($0.reason.explanation) (\($0.reason.rawValue))" } ?? ""
            lines.append("The permit is CANCELLED\(why). It cannot be restored; the holder applies again.")
        }
        lines.append("The residence period is counted from \(e.residenceSince).")
        if let next = e.nextTransition {
            lines.append("Unless something is recorded first, on \(next.on) it becomes \(phrase(next.to)).")
        } else {
            lines.append("No change is scheduled by the calendar.")
        }
        for item in e.endorsements {
            switch item.outcome {
            case .timely: lines.append("Endorsement on \(item.on): timely; the validity moved one period on.")
            case .lateContinuous: lines.append("Endorsement on \(item.on): late, within the grace; the residence period stays continuous.")
            case .lateReset: lines.append("Endorsement on \(item.on): late; the residence period restarts on \(item.on).")
            case .refused(let refusal): lines.append("Endorsement on \(item.on): REFUSED, \(refusal.explanation).")
            }
        }
        return lines.joined(separator: "\n")
    }

    private static func phrase(_ status: PermitStatus) -> String {
        switch status {
        case .inForce: return "in force"
        case .windowOpen: return "due for endorsement (the window opens)"
        case .suspended: return "suspended (not in force)"
        case .cancellationDue: return "due for cancellation (not in force; an officer decides)"
        case .cancelled: return "cancelled"
        }
    }
}
