/// How an order's history entry is named to people, the same in the TUI and
/// the CLI: who it was for, in words (never only a colour).
public enum HistoryWords {
    /// "customer-visible" or "internal" (shown in the customer's account or
    /// not), and ", customer notified" when the customer was told (an email
    /// went out, or the entry says so).
    public static func audience(_ entry: OrderHistoryEntry) -> String {
        (entry.isVisibleOnFront ? "customer-visible" : "internal") + (entry.isCustomerNotified ? ", customer notified" : "")
    }
}
