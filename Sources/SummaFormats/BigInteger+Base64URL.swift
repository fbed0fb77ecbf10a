import BigNum
import Summa

extension BigInteger {
    /// The unpadded base64url (RFC 4648 §5) text of the big-endian bytes, as JWK writes big integers.
    public var base64URLEncoded: String {
        precondition(!isNegative, "base64url of a negative number")
        return Base64URL.encode(bigEndianBytes())
    }

    /// Reads unpadded (or padded) base64url text of big-endian bytes; nil when the text is not base64url.
    public init?(base64URLEncoded text: some StringProtocol) {
        guard let bytes = Base64URL.decode(text) else { return nil }
        self.init(bigEndianBytes: bytes)
    }
}
