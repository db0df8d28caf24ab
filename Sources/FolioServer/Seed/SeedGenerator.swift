import Foundation
import GRDB

/// Generates a realistic, deterministic store: the same seed gives the same
/// database, byte for byte of content.
///
/// Orders are in every situation (not invoiced, partly and fully invoiced,
/// canceled, partly canceled); invoices are made by `InvoiceCalculator`, the
/// code the API uses, so seeded totals obey the same rules as new ones.
/// Whatever the count, the seed documents' own examples work: order 123
/// (`100000123`, nothing invoiced, item 10 and sku `PRODUCT-001`) and invoice
/// 456 (`100000045`, EUR order on a USD base).
///
/// Customers return: an order's name is drawn as always, and then it is
/// either a new customer of that name (with an address of their own,
/// `jose.alvarez@…`, then `jose.alvarez2@…`) or one who ordered before under
/// it, now and then typing the address in other capitals. Who returns is
/// drawn from a stream of its own, so every other value of a store is what
/// the same seed gave before customers returned.
struct SeedGenerator {
    static let fixtureOrderId: Int64 = 123
    static let fixtureInvoiceOrderId: Int64 = 44
    static let fixtureInvoiceId: Int64 = 456
    static let fixtureInvoiceIncrement = "100000045"
    static let fixtureItemIds: Set<Int64> = [10, 11, 12]

    var random: SeedRandom
    /// Who places each order (see above); apart from `random`, so that drawing it changes nothing else.
    private var customerRandom: SeedRandom
    /// The addresses of each name's customers, first customer first.
    private var customersByName: [String: [String]] = [:]
    /// How many customers' addresses begin with each local part.
    private var localParts: [String: Int] = [:]
    private var nextItemId: Int64 = 1
    private var nextInvoiceId: Int64 = 1
    /// 2025-01-01 00:00:00 UTC and the span to 2026-10-31.
    private let start: Int64 = 1_735_689_600
    private let span: Int64 = 57_888_000

    init(seed: UInt64) {
        random = SeedRandom(seed: seed)
        customerRandom = SeedRandom(seed: seed ^ 0xC057_0E45_5EED_0001)
    }

    mutating func generate(into database: any DatabaseWriter, orders count: Int) throws {
        var ids = count > 0 ? Array(1...Int64(count)) : []
        for fixture in [Self.fixtureInvoiceOrderId, Self.fixtureOrderId] where !ids.contains(fixture) { ids.append(fixture) }
        ids.sort()
        var index = 0
        while index < ids.count {
            let batch = ids[index..<min(index + 2_000, ids.count)]
            try database.write { db in
                for id in batch { try makeOrder(db, id: id, position: Double(id) / Double(max(ids.last!, 1))) }
            }
            index += batch.count
        }
        // The seed numbers its invoices itself; new ones continue after them.
        try database.write { db in try DocumentNumbers.catchUpInvoices(db) }
        try database.writeWithoutTransaction { db in try db.execute(sql: "ANALYZE") }
    }

    // MARK: Orders

    private mutating func makeOrder(_ db: Database, id: Int64, position: Double) throws {
        let isFixture = id == Self.fixtureOrderId
        let isInvoiceFixture = id == Self.fixtureInvoiceOrderId
        let channel =
            isFixture
            ? SeedCatalog.channels[0]
            : isInvoiceFixture ? SeedCatalog.channels[1] : random.pick(SeedCatalog.channels, weights: [50, 25, 15, 10])
        let created = start + Int64(Double(span) * position) + random.int(0...3_600)
        let first = isFixture ? "Veronica" : isInvoiceFixture ? "Zoë" : random.pick(SeedCatalog.firstNames)
        let last = isFixture ? "Costello" : isInvoiceFixture ? "Faßbender" : random.pick(SeedCatalog.lastNames)
        let email = customerEmail(first: first, last: last, orderId: id, fixture: isFixture || isInvoiceFixture)
        let payment = isFixture ? "checkmo" : isInvoiceFixture ? "card" : random.pick(SeedCatalog.paymentMethods, weights: [40, 25, 35])
        let discounted = !isFixture && random.chance(0.3)

        let products: [(SeedCatalog.Product, Quantity)] =
            isFixture
            ? [
                (SeedCatalog.products[0], Quantity(units: 4)), (SeedCatalog.products[10], Quantity(units: 3)),
                (SeedCatalog.products[7], Quantity(scaled: 25_000)),
            ]
            : (0..<random.int(1...4)).map { _ in
                let p = random.pick(SeedCatalog.products)
                return (p, p.decimal ? Quantity(scaled: random.int(2...18) * 2_500) : Quantity(units: random.int(1...5)))
            }
        let currency = Currency.of(channel.currency)
        let base = Currency.of(SeedCatalog.baseCurrency)
        func toBase(_ amount: Int64) -> Int64 {
            prorate(amount, channel.rateMicros * base.scale, 1_000_000 * currency.scale)
        }
        var items: [OrderItemRow] = []
        for (product, qty) in products {
            let price = prorate(product.usdPrice, currency.scale * 1_000_000, channel.rateMicros * base.scale)
            let row = prorate(price, qty.scaled, Quantity.scale)
            let discount = discounted ? prorate(row, 10, 100) : 0
            let tax = prorate(row - discount, channel.taxBasisPoints, 10_000)
            let basePrice = toBase(price)
            let itemId = isFixture ? [10, 11, 12][items.count] : takeItemId()
            items.append(
                OrderItemRow(
                    itemId: itemId, orderId: id, sku: product.sku, name: product.name,
                    productId: 1_000 + Int64(product.sku.hashValueStable),
                    productType: product.type, isQtyDecimal: product.decimal, qtyOrdered: qty.scaled, qtyInvoiced: 0,
                    qtyCanceled: 0, qtyRefunded: 0, price: price, basePrice: basePrice,
                    rowTotal: row, baseRowTotal: prorate(basePrice, qty.scaled, Quantity.scale),
                    taxAmount: tax, baseTaxAmount: toBase(tax), discountAmount: discount, baseDiscountAmount: toBase(discount),
                    rowInvoiced: 0, baseRowInvoiced: 0, taxInvoiced: 0, baseTaxInvoiced: 0, discountInvoiced: 0,
                    baseDiscountInvoiced: 0, additional: additional(product, fixture: isFixture),
                    baseImageUrl: random.chance(0.8) ? "https://cdn.example.com/catalog/\(product.sku.lowercased()).jpg" : nil))
        }
        let shippingTax = prorate(channel.shipping, channel.taxBasisPoints, 10_000)
        let sum = { (key: KeyPath<OrderItemRow, Int64>) in items.reduce(0) { $0 + $1[keyPath: key] } }
        var order = OrderRow(
            entityId: id, incrementId: String(100_000_000 + id), state: "new", status: "pending",
            createdAt: Timestamp.string(unixSeconds: created), updatedAt: Timestamp.string(unixSeconds: created),
            customerName: "\(first) \(last)", customerEmail: email, channelName: channel.name,
            orderCurrencyCode: channel.currency, baseCurrencyCode: SeedCatalog.baseCurrency, paymentMethod: payment,
            subtotal: sum(\.rowTotal), baseSubtotal: sum(\.baseRowTotal),
            taxAmount: sum(\.taxAmount) + shippingTax, baseTaxAmount: sum(\.baseTaxAmount) + toBase(shippingTax),
            discountAmount: sum(\.discountAmount), baseDiscountAmount: sum(\.baseDiscountAmount),
            shippingAmount: channel.shipping, baseShippingAmount: toBase(channel.shipping),
            shippingTaxAmount: shippingTax, baseShippingTaxAmount: toBase(shippingTax),
            grandTotal: 0, baseGrandTotal: 0, faceFactor: currency.faceFactor, shippingInvoiced: false, canInvoice: true)
        order.grandTotal = order.subtotal - order.discountAmount + order.taxAmount + order.shippingAmount
        order.baseGrandTotal = order.baseSubtotal - order.baseDiscountAmount + order.baseTaxAmount + order.baseShippingAmount
        try order.insert(db)
        for item in items { try item.insert(db) }
        try makeAddresses(db, order: order, first: first, last: last, channel: channel)

        if isFixture { return }
        if isInvoiceFixture {
            try invoice(
                db, order: &order, items: &items, quantities: nil, at: created + 3_600, capture: "online",
                fixedId: Self.fixtureInvoiceId, increment: Self.fixtureInvoiceIncrement)
            return
        }
        try playOut(db, order: &order, items: &items, created: created)
    }

    /// Puts an order into one of the situations a store really has.
    private mutating func playOut(_ db: Database, order: inout OrderRow, items: inout [OrderItemRow], created: Int64) throws {
        let roll = random.unit()
        let capture =
            order.paymentMethod == "card" && random.chance(0.8)
            ? "online"
            : random.chance(0.2) ? "no_capture" : "offline"
        let day: Int64 = 86_400
        switch roll {
        case ..<0.12:
            return  // placed, nothing invoiced yet
        case ..<0.27:  // partly invoiced: some of each item, or only some items
            let partial = Dictionary(
                uniqueKeysWithValues: items.enumerated().compactMap { i, item -> (Int64, Quantity)? in
                    let q =
                        item.isQtyDecimal
                        ? Quantity(scaled: item.qtyOrdered / 2 / 2_500 * 2_500)
                        : Quantity(units: (item.qtyOrdered / Quantity.scale) / 2)
                    return (i == 0 && q.scaled == 0)
                        ? (item.itemId, Quantity(scaled: min(item.qtyOrdered, Quantity.scale)))
                        : q.scaled > 0 ? (item.itemId, q) : nil
                })
            try invoice(db, order: &order, items: &items, quantities: partial, at: created + random.int(1...5) * day, capture: capture)
        case ..<0.82:  // fully invoiced, in one invoice or two; some after a canceled first attempt
            if random.chance(0.06) {
                try invoice(db, order: &order, items: &items, quantities: nil, at: created + day, capture: "offline", cancel: true)
            }
            if items.count > 1 && random.chance(0.25) {
                try invoice(
                    db, order: &order, items: &items, quantities: [items[0].itemId: items[0].qtyToInvoice],
                    at: created + day * 2, capture: capture)
            }
            try invoice(db, order: &order, items: &items, quantities: nil, at: created + day * random.int(2...6), capture: capture)
            if random.chance(0.7) {
                order.state = "complete"
                order.status = "complete"
                try order.update(db)
            }
        case ..<0.90:  // canceled before anything was invoiced
            for i in items.indices {
                items[i].qtyCanceled = items[i].qtyOrdered
                try items[i].update(db)
            }
            order.state = "canceled"
            order.status = "canceled"
            order.canInvoice = false
            order.updatedAt = Timestamp.string(unixSeconds: created + day)
            try order.update(db)
        default:  // partly canceled: one item short, the rest invoiced (or still open)
            let i = random.int(0...(items.count - 1))
            let cancel =
                items[i].isQtyDecimal
                ? Quantity(scaled: items[i].qtyOrdered / 2 / 2_500 * 2_500).scaled
                : max(Quantity.scale, (items[i].qtyOrdered / Quantity.scale / 2) * Quantity.scale)
            items[i].qtyCanceled = cancel
            try items[i].update(db)
            order.canInvoice = items.contains { $0.qtyToInvoice.scaled > 0 }
            try order.update(db)
            if order.canInvoice && random.chance(0.7) {
                try invoice(db, order: &order, items: &items, quantities: nil, at: created + day * 3, capture: capture)
            }
        }
    }

    // MARK: Invoices

    private mutating func invoice(
        _ db: Database, order: inout OrderRow, items: inout [OrderItemRow], quantities: [Int64: Quantity]?,
        at time: Int64, capture: String, cancel: Bool = false,
        fixedId: Int64? = nil, increment fixedIncrement: String? = nil
    ) throws {
        let wanted =
            quantities ?? Dictionary(uniqueKeysWithValues: items.filter { $0.qtyToInvoice.scaled > 0 }.map { ($0.itemId, $0.qtyToInvoice) })
        guard !wanted.isEmpty else { return }
        let result = InvoiceCalculator.invoice(order: order, items: items, quantities: wanted)
        let id = fixedId ?? takeInvoiceId()
        let createdAt = Timestamp.string(unixSeconds: time)
        let paid = capture != "no_capture"
        var status = paid ? "paid" : "pending_payment"
        var reminders = 0
        var nextReminder: String?
        if !paid, !cancel {
            switch random.int(0...2) {
            case 0: status = "pending"
            case 1:
                status = "overdue"
                reminders = random.int(1...3)
                nextReminder = Timestamp.string(unixSeconds: time + Int64(reminders + 1) * 7 * 86_400)
            default: break
            }
        }
        let billingName = try order.billingName(db)
        let emailSent = random.chance(0.85)
        var row = InvoiceRow(
            entityId: id, incrementId: fixedIncrement ?? String(100_000_000 + id), orderId: order.entityId,
            orderIncrementId: order.incrementId, state: cancel ? 3 : (paid ? 2 : 1), paymentStatus: cancel ? "canceled" : status,
            captureMode: capture, transactionId: capture == "online" ? "txn_\(String(random.next(), radix: 16))" : nil,
            emailSent: emailSent, totals: result.totals, order: order,
            billingName: billingName, createdAt: createdAt)
        row.reminders = reminders
        row.nextReminderAt = nextReminder
        row.updatedAt = Timestamp.string(unixSeconds: time + (emailSent ? 120 : 0) + (cancel ? 86_400 : 0))
        try row.insert(db)
        for var line in result.lines {
            line.invoiceId = id
            try line.insert(db)
        }
        if random.chance(0.4) {
            try InvoiceCommentRow(
                id: nil, invoiceId: id,
                comment: random.pick([
                    "Invoiced via ERP-XYZ", "Customer asked for a paper copy.",
                    "Paid by bank transfer, ref. \(random.int(10_000...99_999))", "Rechnung per E-Mail versandt.",
                ]),
                isCustomerNotified: emailSent, createdAt: createdAt
            ).insert(db)
        }
        if emailSent {
            try OutboxRow(
                id: nil, invoiceId: id, incrementId: row.incrementId, recipient: order.customerEmail,
                comment: nil, sentAt: Timestamp.string(unixSeconds: time + 120)
            ).insert(db)
        }
        if cancel { return }  // a canceled invoice gives its quantities back: the order is as before
        for item in result.updatedItems { try item.update(db) }
        let byId = Dictionary(uniqueKeysWithValues: result.updatedItems.map { ($0.itemId, $0) })
        items = items.map { byId[$0.itemId] ?? $0 }
        order = result.order
        order.updatedAt = createdAt
        try order.update(db)
    }

    // MARK: Pieces

    private mutating func makeAddresses(_ db: Database, order: OrderRow, first: String, last: String, channel: SeedCatalog.Channel) throws {
        let country = random.pick(channel.countries)
        let place = random.pick(country.cities)
        let company = random.chance(0.25) ? random.pick(SeedCatalog.companies) : nil
        let phone = random.chance(0.85) ? "+\(random.int(1...81)) \(random.int(100...999)) \(random.int(1_000_000...9_999_999))" : nil
        var billing = AddressRow(
            id: nil, orderId: order.entityId, addressType: "order_billing", firstName: first, lastName: last,
            companyName: company, street: random.pick(SeedCatalog.streets), city: place.city,
            region: place.region, country: country.code, postcode: place.postcode,
            email: order.customerEmail, phone: phone)
        try billing.insert(db)
        if random.chance(0.3) {  // shipped elsewhere, often as a gift
            billing.firstName = random.pick(SeedCatalog.firstNames)
            billing.companyName = random.chance(0.3) ? random.pick(SeedCatalog.companies) : nil
            billing.street = random.pick(SeedCatalog.streets)
        }
        billing.id = nil
        billing.addressType = "order_shipping"
        try billing.insert(db)
    }

    private mutating func additional(_ product: SeedCatalog.Product, fixture: Bool) -> String? {
        guard !product.options.isEmpty else { return nil }
        let chosen = product.options.map { option in
            JSON.object([
                ("label", .string(option.0)),
                ("value", .string(fixture ? option.1[min(1, option.1.count - 1)] : random.pick(option.1))),
            ])
        }
        return JSON.object([("attributes", .array(chosen))]).serialized()
    }

    private mutating func takeItemId() -> Int64 {
        while Self.fixtureItemIds.contains(nextItemId) { nextItemId += 1 }
        defer { nextItemId += 1 }
        return nextItemId
    }

    /// Invoice ids skip 45 and 456, so that the fixture alone owns both `456` and `100000045`.
    private mutating func takeInvoiceId() -> Int64 {
        while nextInvoiceId == 45 || nextInvoiceId == Self.fixtureInvoiceId { nextInvoiceId += 1 }
        defer { nextInvoiceId += 1 }
        return nextInvoiceId
    }

    /// The address of the customer placing an order under this name: four
    /// in ten orders of a name already seen come from one of its customers
    /// (half the time one of the latest five, else any), the others from a
    /// new customer. The documents' fixtures keep their name's first address.
    private mutating func customerEmail(first: String, last: String, orderId: Int64, fixture: Bool) -> String {
        let name = "\(first) \(last)"
        let known = customersByName[name, default: []]
        if !known.isEmpty, fixture || customerRandom.chance(0.4) {
            if fixture { return known[0] }
            let recent = customerRandom.chance(0.5)
            let email = known[known.count - 1 - customerRandom.int(0...((recent ? min(known.count, 5) : known.count) - 1))]
            // Now and then typed with capitals: the store keeps what was typed.
            return customerRandom.chance(0.05) ? Self.capitalized(email) : email
        }
        let local = Self.localPart(first: first, last: last) ?? "customer\(orderId)"
        let taken = localParts[local, default: 0] + 1
        localParts[local] = taken
        let email = (taken == 1 ? local : "\(local)\(taken)") + "@example.com"
        customersByName[name, default: []].append(email)
        return email
    }

    /// `jose.alvarez7@example.com` as typed `Jose.Alvarez7@Example.com`.
    static func capitalized(_ email: String) -> String {
        var out = ""
        var startOfWord = true
        for c in email {
            out += startOfWord ? c.uppercased() : String(c)
            startOfWord = c == "." || c == "@"
        }
        return out
    }

    /// `first.last` in lowercase ASCII letters, or what there is of it; nil when neither name has any.
    static func localPart(first: String, last: String) -> String? {
        let ascii = { (s: String) in
            let folded = s.replacingOccurrences(of: "ß", with: "ss").replacingOccurrences(of: "ø", with: "o")
                .replacingOccurrences(of: "Ø", with: "O").replacingOccurrences(of: "ł", with: "l")
                .replacingOccurrences(of: "Ł", with: "L").folding(options: .diacriticInsensitive, locale: nil)
            return String(folded.lowercased().unicodeScalars.filter { ("a"..."z").contains(Character($0)) }.map(Character.init))
        }
        let local = [ascii(first), ascii(last)].filter { !$0.isEmpty }.joined(separator: ".")
        return local.isEmpty ? nil : local
    }
}

extension String {
    /// A hash that is the same in every run (Swift's `hashValue` is seeded per process).
    var hashValueStable: Int {
        var h: UInt32 = 2_166_136_261
        for b in utf8 { h = (h ^ UInt32(b)) &* 16_777_619 }
        return Int(h % 9_000)
    }
}
