import Foundation
import Testing

@testable import FolioServer

/// The arithmetic of credit memos, without HTTP: partial refunds pro-rate
/// each invoice line cumulatively, so each credit memo line is within one
/// minor unit of its exact share and a line refunded in full gives back
/// exactly what it invoiced; the money never goes negative nor past what was
/// invoiced and not yet refunded, in either currency.
@Suite struct CreditMemoArithmeticTests {
    typealias Calculator = CreditMemoCalculator

    /// An order's invoices and everything refunded so far, as the store keeps them.
    struct Store {
        var order: OrderRow
        var items: [OrderItemRow]
        var invoices: [Calculator.Invoice]
        var orderRefunds: OrderRefundRow
        var memos: [Calculator.Result] = []

        /// The invoice at `index` as the source, or the order's invoices when nil.
        func source(_ index: Int?) -> Calculator.Source {
            Calculator.Source(
                kind: index == nil ? .order : .invoice, order: order, items: items,
                invoices: index.map { [invoices[$0]] } ?? invoices, orderRefunds: orderRefunds)
        }

        /// What the store writes after a credit memo.
        mutating func apply(_ result: Calculator.Result) {
            let lines = Dictionary(uniqueKeysWithValues: result.invoiceLines.map { ($0.entityId!, $0) })
            let tallies = Dictionary(uniqueKeysWithValues: result.invoiceRefunds.map { ($0.invoiceId, $0) })
            for i in invoices.indices {
                invoices[i].lines = invoices[i].lines.map { lines[$0.entityId!] ?? $0 }
                invoices[i].refunds = tallies[invoices[i].id] ?? invoices[i].refunds
            }
            let updated = Dictionary(uniqueKeysWithValues: result.orderItems.map { ($0.itemId, $0) })
            items = items.map { updated[$0.itemId] ?? $0 }
            orderRefunds = result.orderRefunds
            memos.append(result)
        }
    }

    /// Invoices `order` in `steps` (as the server would) and keeps the invoices as stored.
    static func store(_ order: OrderRow, _ items: [OrderItemRow], _ steps: [[Int64: Quantity]]) -> Store {
        var order = order
        var items = items
        var invoices: [Calculator.Invoice] = []
        var lineId: Int64 = 0
        for quantities in steps {
            let result = InvoiceCalculator.invoice(order: order, items: items, quantities: quantities)
            let id = Int64(invoices.count + 1)
            let row = InvoiceRow(
                entityId: id, incrementId: String(100_000_000 + id), orderId: order.entityId, orderIncrementId: order.incrementId,
                state: 2, paymentStatus: "paid", captureMode: "offline", transactionId: nil, emailSent: false,
                totals: result.totals, order: order, billingName: "A B", createdAt: "2026-01-01 00:00:00")
            let lines = result.lines.map { line in
                var line = line
                lineId += 1
                line.entityId = lineId
                line.invoiceId = id
                return line
            }
            invoices.append(Calculator.Invoice(row: row, lines: lines, refunds: InvoiceRefundRow(invoiceId: id)))
            let byId = Dictionary(uniqueKeysWithValues: result.updatedItems.map { ($0.itemId, $0) })
            items = items.map { byId[$0.itemId] ?? $0 }
            order = result.order
        }
        return Store(order: order, items: items, invoices: invoices, orderRefunds: OrderRefundRow(orderId: order.entityId))
    }

    /// A random order whose items' discounts are at most half their row totals
    /// (as a store's are), in order and base currency; amounts from a cent to
    /// a hundred billion, whole and decimal items; no shipping figures without
    /// shipping.
    static func randomOrder(_ random: inout SeedRandom) -> (OrderRow, [OrderItemRow]) {
        func amount() -> Int64 {
            switch random.int(0...3) {
            case 0: return random.int(0...5)
            case 1: return random.int(0...10_000)
            case 2: return random.int(0...10_000_000)
            default: return random.int(0...10_000_000_000_000)
            }
        }
        let items = (1...random.int(1...4)).map { i -> OrderItemRow in
            let decimal = random.chance(0.4)
            let ordered =
                decimal
                ? (random.chance(0.3) ? random.int(1...40) : random.int(1...60_000))
                : random.int(1...(random.chance(0.1) ? 1_000 : 8)) * Quantity.scale
            let row = amount()
            let baseRow = amount()
            let amounts = [
                row, baseRow, amount(), amount(), random.chance(0.4) ? random.int(0...row / 2) : 0,
                random.chance(0.4) ? random.int(0...baseRow / 2) : 0,
            ]
            return ProRatingTests.item(id: Int64(i), ordered: ordered, decimal: decimal, amounts: amounts)
        }
        let shipping = random.chance(0.2) ? 0 : amount()
        var order = ProRatingTests.order(items, shipping: shipping, shippingTax: shipping == 0 ? 0 : amount())
        order.baseShippingAmount = shipping == 0 ? 0 : amount()
        order.baseShippingTaxAmount = shipping == 0 ? 0 : amount()
        order.baseTaxAmount = items.reduce(0) { $0 + $1.baseTaxAmount } + order.baseShippingTaxAmount
        order.baseGrandTotal = order.baseSubtotal - order.baseDiscountAmount + order.baseTaxAmount + order.baseShippingAmount
        return (order, items)
    }

    /// A random request against `source`: some units of some items (by id or
    /// sku), some shipping; now and then everything left, or shipping alone.
    static func randomAsk(_ source: Calculator.Source, _ random: inout SeedRandom) -> Calculator.Asked {
        if random.chance(0.08) { return Calculator.Asked(items: nil) }
        var items: [CreateInvoiceRequest.RequestedItem] = []
        for item in source.items {
            let left = source.invoices.flatMap(\.lines).filter { $0.orderItemId == item.itemId }.reduce(0) { $0 + $1.qtyToRefund }
            let unit = item.isQtyDecimal ? Int64(1) : Quantity.scale
            guard left >= unit, random.chance(0.5) else { continue }
            let units = left / unit
            let take = random.chance(0.2) ? units : random.int(1...min(units, random.chance(0.5) ? 3 : units))
            let reference: CreateInvoiceRequest.ItemReference = random.chance(0.5) ? .itemId(item.itemId) : .sku(item.sku)
            items.append(.init(reference: reference, qty: Quantity(scaled: take * unit)))
        }
        let shippingLeft = source.invoices.reduce(0) { $0 + $1.shippingLeft }
        let shipping: MinorUnits? = shippingLeft > 0 && random.chance(0.4) ? random.int(1...shippingLeft) : nil
        return Calculator.Asked(items: items, shipping: shipping)
    }

    /// No invoice below zero: a partial invoice of a few cents of a line nearly
    /// all discount can round to −0.01 (in either currency), which a store's
    /// prices never come near, and which nothing can refund.
    static func isStoreLike(_ store: Store) -> Bool {
        store.invoices.allSatisfy { $0.row.grandTotal >= 0 && $0.row.baseGrandTotal >= 0 }
    }

    /// |share − amount × q ÷ Q| < 1 minor unit, without dividing; and never negative.
    static func withinOneUnit(_ share: Int64, of amount: Int64, _ q: Int64, _ whole: Int64) -> Bool {
        let error = Int128(share) * Int128(whole) - Int128(amount) * Int128(q)
        return error.magnitude < UInt128(whole) && share >= 0
    }

    /// What the rules promise of a store's credit memos so far, as the list of what they broke.
    static func check(_ store: Store, complete: Bool) -> [String] {
        var failures: [String] = []
        let lines = Dictionary(uniqueKeysWithValues: store.invoices.flatMap(\.lines).map { ($0.entityId!, $0) })
        let figures: [(KeyPath<CreditMemoItemRow, Int64>, KeyPath<InvoiceItemRow, Int64>, KeyPath<InvoiceItemRow, Int64>)] = [
            (\.rowTotal, \.rowTotal, \.rowRefunded), (\.baseRowTotal, \.baseRowTotal, \.baseRowRefunded),
            (\.taxAmount, \.taxAmount, \.taxRefunded), (\.baseTaxAmount, \.baseTaxAmount, \.baseTaxRefunded),
            (\.discountAmount, \.discountAmount, \.discountRefunded),
            (\.baseDiscountAmount, \.baseDiscountAmount, \.baseDiscountRefunded),
        ]
        var refundedQty: [Int64: Int64] = [:]
        var refunded: [String: Int64] = [:]
        for (n, memo) in store.memos.enumerated() {
            for part in memo.lines {
                let line = lines[part.invoiceItemId]!
                refundedQty[part.invoiceItemId, default: 0] += part.qty
                for (index, figure) in figures.enumerated() {
                    let share = part[keyPath: figure.0]
                    refunded["\(part.invoiceItemId).\(index)", default: 0] += share
                    if !withinOneUnit(share, of: line[keyPath: figure.1], part.qty, line.qty) {
                        failures.append(
                            "memo \(n), line \(part.invoiceItemId), figure \(index): \(share) for \(part.qty) of \(line.qty) "
                                + "at \(line[keyPath: figure.1])")
                    }
                }
            }
            let t = memo.totals
            if t.grandTotal < 0 || t.baseGrandTotal < 0 { failures.append("memo \(n) is negative") }
            if t.grandTotal != t.subtotal - t.discountAmount + t.taxAmount + t.shippingAmount + t.adjustmentPositive - t.adjustmentNegative
            {
                failures.append("memo \(n): the grand total is not its parts")
            }
        }
        for (id, line) in lines {
            if line.qtyRefunded != refundedQty[id, default: 0] || line.qtyRefunded > line.qty {
                failures.append("line \(id): refunded \(line.qtyRefunded) of \(line.qty), memos say \(refundedQty[id, default: 0])")
            }
            for (index, figure) in figures.enumerated() {
                let tally = line[keyPath: figure.2]
                if tally != refunded["\(id).\(index)", default: 0] { failures.append("line \(id), figure \(index): tally \(tally)") }
                // What earlier memos took is the rounded cumulative share.
                if tally != prorate(line[keyPath: figure.1], line.qtyRefunded, line.qty) {
                    failures.append("line \(id), figure \(index): \(tally) is not the cumulative share")
                }
                if complete && tally != line[keyPath: figure.1] {
                    failures.append("line \(id), figure \(index): refunded \(tally) of \(line[keyPath: figure.1])")
                }
            }
        }
        let sum = { (key: KeyPath<Calculator.Totals, Int64>) in store.memos.reduce(0) { $0 + $1.totals[keyPath: key] } }
        let invoiced = { (key: KeyPath<InvoiceRow, Int64>) in store.invoices.reduce(0) { $0 + $1.row[keyPath: key] } }
        for invoice in store.invoices {
            let r = invoice.refunds
            if r.totalRefunded < 0 || r.totalRefunded > invoice.row.grandTotal || r.baseTotalRefunded < 0
                || r.baseTotalRefunded > invoice.row.baseGrandTotal || r.shippingRefunded > invoice.row.shippingAmount
            {
                failures.append("invoice \(invoice.id): refunded \(r) of \(invoice.row.grandTotal)/\(invoice.row.baseGrandTotal)")
            }
        }
        let o = store.orderRefunds
        if o.totalRefunded != sum(\.grandTotal) || o.baseTotalRefunded != sum(\.baseGrandTotal)
            || o.totalRefunded != store.invoices.reduce(0, { $0 + $1.refunds.totalRefunded })
            || o.baseTotalRefunded != store.invoices.reduce(0, { $0 + $1.refunds.baseTotalRefunded })
        {
            failures.append("the order's tallies are not its credit memos' nor its invoices'")
        }
        if o.totalRefunded > invoiced(\.grandTotal) || o.baseTotalRefunded > invoiced(\.baseGrandTotal) {
            failures.append("refunded more than was invoiced")
        }
        if complete {
            let pairs: [(KeyPath<Calculator.Totals, Int64>, KeyPath<InvoiceRow, Int64>)] = [
                (\.grandTotal, \.grandTotal), (\.baseGrandTotal, \.baseGrandTotal), (\.subtotal, \.subtotal),
                (\.baseSubtotal, \.baseSubtotal), (\.taxAmount, \.taxAmount), (\.baseTaxAmount, \.baseTaxAmount),
                (\.discountAmount, \.discountAmount), (\.baseDiscountAmount, \.baseDiscountAmount),
                (\.shippingAmount, \.shippingAmount), (\.baseShippingAmount, \.baseShippingAmount),
                (\.shippingTaxAmount, \.shippingTaxAmount), (\.baseShippingTaxAmount, \.baseShippingTaxAmount),
            ]
            for (memo, invoice) in pairs where sum(memo) != invoiced(invoice) {
                failures.append("refunded \(sum(memo)) in all, invoiced \(invoiced(invoice)) (\(invoice))")
            }
        }
        return failures
    }

    @Test func aFullRefundGivesBackExactlyTheInvoice() throws {
        var random = SeedRandom(seed: 0xC0DE)
        for _ in 0..<300 {
            let (order, items) = Self.randomOrder(&random)
            var store = Self.store(order, items, ProRatingTests.randomSteps(items, &random))
            guard Self.isStoreLike(store) else { continue }
            for index in store.invoices.indices {
                let result = try Calculator.creditMemo(store.source(index), Calculator.Asked(items: nil))
                #expect(result.totals.grandTotal == store.invoices[index].row.grandTotal)
                #expect(result.totals.baseGrandTotal == store.invoices[index].row.baseGrandTotal)
                #expect(result.totals.taxAmount == store.invoices[index].row.taxAmount)
                #expect(result.totals.shippingAmount == store.invoices[index].row.shippingAmount)
                store.apply(result)
            }
            #expect(Self.check(store, complete: true) == [])
            #expect(throws: APIError.cannotCreateCreditMemo("everything invoiced on order 100000001 has been refunded")) {
                try Calculator.creditMemo(store.source(nil), Calculator.Asked(items: nil))
            }
        }
    }

    @Test func twoCentsOfTaxOverFourUnitsRefundedOneAtATime() throws {
        let item = ProRatingTests.item(id: 1, ordered: 4 * Quantity.scale, decimal: false, amounts: [400, 400, 2, 2, 0, 0])
        var store = Self.store(ProRatingTests.order([item], shipping: 0, shippingTax: 0), [item], [[1: Quantity(units: 4)]])
        var taxes: [Int64] = []
        for _ in 0..<4 {
            let result = try Calculator.creditMemo(store.source(0), .init(items: [.init(reference: .itemId(1), qty: Quantity(units: 1))]))
            taxes.append(result.lines[0].taxAmount)
            store.apply(result)
        }
        #expect(taxes == [1, 0, 1, 0], "as invoices are: never 1, 1, 1, −1")
        #expect(Self.check(store, complete: true) == [])
    }

    @Test func shippingRefundedInPartsCarriesItsTaxAndBaseCumulatively() throws {
        let item = ProRatingTests.item(id: 1, ordered: Quantity.scale, decimal: false, amounts: [1000, 900, 0, 0, 0, 0])
        var order = ProRatingTests.order([item], shipping: 1000, shippingTax: 190)
        order.baseShippingAmount = 901
        order.baseShippingTaxAmount = 171
        var store = Self.store(order, [item], [[1: Quantity(units: 1)]])
        var parts: [(Int64, Int64, Int64)] = []
        for _ in 0..<3 {
            let result = try Calculator.creditMemo(store.source(0), .init(items: [], shipping: 333))
            parts.append((result.totals.shippingTaxAmount, result.totals.baseShippingAmount, result.totals.baseShippingTaxAmount))
            store.apply(result)
        }
        // 190 × 333 ÷ 1000 = 63.27 → 63; × 666 → 126.54 → 127, less 63; × 999 → 189.81 → 190, less 127.
        #expect(parts.map { $0.0 } == [63, 64, 63])
        #expect(parts.map { $0.1 } == [300, 300, 300])
        #expect(parts.map { $0.2 } == [57, 57, 57])
        let last = try Calculator.creditMemo(store.source(0), .init(items: [], shipping: 1))
        store.apply(last)
        let memos = store.memos.map(\.totals)
        #expect(memos.reduce(0) { $0 + $1.shippingTaxAmount } == 190)
        #expect(memos.reduce(0) { $0 + $1.baseShippingAmount } == 901)
        #expect(memos.reduce(0) { $0 + $1.baseShippingTaxAmount } == 171)
        #expect(throws: APIError.self) { try Calculator.creditMemo(store.source(0), .init(items: [], shipping: 1)) }
    }

    @Test func randomInvoicesAndPartialRefundSequencesAreExactAndBounded() throws {
        var failures: [String] = []
        var memos = 0
        var negatives = 0
        for number in 0..<1_500 {
            // Case N alone reproduces with this seed.
            var random = SeedRandom(seed: 0xC4ED_0000 + UInt64(number))
            let (order, items) = Self.randomOrder(&random)
            var store = Self.store(order, items, ProRatingTests.randomSteps(items, &random))
            guard Self.isStoreLike(store) else { continue }
            for _ in 0..<random.int(1...12) {
                let index: Int? = random.chance(0.3) ? nil : random.int(0...(store.invoices.count - 1))
                let source = store.source(index)
                let asked = Self.randomAsk(source, &random)
                do {
                    store.apply(try Calculator.creditMemo(source, asked))
                } catch let error as APIError {
                    // A few units of a line whose discount is nearly its row can round to −1.
                    if error.message == "Invalid adjustment", error.detail?.contains("is never negative") == true {
                        negatives += 1
                    } else if error.message != "Cannot create credit memo" {
                        failures.append("case \(number): \(asked) refused: \(error.message) \(error.detail ?? "")")
                    }
                }
                failures += Self.check(store, complete: false).map { "case \(number): \($0)" }
            }
            // The rest in one credit memo of the order: then everything was refunded exactly.
            if let rest = try? Calculator.creditMemo(store.source(nil), Calculator.Asked(items: nil)) { store.apply(rest) }
            failures += Self.check(store, complete: true).map { "case \(number), complete: \($0)" }
            memos += store.memos.count
        }
        // The count, not the list: a broken rule breaks thousands of lines.
        #expect(failures.count == 0, "first failures: \(failures.prefix(5))")
        #expect(memos > 5_000, "the cases make many credit memos")
        #expect(negatives < memos / 100, "a negative credit memo is a rare rounding case")
    }

    @Test func randomAdjustmentsNeverTakeTheMoneyPastWhatWasInvoiced() throws {
        var failures: [String] = []
        var refusedAdjustments = 0
        for number in 0..<800 {
            var random = SeedRandom(seed: 0xAD1_0000 + UInt64(number))
            let (order, items) = Self.randomOrder(&random)
            var store = Self.store(order, items, ProRatingTests.randomSteps(items, &random))
            guard Self.isStoreLike(store) else { continue }
            let invoiced = store.invoices.reduce(0) { $0 + $1.row.grandTotal }
            for _ in 0..<random.int(1...10) {
                let index: Int? = random.chance(0.4) ? nil : random.int(0...(store.invoices.count - 1))
                let source = store.source(index)
                var asked = Self.randomAsk(source, &random)
                let scale = max(1, invoiced / 4)
                if random.chance(0.5) { asked.adjustmentPositive = random.int(0...scale) }
                if random.chance(0.5) { asked.adjustmentNegative = random.int(0...scale) }
                do {
                    store.apply(try Calculator.creditMemo(source, asked))
                } catch let error as APIError {
                    guard ["Invalid adjustment", "Cannot create credit memo"].contains(error.message) else {
                        failures.append("case \(number): refused: \(error.message) \(error.detail ?? "")")
                        continue
                    }
                    refusedAdjustments += error.message == "Invalid adjustment" ? 1 : 0
                }
                failures += Self.check(store, complete: false).map { "case \(number): \($0)" }
            }
        }
        #expect(failures.count == 0, "first failures: \(failures.prefix(5))")
        #expect(refusedAdjustments > 100, "the cases reach the limits")
    }

    @Test func anOrderSourceTakesAnItemFromItsOldestInvoiceFirst() throws {
        let item = ProRatingTests.item(id: 7, ordered: 5 * Quantity.scale, decimal: false, amounts: [500, 450, 50, 45, 0, 0])
        let order = ProRatingTests.order([item], shipping: 100, shippingTax: 10)
        var store = Self.store(order, [item], [[7: Quantity(units: 2)], [7: Quantity(units: 3)]])
        let result = try Calculator.creditMemo(store.source(nil), .init(items: [.init(reference: .sku("SKU-7"), qty: Quantity(units: 3))]))
        #expect(result.lines.map(\.invoiceId) == [1, 2])
        #expect(result.lines.map(\.qty) == [2 * Quantity.scale, Quantity.scale])
        #expect(result.invoices.map(\.entityId) == [1, 2], "the credit memo's invoice is the oldest")
        #expect(result.totals.shippingAmount == 0, "items named, shipping not: none")
        store.apply(result)
        #expect(store.invoices[0].refunds.totalRefunded == 220, "the first invoice's two units and their tax")
        #expect(store.invoices[1].refunds.totalRefunded == 110)
        #expect(Self.check(store, complete: false) == [])
    }

    @Test func booksMoneyWithinEachInvoiceRoom() {
        #expect(Calculator.book(100, parts: [60, 40], room: [100, 100]) == [60, 40])
        #expect(Calculator.book(130, parts: [60, 40], room: [100, 100]) == [90, 40], "an adjustment goes to the oldest first")
        #expect(Calculator.book(80, parts: [60, 40], room: [100, 100]) == [40, 40], "a fee comes back from the oldest first")
        #expect(Calculator.book(100, parts: [60, 40], room: [50, 100]) == [50, 50], "what does not fit moves on")
        #expect(Calculator.book(200, parts: [60, 40], room: [50, 100]) == nil)
        #expect(Calculator.book(0, parts: [-1, 1], room: [5, 5]) == [0, 0])
    }
}
