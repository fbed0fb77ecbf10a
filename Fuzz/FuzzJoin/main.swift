// What a private join's peer sends: a frame's payload through Envelope(parsing:) and, for a join's rounds,
// JoinMessage(round:body:). Properties: a message that reads writes back as JSON that reads as the same message;
// points that are on the curve blind, and those that are not are refused, never trapped on; an offer's layout splits
// every plaintext it packed back into the same slots.
import BigNum
import Foundation
import FuzzSupport
import MultiParty
import PrivateJoin

let key = JoinKey()

Fuzz.run { [key] data in
    guard let envelope = try? Envelope(parsing: data), envelope.round.isJoinRound || envelope.round == .abort,
        let message = try? JoinMessage(round: envelope.round, body: envelope.body)
    else { return }
    Fuzz.require(
        (try? JoinMessage(round: message.round, body: message.json)) == message,
        "a join message does not read back from what it writes:\n\(message.json.serialized)")
    switch message {
    case .points(_, let points), .doubled(_, let points):
        for point in points.prefix(8) {
            Fuzz.require((key.blind(point) != nil) == (JoinPoint(bytes: point.bytes) != nil), "a point blinds but is off the curve, or the reverse")
        }
    case .hello(let hello):
        Fuzz.require(key.blind(hello.publicPoint) != nil, "a hello's public point read but is off the curve")
    case .offer(let offer):
        let layout = offer.layout
        guard layout.slotCount <= 64 else { return }
        // Slots within what the width holds: |v| < 2^(width − 2).
        let bound = (1 << min(layout.width - 2, 20)) - 1
        let slots = (0..<layout.slotCount).map { BigInteger($0 % 2 == 0 ? $0 % (bound + 1) : -($0 % (bound + 1))) }
        Fuzz.require(
            layout.unpack(layout.pack(slots, modulus: offer.modulus), modulus: offer.modulus) == slots,
            "an offer's layout does not split what it packed")
    default: break
    }
}
