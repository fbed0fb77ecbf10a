import MultiParty
import SummaFormats

/// Whether two envelopes say the same thing. Envelope's == also compares the order of the body's object members,
/// which a parser does not keep (JSONValue sorts them); what is signed and hashed is the canonical form.
public func same(_ a: Envelope, _ b: Envelope) -> Bool {
    a.json.canonical.serialized == b.json.canonical.serialized
}

/// Whether two messages say the same thing (see ``same(_:_:)-(Envelope,Envelope)``).
public func same(_ a: Message, _ b: Message) -> Bool {
    a.round == b.round && a.body.canonical.serialized == b.body.canonical.serialized
}
