import Foundation

/// What an id names: the phantom type of `EntityID`, and the request field that carries it.
public protocol IdentifiedEntity: Sendable {
    /// The gRPC request field a violation names when this id is malformed (`referral_id`).
    static var idField: String { get }
}

/// A UUID that says what it identifies. A `ReferralID` cannot be passed where an `OfferID` or a
/// `ComplaintID` is expected, so a swapped argument is a compile error instead of a NOT_FOUND.
/// On the wire (protobuf, Kafka, SQL) it stays the lowercase UUID text it always was.
public struct EntityID<Entity: IdentifiedEntity>: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let uuid: UUID

    /// The request field that carries such an id.
    public static var field: String { Entity.idField }

    public init(_ uuid: UUID) { self.uuid = uuid }

    /// A new random id (version 4).
    public init() { self.uuid = UUID() }

    /// Reads the UUID text of a request or an event; nil when it is not one.
    public init?(_ text: String) {
        guard let uuid = UUID(uuidString: text) else { return nil }
        self.uuid = uuid
    }

    /// The lowercase UUID text, as PostgreSQL prints it and events carry it.
    public var description: String { uuid.uuidString.lowercased() }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.uuid.uuidString < rhs.uuid.uuidString }
}

/// The entities LAYAR's APIs and stores name by id.
public enum Entities {
    /// A referral, from intake's submission to the case's end (the same id in every service).
    public enum Referral: IdentifiedEntity { public static let idField = "referral_id" }
    /// A referral offered to a partner institution (assignment).
    public enum Offer: IdentifiedEntity { public static let idField = "offer_id" }
    /// A document uploaded with a referral (intake).
    public enum Document: IdentifiedEntity { public static let idField = "document_id" }
    /// A complaint about the service (survey).
    public enum Complaint: IdentifiedEntity { public static let idField = "complaint_id" }
    /// A message to an applicant or a member of staff (notification).
    public enum Message: IdentifiedEntity { public static let idField = "message_id" }
    /// A data subject's request under UU 27/2022 (intake coordinates it).
    public enum DataSubjectRequest: IdentifiedEntity { public static let idField = "request_id" }
}

public typealias ReferralID = EntityID<Entities.Referral>
public typealias OfferID = EntityID<Entities.Offer>
public typealias DocumentID = EntityID<Entities.Document>
public typealias ComplaintID = EntityID<Entities.Complaint>
public typealias MessageID = EntityID<Entities.Message>
public typealias DataSubjectRequestID = EntityID<Entities.DataSubjectRequest>
