import Foundation

/// The API's timestamps: `YYYY-MM-DD HH:MM:SS` in UTC, stored as text so that
/// text order is time order and an index serves ranges.
enum Timestamp {
    static func string(_ date: Date) -> String { string(unixSeconds: Int64(date.timeIntervalSince1970)) }

    static func string(unixSeconds: Int64) -> String {
        var t = time_t(unixSeconds)
        var parts = tm()
        gmtime_r(&t, &parts)
        return String(
            format: "%04d-%02d-%02d %02d:%02d:%02d",
            Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
            Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
    }

    static var now: String { string(Date()) }

    /// Unix seconds of a UTC calendar time, or nil when the date does not exist.
    static func unixSeconds(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) -> Int64? {
        guard (1...12).contains(month), (1...31).contains(day), (0...23).contains(hour),
            (0...59).contains(minute), (0...59).contains(second), (1000...9999).contains(year)
        else { return nil }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        let seconds = Int64(timegm(&parts))
        // timegm normalises 2026-02-30 into March; a real date survives the round trip.
        var t = time_t(seconds)
        var back = tm()
        gmtime_r(&t, &back)
        guard back.tm_mday == Int32(day), back.tm_mon == Int32(month - 1) else { return nil }
        return seconds
    }

    /// A filter bound as the family accepts it: `YYYY-MM-DD` or `YYYY-MM-DD HH:MM:SS`, nothing else.
    struct Bound: Equatable {
        /// The normalised timestamp text.
        let text: String
        let isDateOnly: Bool
        let unixSeconds: Int64
        /// The last second the bound covers as an upper end: the day's last for a date.
        var lastSecond: Int64 { isDateOnly ? unixSeconds + 86_399 : unixSeconds }
    }

    static func parseBound(_ raw: String) -> Bound? {
        let b = Array(raw.utf8)
        func number(_ range: Range<Int>) -> Int? {
            var v = 0
            for i in range {
                guard b[i] >= 0x30, b[i] <= 0x39 else { return nil }
                v = v * 10 + Int(b[i] - 0x30)
            }
            return v
        }
        guard b.count == 10 || b.count == 19, b[4] == 0x2D, b[7] == 0x2D,
            let y = number(0..<4), let m = number(5..<7), let d = number(8..<10)
        else { return nil }
        if b.count == 10 {
            guard let s = unixSeconds(year: y, month: m, day: d) else { return nil }
            return Bound(text: raw + " 00:00:00", isDateOnly: true, unixSeconds: s)
        }
        guard b[10] == 0x20, b[13] == 0x3A, b[16] == 0x3A,
            let h = number(11..<13), let mi = number(14..<16), let s = number(17..<19),
            let seconds = unixSeconds(year: y, month: m, day: d, hour: h, minute: mi, second: s)
        else { return nil }
        return Bound(text: raw, isDateOnly: false, unixSeconds: seconds)
    }
}
