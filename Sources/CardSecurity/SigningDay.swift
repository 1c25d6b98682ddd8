/// The day a signed record or document says it was signed (a record's date, a security object's or status
/// list's signing day) must be one its signer could have signed on: not after today, and within the signer
/// certificate's validity. A day outside these bounds is a wrong clock or a backdated (or forward-dated)
/// signature, which a valid signature alone does not reveal (docs/CLOCK.md).
public enum SigningDay {
    /// The verdict on `day`, the signing day of `what` (e.g. "endorsement 2"), signed by `signer`; the
    /// certificate's validity is read in `calendar`'s time zone, whose `today` is the verification day.
    public static func verdict(
        _ day: CalendarDate, of what: String, signer: PKICertificate, calendar: StationCalendar, today: CalendarDate
    ) -> Verdict {
        if day > today {
            return .failed(reason: "\(what) is dated \(day), after today (\(today)): its signer's clock was wrong or the date was forged")
        }
        let validFrom = calendar.date(of: signer.notValidBefore)
        if day < validFrom {
            return .failed(reason: "\(what) is dated \(day), before its signer \(signer) was valid (from \(validFrom)): the date was set back")
        }
        let validUntil = calendar.date(of: signer.notValidAfter)
        if day > validUntil {
            return .failed(reason: "\(what) is dated \(day), after its signer \(signer) expired (\(validUntil))")
        }
        return .passed
    }
}
