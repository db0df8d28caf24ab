import Foundation

/// The one rule for a quantity chosen of an item, whether invoiced or
/// refunded: never negative, never more than is left, whole units unless
/// the item is sold in fractions, and at most four decimals (the store's
/// scale). Worded for the clerk, naming the SKU.
public enum QuantityRule {
    /// Why `qty` cannot be taken of `sku`, of which `left` remains to `verb` ("invoice", "refund"); nil when it can.
    public static func problem(_ qty: Decimal, sku: String, left: Decimal, decimal: Bool, verb: String) -> String? {
        if qty < 0 { return "\(sku): the quantity cannot be negative" }
        if qty > left { return left <= 0 ? "\(sku): nothing left to \(verb)" : "\(sku): only \(left) left to \(verb)" }
        if !decimal && qty != qty.rounded(toPlaces: 0) { return "\(sku): whole units only" }
        if qty != qty.rounded(toPlaces: 4) { return "\(sku): at most 4 decimals" }
        return nil
    }
}
