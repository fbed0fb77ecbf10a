import Foundation
import Paillier

extension PaillierPrivateKey {
    /// The `summa.private-key` document (holds the secret primes: write it with ``SummaFile/write(_:to:secret:inputs:)-(JSONValue,_,_,_)``).
    public var summaJSON: JSONValue {
        .object([
            ("format", .string(SummaFile.Format.privateKey.rawValue)), ("version", .integer(SummaFile.version)),
            ("publicKey", publicKey.summaJSON), ("p", .string(p.description)), ("q", .string(q.description)),
        ])
    }

    /// pheutil's private JWK.
    public var pheJWK: JSONValue {
        .object([
            ("kty", .string("DAJ")), ("key_ops", .array([.string("decrypt")])), ("p", .string(p.base64URLEncoded)),
            ("q", .string(q.base64URLEncoded)), ("pub", publicKey.pheJWK()),
            ("kid", .string("Paillier private key written by summa")),
        ])
    }
}
