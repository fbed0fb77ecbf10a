import Foundation
import Paillier

extension PaillierPrivateKey {
    /// The `summa.private-key` document (holds the secret primes: write it with ``SummaFile/write(_:to:secret:inputs:)-(JSONValue,_,_,_)``).
    public var summaJSON: JSONValue {
        var members: [(String, JSONValue)] = [
            ("format", .string(SummaFile.Format.privateKey.rawValue)), ("version", .integer(SummaFile.version)),
            ("publicKey", publicKey.summaJSON), ("p", .string(p.description)), ("q", .string(q.description)),
        ]
        if let subgroupOrders {
            members += [("pSubgroupOrder", .string(subgroupOrders.p.description)), ("qSubgroupOrder", .string(subgroupOrders.q.description))]
        }
        return .object(members)
    }

    /// pheutil's private JWK: n, p and q only. A fast key's base, and a fast-decryption key's l and subgroup orders,
    /// have no place in it: it reads back as the standard key of n (which decrypts every ciphertext, at the standard
    /// speed). `summa keygen` refuses to write fast-decryption keys this way.
    public var pheJWK: JSONValue {
        .object([
            ("kty", .string("DAJ")), ("key_ops", .array([.string("decrypt")])), ("p", .string(p.base64URLEncoded)),
            ("q", .string(q.base64URLEncoded)), ("pub", publicKey.pheJWK()),
            ("kid", .string("Paillier private key written by summa")),
        ])
    }
}
