/// How an order's history entry is named to people, the same in the TUI and
/// the CLI: who it was for, in words (never only a colour).
public enum HistoryWords {
    /// "customer, notified", "customer", "internal, notified", "internal".
    public static func audience(_ entry: OrderHistoryEntry) -> String {
        (entry.isVisibleOnFront ? "customer" : "internal") + (entry.isCustomerNotified ? ", notified" : "")
    }
}
