import Foundation
import GRDB
import Testing

@testable import FolioServer

/// Partial invoices pro-rate an order's amounts cumulatively: each line is
/// within one minor unit of its exact share, never negative, and an order's
/// invoices add up to it exactly.
@Suite struct ProRatingTests {
    /// The figures of a line, paired with the item amounts they are shares of.
    static var shares: [(line: KeyPath<InvoiceItemRow, Int64>, item: KeyPath<OrderItemRow, Int64>)] {
        [
            (\.rowTotal, \.rowTotal), (\.baseRowTotal, \.baseRowTotal),
            (\.taxAmount, \.taxAmount), (\.baseTaxAmount, \.baseTaxAmount),
            (\.discountAmount, \.discountAmount), (\.baseDiscountAmount, \.baseDiscountAmount),
        ]
    }

    static func item(id: Int64, ordered: Int64, decimal: Bool, amounts: [Int64]) -> OrderItemRow {
        OrderItemRow(
            itemId: id, orderId: 1, sku: "SKU-\(id)", name: "Item \(id)", productId: id, productType: "simple",
            isQtyDecimal: decimal, qtyOrdered: ordered, qtyInvoiced: 0, qtyCanceled: 0, qtyRefunded: 0,
            price: 0, basePrice: 0, rowTotal: amounts[0], baseRowTotal: amounts[1], taxAmount: amounts[2],
            baseTaxAmount: amounts[3], discountAmount: amounts[4], baseDiscountAmount: amounts[5],
            rowInvoiced: 0, baseRowInvoiced: 0, taxInvoiced: 0, baseTaxInvoiced: 0, discountInvoiced: 0,
            baseDiscountInvoiced: 0, additional: nil, baseImageUrl: nil)
    }

    static func order(_ items: [OrderItemRow], shipping: Int64, shippingTax: Int64) -> OrderRow {
        let sum = { (key: KeyPath<OrderItemRow, Int64>) in items.reduce(0) { $0 + $1[keyPath: key] } }
        var order = OrderRow(
            entityId: 1, incrementId: "100000001", state: "processing", status: "processing",
            createdAt: "2026-01-01 00:00:00", updatedAt: "2026-01-01 00:00:00", customerName: "A B",
            customerEmail: "a@example.com", channelName: "Web", orderCurrencyCode: "USD", baseCurrencyCode: "USD",
            paymentMethod: "checkmo", subtotal: sum(\.rowTotal), baseSubtotal: sum(\.baseRowTotal),
            taxAmount: sum(\.taxAmount) + shippingTax, baseTaxAmount: sum(\.baseTaxAmount) + shippingTax,
            discountAmount: sum(\.discountAmount), baseDiscountAmount: sum(\.baseDiscountAmount),
            shippingAmount: shipping, baseShippingAmount: shipping, shippingTaxAmount: shippingTax,
            baseShippingTaxAmount: shippingTax, grandTotal: 0, baseGrandTotal: 0, faceFactor: 100,
            shippingInvoiced: false, canInvoice: true)
        order.grandTotal = order.subtotal - order.discountAmount + order.taxAmount + order.shippingAmount
        order.baseGrandTotal = order.baseSubtotal - order.baseDiscountAmount + order.baseTaxAmount + order.baseShippingAmount
        return order
    }

    /// Invoices `steps` one after another, as the server would, and returns each invoice.
    static func invoiceInTurn(
        _ order: OrderRow, _ items: [OrderItemRow], _ steps: [[Int64: Quantity]]
    )
        -> [InvoiceCalculator.Result]
    {
        var order = order
        var items = items
        var results: [InvoiceCalculator.Result] = []
        for quantities in steps {
            let result = InvoiceCalculator.invoice(order: order, items: items, quantities: quantities)
            let byId = Dictionary(uniqueKeysWithValues: result.updatedItems.map { ($0.itemId, $0) })
            items = items.map { byId[$0.itemId] ?? $0 }
            order = result.order
            results.append(result)
        }
        return results
    }

    @Test func twoCentsOfTaxOverFourUnitsInvoicedOneAtATime() {
        let item = Self.item(id: 1, ordered: 4 * Quantity.scale, decimal: false, amounts: [400, 400, 2, 2, 0, 0])
        let steps = Array(repeating: [Int64(1): Quantity(units: 1)], count: 4)
        let results = Self.invoiceInTurn(Self.order([item], shipping: 0, shippingTax: 0), [item], steps)
        #expect(results.map { $0.lines[0].taxAmount } == [1, 0, 1, 0], "never 1, 1, 1, −1")
        #expect(results.map { $0.lines[0].rowTotal } == [100, 100, 100, 100])
    }

    @Test func aDollarOverThreeUnitsIsThirtyThreeThirtyFourThirtyThree() {
        let item = Self.item(id: 1, ordered: 3 * Quantity.scale, decimal: false, amounts: [100, 100, 100, 100, 100, 100])
        let steps = Array(repeating: [Int64(1): Quantity(units: 1)], count: 3)
        let results = Self.invoiceInTurn(Self.order([item], shipping: 0, shippingTax: 0), [item], steps)
        #expect(results.map { $0.lines[0].taxAmount } == [33, 34, 33])
    }

    /// A random order: 1 to 4 items, whole or decimal, amounts from a cent to
    /// ten trillion, some quantities canceled up front.
    static func randomOrder(_ random: inout SeedRandom) -> (OrderRow, [OrderItemRow]) {
        func amount() -> Int64 {
            switch random.int(0...3) {
            case 0: return random.int(0...3)
            case 1: return random.int(0...10_000)
            case 2: return random.int(0...10_000_000)
            default: return random.int(0...1_000_000_000_000_000)
            }
        }
        let items = (1...random.int(1...4)).map { i -> OrderItemRow in
            let decimal = random.chance(0.5)
            let ordered =
                decimal
                ? (random.chance(0.3) ? random.int(1...40) : random.int(1...500_000))
                : random.int(1...(random.chance(0.1) ? 100_000 : 12)) * Quantity.scale
            var item = Self.item(id: Int64(i), ordered: ordered, decimal: decimal, amounts: (0..<6).map { _ in amount() })
            if random.chance(0.25) {
                let canceled = random.int(0...ordered)
                item.qtyCanceled = decimal ? canceled : canceled / Quantity.scale * Quantity.scale
            }
            return item
        }
        return (Self.order(items, shipping: amount(), shippingTax: random.int(0...100)), items)
    }

    /// Random partial invoices until nothing is left: whole units of whole
    /// items, any fraction of decimal ones; the last invoice takes what remains.
    static func randomSteps(_ items: [OrderItemRow], _ random: inout SeedRandom) -> [[Int64: Quantity]] {
        var left = Dictionary(uniqueKeysWithValues: items.map { ($0.itemId, $0.qtyToInvoice.scaled) })
        let unit = Dictionary(uniqueKeysWithValues: items.map { ($0.itemId, $0.isQtyDecimal ? 1 : Quantity.scale) })
        var steps: [[Int64: Quantity]] = []
        while left.values.contains(where: { $0 > 0 }) {
            var step: [Int64: Quantity] = [:]
            // In id order: a dictionary's own order changes from run to run.
            for id in left.keys.sorted() where left[id]! > 0 && (steps.count >= 30 || random.chance(0.6)) {
                let remaining = left[id]!
                let units = remaining / unit[id]!
                let take = steps.count >= 30 || random.chance(0.2) ? units : random.int(1...min(units, random.chance(0.5) ? 3 : units))
                step[id] = Quantity(scaled: take * unit[id]!)
                left[id]! -= take * unit[id]!
            }
            if !step.isEmpty { steps.append(step) }
        }
        return steps
    }

    @Test func randomOrdersAndPartialInvoicesArePerLineExactAndAddUp() {
        var failures: [String] = []
        var lines = 0
        for number in 0..<2_000 {
            // Case N alone reproduces with this seed.
            var random = SeedRandom(seed: 0xF011_0000 + UInt64(number))
            let (order, items) = Self.randomOrder(&random)
            let results = Self.invoiceInTurn(order, items, Self.randomSteps(items, &random))
            failures += Self.check(order, items, results).map { "case \(number): \($0)" }
            lines += results.reduce(0) { $0 + $1.lines.count }
        }
        // The count, not the list: a broken rule breaks thousands of lines.
        #expect(failures.count == 0, "first failures: \(failures.prefix(5))")
        #expect(lines > 3_000, "the cases invoice many lines")
    }

    /// What the rule promises of an order's invoices, as the list of what it broke.
    static func check(_ order: OrderRow, _ items: [OrderItemRow], _ results: [InvoiceCalculator.Result]) -> [String] {
        var failures: [String] = []
        let byId = Dictionary(uniqueKeysWithValues: items.map { ($0.itemId, $0) })
        var charged: [String: Int64] = [:]
        for (invoice, result) in results.enumerated() {
            for line in result.lines {
                let item = byId[line.orderItemId]!
                for (index, share) in shares.enumerated() {
                    let amount = item[keyPath: share.item]
                    let value = line[keyPath: share.line]
                    // |value − amount × qty ÷ ordered| < 1 minor unit, without dividing.
                    let error = Int128(value) * Int128(item.qtyOrdered) - Int128(amount) * Int128(line.qty)
                    if error.magnitude >= UInt128(item.qtyOrdered) || value < 0 {
                        failures.append(
                            "invoice \(invoice), item \(item.itemId), figure \(index): \(value) for qty \(line.qty) "
                                + "of \(item.qtyOrdered) at \(amount)")
                    }
                    charged["\(item.itemId).\(index)", default: 0] += value
                }
            }
        }
        // Per item and figure, the invoices add up to the invoiceable part exactly.
        for item in items {
            for (index, share) in shares.enumerated() {
                let expected = prorate(item[keyPath: share.item], item.qtyOrdered - item.qtyCanceled, item.qtyOrdered)
                let sum = charged["\(item.itemId).\(index)", default: 0]
                if sum != expected { failures.append("item \(item.itemId), figure \(index): invoiced \(sum), not \(expected)") }
            }
        }
        let sum = { (key: KeyPath<InvoiceCalculator.Totals, Int64>) in results.reduce(0) { $0 + $1.totals[keyPath: key] } }
        if !results.isEmpty, sum(\.shippingAmount) != order.shippingAmount || sum(\.baseShippingAmount) != order.baseShippingAmount {
            failures.append("shipping is not charged exactly once")
        }
        if !results.isEmpty, items.allSatisfy({ $0.qtyCanceled == 0 }),
            sum(\.grandTotal) != order.grandTotal || sum(\.baseGrandTotal) != order.baseGrandTotal
                || sum(\.taxAmount) != order.taxAmount || sum(\.discountAmount) != order.discountAmount
        {
            failures.append("the invoices add up to \(sum(\.grandTotal)), not the order's \(order.grandTotal)")
        }
        return failures
    }

    @Test func theCheckCatchesTheOldDrift() {
        // Shares rounded one by one, the last absorbing the drift: what the rule forbids.
        let item = Self.item(id: 1, ordered: 4 * Quantity.scale, decimal: false, amounts: [400, 400, 2, 2, 0, 0])
        let order = Self.order([item], shipping: 0, shippingTax: 0)
        var results = Self.invoiceInTurn(order, [item], Array(repeating: [Int64(1): Quantity(units: 1)], count: 4))
        for (i, tax) in [1, 1, 1, -1].enumerated() { results[i].lines[0].taxAmount = Int64(tax) }
        #expect(Self.check(order, [item], results).contains { $0.contains("figure 2: -1") })
    }

    /// `"4.6300"` in a currency of `scale` minor units → 463.
    static func minorUnits(_ json: JSON?, scale: Int64) -> Int64? {
        json?.decimal.map { NSDecimalNumber(decimal: $0 * Decimal(scale)).int64Value }
    }

    @Test func orderOneTwentyThreesLinenAQuarterMetreAtATimeOverHTTP() async throws {
        try await LiveServer.with(orders: 130) { s in
            let (order, linen) = try await s.server.database.read { db in
                (try #require(try OrderRow.fetchOne(db, key: 123)), try #require(try OrderItemRow.fetchOne(db, key: 12)))
            }
            #expect(linen.isQtyDecimal && linen.qtyOrdered == 25_000, "2.5 m of linen")
            let scale = Currency.of(order.orderCurrencyCode).scale
            let baseScale = Currency.of(order.baseCurrencyCode).scale
            var lines: [JSON] = []
            for _ in 0..<10 {
                let reply = try await s.post(
                    "/api2/invoice/create",
                    json: #"{"order_id": 123, "items": [{"order_item_id": 12, "qty": "0.25"}]}"#)
                #expect(reply.status == 201)
                lines.append(try #require(try reply.json["invoice"]?["items"]?.array?.first))
            }
            let figures: [(String, Int64, Int64)] = [
                ("row_total", linen.rowTotal, scale), ("base_row_total", linen.baseRowTotal, baseScale),
                ("tax_amount", linen.taxAmount, scale), ("discount_amount", linen.discountAmount, scale),
            ]
            for (field, total, scale) in figures {
                let shares = lines.compactMap { Self.minorUnits($0[field], scale: scale) }
                #expect(shares.count == 10)
                #expect(shares.max()! - shares.min()! <= 1, "\(field): \(shares) differ by at most one minor unit")
                #expect(shares.reduce(0, +) == total, "\(field): \(shares) add up to the item's \(total)")
            }
            #expect(lines.compactMap { Self.minorUnits($0["row_total"], scale: scale) }.allSatisfy { $0 > 0 })

            // The rest in one invoice: all eleven add up to the order, in both currencies.
            #expect(try await s.post("/api2/invoice/create", json: #"{"order_id": 123}"#).status == 201)
            let invoices = try #require(try await s.get("/api2/invoice?order_id=123&limit=200").json["invoices"]?.array)
            #expect(invoices.count == 11)
            #expect(invoices.compactMap { Self.minorUnits($0["grand_total"], scale: scale) }.reduce(0, +) == order.grandTotal)
            #expect(
                invoices.compactMap { Self.minorUnits($0["base_grand_total"], scale: baseScale) }.reduce(0, +)
                    == order.baseGrandTotal)
        }
    }
}
