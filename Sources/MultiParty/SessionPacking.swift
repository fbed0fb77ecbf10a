import BigNum
import Paillier
import Summa
import Threshold

/// How a session with a value bound (``Message/Header/valueBound``) packs each party's values: several per
/// ciphertext, in slots wide enough for the sum of all ℓ parties, so that a vector of thousands of values takes a few
/// dozen ciphertexts, proofs and decryption shares.
///
/// Slots are balanced digits in base 2^w (as in a packed file: design.md, "Packing"), w = bits(ℓ·B) + 2: a sign bit
/// and a guard bit above the largest |sum| ℓ·B of a slot. A party that packs values beyond B cannot spill into a
/// neighbour's slot unnoticed: the decrypted sums are decoded into digits and each must lie within ±ℓ·B. For every
/// slot's decoded sum to lie there, the liar's plaintext must be the packing of digits of at most 2ℓ·B each — a fixed
/// vector, whatever the other inputs — so all it can do is shift each sum by a bounded amount (as a lying party always
/// can, by contributing other values) or make the session abort: it cannot make one slot's result depend on another
/// slot's inputs. (Without range proofs the abort is not attributable to a party: docs/security.md.)
public struct SessionPacking: Sendable, Equatable {
    /// w, the bits of a slot.
    public let slotBits: Int
    /// Slots in one ciphertext.
    public let slotsPerCiphertext: Int
    /// Values in every input.
    public let length: Int
    /// ℓ·B: the largest |sum| a slot of honest inputs can hold.
    public let sumBound: BigInteger

    /// The packing of a session of `length` values each at most `valueBound` in magnitude, among `parties` parties
    /// under a key of `keyBits` bits; nil when a slot would not fit the key.
    public init?(length: Int, valueBound: BigInteger, parties: Int, keyBits: Int) {
        sumBound = valueBound * BigInteger(parties)
        slotBits = sumBound.bitWidth + 2
        slotsPerCiphertext = PackingLayout.slotCapacity(keyBits: keyBits, slotBits: slotBits)
        self.length = length
        guard slotsPerCiphertext > 0, valueBound > 0 else { return nil }
    }

    /// Ciphertexts in every input.
    public var ciphertexts: Int { (length + slotsPerCiphertext - 1) / slotsPerCiphertext }

    /// The plaintext residues of `mantissas` (each at most B in magnitude), packed.
    public func plaintexts(_ mantissas: [BigInteger], key: PaillierPublicKey) -> [BigInteger] {
        stride(from: 0, to: mantissas.count, by: slotsPerCiphertext).map { start in
            key.residue(PackingLayout.joined(Array(mantissas[start..<min(start + slotsPerCiphertext, mantissas.count)]), slotBits: slotBits))
        }
    }

    /// The slot sums of decrypted residues, `length` of them; throws when a plaintext does not decode into digits
    /// of at most ℓ·B each (a party packed values beyond the bound).
    public func sums(ofResidues residues: [BigInteger], key: PaillierPublicKey) throws(SummaError) -> [BigInteger] {
        var sums: [BigInteger] = []
        sums.reserveCapacity(length)
        for (index, residue) in residues.enumerated() {
            let count = min(slotsPerCiphertext, length - index * slotsPerCiphertext)
            let digits = try PackingLayout.balancedDigits(of: try key.decode(residue: residue), slotBits: slotBits, count: count)
            guard digits.allSatisfy({ $0.magnitude <= sumBound }) else { throw .overflow }
            sums += digits
        }
        return sums
    }
}

extension Message.Header {
    /// The packing of this session under `key`: nil for a session of one ciphertext per value (no bound).
    public func packing(under key: ThresholdPublicKey) -> SessionPacking? {
        valueBound.flatMap { SessionPacking(length: length, valueBound: $0, parties: key.partyCount, keyBits: key.paillierKey.bits) }
    }

    /// Ciphertexts in every input under `key`.
    public func ciphertexts(under key: ThresholdPublicKey) -> Int { packing(under: key)?.ciphertexts ?? length }
}
