import BigNum
import Crypto
import Foundation
import Summa
import SummaFormats

/// H(session, L, C): what every party signs in the echo round, so that a coordinator who shows different lists to
/// different parties is caught before any decryption share is released.
enum SessionDigest {
    static func of(session: Data, list: Message.AcceptedList, combined: BigInteger) -> Data {
        var hasher = SHA256()
        hasher.update(data: Data("summa/multiparty/echo/v1".utf8))
        hasher.update(data: session)
        hasher.update(data: Data(Message.acceptedList(list).body.canonical.serialized.utf8))
        hasher.update(data: Data(combined.description.utf8))
        return Data(hasher.finalize())
    }
}

extension Message.AcceptedList {
    /// C = ∏ cᵢ as an encrypted number at `scale`, with its public bound, and the total row count.
    func combined(key: ThresholdKeyContext) throws(SummaError) -> (sum: EncryptedNumber, count: Int) {
        let numbers = entries.map {
            EncryptedNumber(
                publicKey: key.paillier, ciphertext: .init(unchecked: $0.input.ciphertext), scale: key.scale,
                bound: key.paillier.valueBound)
        }
        return (try EncryptedNumber.sum(numbers, publicKey: key.paillier, scale: key.scale),
                entries.reduce(0) { $0 + $1.input.count })
    }
}
