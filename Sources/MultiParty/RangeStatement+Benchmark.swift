import BigNum
import Foundation
import Paillier
import RangeProofs

extension RangeStatement {
    /// What `summa bench --op range-prove` and the benchmark suite time: `count` values in 0 to 10⁶ (cents of up to
    /// 10,000.00), packed as a five-party session with that bound packs them; nil when `key` has no room for a slot.
    public static func benchmark(count: Int, key: PaillierPublicKey) -> (statement: RangeStatement, values: [BigInteger])? {
        let bound = BigInteger(1_000_000)
        guard let packing = SessionPacking(length: count, valueBound: bound, parties: 5, keyBits: key.bits) else { return nil }
        let statement = RangeStatement(
            ranges: [ValueRange(lower: 0, upper: bound)!], count: count, slotBits: packing.slotBits,
            slotsPerCiphertext: packing.slotsPerCiphertext, sender: 1, session: Data(count: 32), context: Data())
        return (statement, (0..<count).map { BigInteger(($0 * 7919) % 1_000_001) })
    }
}

extension RangeProof {
    /// Bytes of this proof in an input's JSON body.
    public var wireBytes: Int {
        Message.input(Message.Input(ciphertexts: [], rangeProof: self, count: 1, header: Data())).body.serialized.utf8.count
    }
}
