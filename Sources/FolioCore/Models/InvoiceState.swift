/// An invoice's state as both API families say it: the `/api2` family's
/// numbers (1 open, 2 paid, 3 canceled) and the admin family's words, which
/// split "open" into pending, pending_payment and overdue. Anything else a
/// server sends is kept as it came and shown as it is, never a crash.
public enum InvoiceState: Sendable, Hashable, CustomStringConvertible {
    case open
    case pending
    case pendingPayment
    case overdue
    case paid
    case canceled
    case unknown(String)

    /// From the `/api2` family's `state` (1, 2, 3).
    public init(code: Int) {
        switch code {
        case 1: self = .open
        case 2: self = .paid
        case 3: self = .canceled
        default: self = .unknown(String(code))
        }
    }

    /// From the admin family's `state` text.
    public init(text: String) {
        switch text.lowercased() {
        case "open": self = .open
        case "pending": self = .pending
        case "pending_payment": self = .pendingPayment
        case "overdue": self = .overdue
        case "paid": self = .paid
        case "canceled", "cancelled": self = .canceled
        default: self = .unknown(text)
        }
    }

    /// The family's numeric filter value of this state, if it has one.
    public var code: Int? {
        switch self {
        case .open, .pending, .pendingPayment, .overdue: return 1
        case .paid: return 2
        case .canceled: return 3
        case .unknown: return nil
        }
    }

    public var isOpen: Bool { code == 1 }

    /// Short words for a badge: `open`, `pending payment`, `overdue`, `paid`, …
    public var description: String {
        switch self {
        case .open: return "open"
        case .pending: return "pending"
        case .pendingPayment: return "pending payment"
        case .overdue: return "overdue"
        case .paid: return "paid"
        case .canceled: return "canceled"
        case .unknown(let raw): return raw
        }
    }
}

/// How an invoice takes the money: at the gateway now, recorded as paid
/// elsewhere, or left open for later.
public enum CaptureMode: String, Sendable, CaseIterable, Codable {
    case offline
    case online
    case noCapture = "no_capture"

    public var label: String {
        switch self {
        case .offline: return "offline (recorded as paid, no gateway call)"
        case .online: return "online (the payment gateway captures now)"
        case .noCapture: return "no capture (invoice stays open)"
        }
    }
}
