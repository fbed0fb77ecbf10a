import BigNum
import RangeProofs
import SummaFormats

extension RangeProof {
    /// The wire form: every number as unpadded base64url of its big-endian bytes, and the value responses (four per
    /// value, the bulk of a vector's proof) as one base64url string of fixed-width numbers, so that a coordinate
    /// costs 4·⌈(bits(W) + 210)/8⌉ bytes before base64 rather than four decimal strings.
    var json: JSONValue {
        let width = valueResponses.map { ($0.bitWidth + 7) / 8 }.max() ?? 1
        var packed: [UInt8] = []
        packed.reserveCapacity(width * valueResponses.count)
        for response in valueResponses { packed += response.bigEndianBytes(minimumCount: width) }
        return .object([
            ("commitments", .array([commitment, maskCommitment, constantTerm, linearTerm].map { .string($0.base64URLEncoded) })),
            ("ciphertextMasks", .array(ciphertextMasks.map { .string($0.base64URLEncoded) })),
            ("maskResponses", .array(maskResponses.map { .string($0.base64URLEncoded) })),
            ("responseBytes", .integer(width)), ("valueResponses", .string(Base64URL.encode(packed))),
            ("commitmentResponse", .string(commitmentResponse.base64URLEncoded)),
            ("termResponse", .string(termResponse.base64URLEncoded)),
        ])
    }

    /// The most bytes a value response takes: bits(W) + 1 + λ + σ + 1 ≤ 64 + 2 + 128 + 80 + 1 bits.
    static let maximumResponseBytes = 40

    /// Parses the wire form. Counts follow from the bytes present; the verifier checks them against the statement.
    init(_ fields: JSONFields) throws(FormatError) {
        func number(_ text: String, _ field: String) throws(FormatError) -> BigInteger {
            guard let value = BigInteger(base64URLEncoded: text) else {
                throw .malformedField(path: fields.path, field: fields.name(field), reason: "not base64url")
            }
            return value
        }
        func numbers(_ key: String) throws(FormatError) -> [BigInteger] {
            try fields.strings(key).map { (text) throws(FormatError) in try number(text, key) }
        }
        let commitments = try numbers("commitments")
        guard commitments.count == 4 else {
            throw .malformedField(path: fields.path, field: fields.name("commitments"), reason: "expected four commitments")
        }
        let width = try fields.integer("responseBytes", in: 1...Self.maximumResponseBytes)
        guard let packed = Base64URL.decode(try fields.string("valueResponses")), packed.count % (4 * width) == 0,
            !packed.isEmpty
        else {
            throw .malformedField(
                path: fields.path, field: fields.name("valueResponses"), reason: "not base64url of four responseBytes-wide numbers per value")
        }
        let valueResponses = stride(from: 0, to: packed.count, by: width).map { BigInteger(bigEndianBytes: packed[$0..<$0 + width]) }
        self.init(
            commitment: commitments[0], maskCommitment: commitments[1], constantTerm: commitments[2], linearTerm: commitments[3],
            ciphertextMasks: try numbers("ciphertextMasks"), maskResponses: try numbers("maskResponses"),
            valueResponses: valueResponses, commitmentResponse: try number(try fields.string("commitmentResponse"), "commitmentResponse"),
            termResponse: try number(try fields.string("termResponse"), "termResponse"))
    }
}
