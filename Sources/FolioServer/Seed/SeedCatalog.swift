/// The material seed data is drawn from: people whose names test a terminal
/// (accents, CJK, very long), sales channels in several currencies, and a
/// product range of simple, configurable and by-the-metre items.
enum SeedCatalog {
    struct Channel {
        let name: String
        let currency: String
        /// Base (USD) per unit of the order currency, in millionths.
        let rateMicros: Int64
        /// Tax rate in basis points.
        let taxBasisPoints: Int64
        /// Flat shipping, in minor units of the order currency.
        let shipping: Int64
        let countries: [(code: String, cities: [(city: String, region: String?, postcode: String)])]
    }

    static let baseCurrency = "USD"

    static let channels: [Channel] = [
        Channel(
            name: "Main Website", currency: "USD", rateMicros: 1_000_000, taxBasisPoints: 825, shipping: 799,
            countries: [
                (
                    "US",
                    [
                        ("Austin", "TX", "78701"), ("Portland", "OR", "97205"), ("Brooklyn", "NY", "11201"),
                        ("Santa Fe", "NM", "87501"),
                    ]
                )
            ]),
        Channel(
            name: "EU Store", currency: "EUR", rateMicros: 1_085_000, taxBasisPoints: 2000, shipping: 990,
            countries: [
                ("DE", [("München", "Bayern", "80331"), ("Köln", "Nordrhein-Westfalen", "50667")]),
                ("FR", [("Saint-Étienne", nil, "42000"), ("Lyon", nil, "69001")]),
                ("ES", [("A Coruña", "Galicia", "15001")]), ("NL", [("Utrecht", nil, "3511")]),
            ]),
        Channel(
            name: "UK Store", currency: "GBP", rateMicros: 1_270_000, taxBasisPoints: 2000, shipping: 495,
            countries: [("GB", [("Manchester", nil, "M1 1AE"), ("Edinburgh", nil, "EH1 1YZ")])]),
        Channel(
            name: "Japan Store", currency: "JPY", rateMicros: 6_700, taxBasisPoints: 1000, shipping: 800,
            countries: [("JP", [("東京都渋谷区", "東京都", "150-0002"), ("大阪市北区", "大阪府", "530-0001")])]),
    ]

    static let firstNames = [
        "Veronica", "José", "Zoë", "François", "Ångström", "Siobhán", "Björn", "Dvořák", "Łucja", "Renée",
        "Mohammed", "Priya", "Chidi", "Astrid", "Mateo", "Olga", "Nguyễn", "Ayşe", "Søren", "Inès",
        "太郎", "美咲", "小明", "민준", "Maximilian-Alexander",
    ]
    static let lastNames = [
        "Costello", "Álvarez", "Faßbender", "Brontë", "Müller-Lüdenscheidt", "O'Sullivan", "Øvergaard", "Kowalczyk",
        "Dubois", "Okonkwo", "Hernández", "Nakamura", "Patel", "Lindqvist", "Yılmaz", "Nowak", "Fernández",
        "山田", "佐藤", "王", "김", "von Hohenzollern-Sigmaringen-Wittelsbach",
    ]
    static let companies = [
        "Acme Trading GmbH", "Nordlicht Studio AB", "Café Olé S.L.", "株式会社サンプル", "Bright & Sons Ltd",
        "Les Ateliers Réunis SARL", "Globex International Holdings Incorporated (Procurement Dept.)",
    ]
    static let streets = [
        "12 Market Street", "Hauptstraße 5", "7 rue de la Paix", "Calle Mayor 23, 2º izq.", "1-2-3 神南",
        "Flat 4, 221B Baker Street", "Keizersgracht 123",
    ]

    struct Product {
        let sku: String
        let name: String
        /// List price in USD cents.
        let usdPrice: Int64
        let type: String
        let decimal: Bool
        let options: [(String, [String])]
    }

    static let products: [Product] = [
        Product(sku: "24-MB01", name: "Joust Duffle Bag", usdPrice: 3400, type: "simple", decimal: false, options: []),
        Product(sku: "24-MB04", name: "Strive Shoulder Pack", usdPrice: 3200, type: "simple", decimal: false, options: []),
        Product(sku: "24-UG06", name: "Affirm Water Bottle", usdPrice: 700, type: "simple", decimal: false, options: []),
        Product(sku: "24-WG085", name: "Sprite Yoga Strap 6 foot", usdPrice: 1400, type: "simple", decimal: false, options: []),
        Product(
            sku: "MH01", name: "Chaz Kangeroo Hoodie", usdPrice: 5200, type: "configurable", decimal: false,
            options: [("Size", ["S", "M", "L", "XL"]), ("Colour", ["Black", "Grey", "Orange"])]),
        Product(
            sku: "WS12", name: "Radiant Tee", usdPrice: 2200, type: "configurable", decimal: false,
            options: [("Size", ["XS", "S", "M", "L"]), ("Colour", ["Blue", "Orange", "Purple"])]),
        Product(
            sku: "MJ03", name: "Montana Wind Jacket", usdPrice: 4900, type: "configurable", decimal: false,
            options: [("Size", ["M", "L", "XL"]), ("Colour", ["Green", "Red"])]),
        Product(sku: "LIN-NAT-M", name: "Natural linen fabric, per metre", usdPrice: 1850, type: "simple", decimal: true, options: []),
        Product(sku: "ROPE-JUTE-M", name: "Jute rope 12 mm, per metre", usdPrice: 325, type: "simple", decimal: true, options: []),
        Product(sku: "TEA-SENCHA", name: "煎茶 Sencha green tea 100 g", usdPrice: 1275, type: "simple", decimal: false, options: []),
        Product(
            sku: "PRODUCT-001", name: "Classic Cotton T-Shirt", usdPrice: 1999, type: "configurable", decimal: false,
            options: [("Size", ["S", "M", "L"]), ("Colour", ["White", "Navy"])]),
        Product(
            sku: "LAMP-ARC-XL", name: "Arc floor lamp with extra-long brushed-brass arm and marble base",
            usdPrice: 28900, type: "simple", decimal: false, options: []),
        Product(sku: "BNDL-YOGA", name: "Yoga starter bundle", usdPrice: 7900, type: "bundle", decimal: false, options: []),
    ]

    static let paymentMethods = ["checkmo", "banktransfer", "card"]
}
