import GRDB

struct AddressRow: SnakeCaseRecord, Sendable {
    static let databaseTableName = "order_addresses"
    var id: Int64?
    var orderId: Int64
    var addressType: String
    var firstName: String
    var lastName: String
    var companyName: String?
    var street: String
    var city: String
    var region: String?
    var country: String
    var postcode: String
    var email: String
    var phone: String?

    enum Columns {
        static let orderId = Column("order_id")
        static let addressType = Column("address_type")
    }
}
