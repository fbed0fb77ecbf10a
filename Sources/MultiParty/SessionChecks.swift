import BigNum
import Crypto
import Foundation
import Paillier
import RangeProofs
import Summa
import Threshold

/// The rules of a session, written once: the coordinator, every party and the offline transcript verifier check
/// messages with these, so that a live party and the auditor cannot disagree about the same messages. Each role
/// decides what a broken rule means to it (blame, refuse, report) and words it for its reader.
struct SessionChecks: Sendable {
    let key: ThresholdPublicKey
    let session: Data

    /// Echoes needed before any share is released: t, and more than half of the ℓ parties. Each party signs one
    /// echo per session, so two different lists can never both gather a majority; with t ≤ ℓ/2 alone, a coordinator
    /// could get two lists decrypted by two groups and subtract one sum from the other to isolate an input.
    var echoQuorum: Int { max(key.threshold, key.partyCount / 2 + 1) }

    /// H(header): what each input and, through the echo digest, each echo commits to.
    static func digest(of header: Message.Header) -> Data {
        var hasher = SHA256()
        hasher.update(data: Data("summa/multiparty/header/v1".utf8))
        hasher.update(data: Data(Message.header(header).body.canonical.serialized.utf8))
        return Data(hasher.finalize())
    }

    /// An accepted list, combined: what the echo, share and result rounds are checked against.
    struct Combined: Sendable {
        /// Cⱼ = ∏ᵢ cᵢⱼ for each value position j, at the session's scale, with its public bound.
        let sums: [EncryptedNumber]
        /// The rows the inputs stand for.
        let count: Int
        /// The parties whose inputs are in C, in list order.
        let contributors: [Int]
        /// The session's parameters C was combined under.
        let header: Message.Header
        /// H(session, L, C): what every party signs in the echo round, so that a coordinator who shows different
        /// lists to different parties is caught before any decryption share is released.
        let digest: Data
    }

    /// An input from `party`: made for this session's `header`, one ciphertext of the key's group per value (or per
    /// packed group of values), with proofs bound to this session and party (so they cannot be replayed from another
    /// session or claimed by another party): with declared ranges, one range proof that every value lies in its
    /// range; without, a proof that the party knows each plaintext.
    func input(_ input: Message.Input, from party: Int, header: Message.Header) throws(MultiPartyError) {
        guard input.header == Self.digest(of: header) else { throw .inputUnderOtherParameters(party: party) }
        let expected = header.ciphertexts(under: key)
        let ranged = !header.ranges.isEmpty
        guard input.ciphertexts.count == expected, input.proofs.count == (ranged ? 0 : expected),
            (input.rangeProof != nil) == ranged
        else {
            throw .inputOfWrongLength(party: party, length: input.ciphertexts.count, expected: expected)
        }
        let ciphertexts = try input.ciphertexts.map { (value) throws(MultiPartyError) in
            do throws(PaillierError) {
                return try key.paillierKey.ciphertext(validating: value)
            } catch {
                throw .invalidCiphertext(party: party, error)
            }
        }
        if let rangeProof = input.rangeProof {
            guard let statement = rangeStatement(header: header, sender: party),
                (try? rangeProof.verify(input.ciphertexts, statement: statement, key: .shared(for: key.paillierKey))) != nil
            else { throw .invalidInputProof(party: party) }
            return
        }
        // All of one party's proofs at once: a batch fails if any proof does.
        let batch = Array(zip(ciphertexts, input.proofs)).map { (ciphertext: $0, proof: $1) }
        guard (try? PlaintextKnowledgeProof.verify(batch: batch, key: key.paillierKey, sender: party, session: session)) != nil else {
            throw .invalidInputProof(party: party)
        }
    }

    /// What `sender`'s range proof under `header` proves: its values, packed as the session packs them, each in the
    /// header's range, bound to this session and the header's digest. Nil when the header declares no ranges.
    func rangeStatement(header: Message.Header, sender: Int) -> RangeStatement? {
        guard !header.ranges.isEmpty, let packing = header.packing(under: key) else { return nil }
        return RangeStatement(
            ranges: header.ranges, count: header.length, slotBits: packing.slotBits,
            slotsPerCiphertext: packing.slotsPerCiphertext, sender: sender, session: session, context: Self.digest(of: header))
    }

    /// An accepted list: no party twice, at least the header's minimum of inputs, every input valid; and, with
    /// `checkingSignatures`, every entry signed by its party. A live party has only the list to go on; the
    /// transcript verifier matches the entries to the signed input envelopes it read instead.
    func acceptedList(
        _ list: Message.AcceptedList, header: Message.Header, checkingSignatures: Bool
    ) throws(MultiPartyError) -> Combined {
        guard list.entries.count >= header.minimumInputs,
            Set(list.entries.map(\.party)).count == list.entries.count
        else { throw .tooFewInputs(minimum: header.minimumInputs) }
        for entry in list.entries {
            if checkingSignatures {
                guard (try? entry.verifySignature(session: session, roster: key.signingKeys)) != nil else {
                    throw .unsignedInput(party: entry.party)
                }
            }
            try input(entry.input, from: entry.party, header: header)
        }
        return try combine(list, header: header)
    }

    /// The list combined under the header's scale. The coordinator, which built the list from inputs it checked
    /// as they arrived, needs only this part of ``acceptedList(_:header:checkingSignatures:)``.
    func combine(_ list: Message.AcceptedList, header: Message.Header) throws(MultiPartyError) -> Combined {
        let paillier = key.paillierKey
        let packing = header.packing(under: key)
        let positions = header.ciphertexts(under: key)
        var sums: [EncryptedNumber] = []
        sums.reserveCapacity(positions)
        for position in 0..<positions {
            // Packed plaintexts have no bound the key knows of: their slots are checked when decoded.
            let numbers = list.entries.map {
                EncryptedNumber(
                    publicKey: paillier, ciphertext: .init(unchecked: $0.input.ciphertexts[position]), scale: header.scale,
                    bound: packing == nil ? paillier.valueBound : nil)
            }
            do throws(SummaError) {
                sums.append(try EncryptedNumber.sum(numbers, publicKey: paillier, scale: header.scale))
            } catch {
                throw .inputsDoNotSum(error)
            }
        }
        // The header is in the digest, so a coordinator that gives parties different parameters (scale, minimum)
        // is caught like one that shows them different lists.
        var hasher = SHA256()
        hasher.update(data: Data("summa/multiparty/echo/v3".utf8))
        hasher.update(data: session)
        hasher.update(data: Self.digest(of: header))
        hasher.update(data: Data(Message.acceptedList(list).body.canonical.serialized.utf8))
        for sum in sums { hasher.update(data: Data((sum.ciphertext.value.description + "\n").utf8)) }
        return Combined(
            sums: sums, count: list.entries.reduce(0) { $0 + $1.input.count }, contributors: list.entries.map(\.party),
            header: header,
            digest: Data(hasher.finalize()))
    }

    /// An echo: an echo envelope of this session signed by its sender, of the digest of `combined`. Returns the
    /// sender. A body that does not parse throws the parsing error.
    func echo(_ envelope: Envelope, confirms combined: Combined) throws(MultiPartyError) -> Int {
        guard envelope.session == session, envelope.round == .echo,
            (try? envelope.verifySignature(roster: key.signingKeys)) != nil,
            case .echo(let digest) = try Message(round: .echo, body: envelope.body)
        else { throw .invalidEcho(party: envelope.sender) }
        guard digest == combined.digest else { throw .echoMismatch(party: envelope.sender) }
        return envelope.sender
    }

    /// Relayed echoes, each checked by ``echo(_:confirms:)``: the parties that confirmed `combined`.
    func echoes(_ envelopes: [Envelope], confirm combined: Combined) throws(MultiPartyError) -> Set<Int> {
        var confirmed = Set<Int>()
        for envelope in envelopes { confirmed.insert(try echo(envelope, confirms: combined)) }
        return confirmed
    }

    /// The sums the decrypted `residues` of C₁…C_k stand for: each value's, or each packed slot's, whose digits must
    /// lie within ±ℓ·B.
    func sums(of combined: Combined, residues: [BigInteger]) throws(MultiPartyError) -> [FixedPoint] {
        let packing = combined.header.packing(under: key)
        do throws(SummaError) {
            guard let packing else {
                return try zip(combined.sums, residues).map { (sum, residue) throws(SummaError) in
                    try sum.value(ofDecryptedResidue: residue)
                }
            }
            return try packing.sums(ofResidues: residues, key: key.paillierKey).map { (mantissa) throws(SummaError) in
                try FixedPoint(mantissa: mantissa, scale: combined.header.scale)
            }
        } catch {
            throw packing == nil ? .undecodableSum(error) : .packedValuesBeyondBound
        }
    }

    /// Decryption shares sent by `sender`: its own, one per Cⱼ, with a batched proof that verifies for them.
    func decryptionShare(_ share: BatchDecryptionShare, from sender: Int, for combined: Combined) throws(MultiPartyError) {
        guard share.party == sender,
            (try? share.verify(for: combined.sums.map(\.ciphertext), key: key, session: session)) != nil
        else { throw .invalidDecryptionShare(party: sender) }
    }

    /// Evidence of blame: a message `party` signed in this session that breaks its round's rule (an input whose
    /// proof fails, an echo of another digest, a decryption share whose proof fails for C).
    func evidence(_ envelope: Envelope, for combined: Combined) throws(MultiPartyError) {
        let party = envelope.sender
        guard envelope.session == session, (try? envelope.verifySignature(roster: key.signingKeys)) != nil,
            let message = try? Message(round: envelope.round, body: envelope.body)
        else { throw .unprovenBlame(party: party) }
        let faulty: Bool
        switch message {
        case .input(let input): faulty = (try? self.input(input, from: party, header: combined.header)) == nil
        case .echo(let digest): faulty = digest != combined.digest
        case .decryptionShare(let share): faulty = (try? decryptionShare(share, from: party, for: combined)) == nil
        default: faulty = false
        }
        guard faulty else { throw .unprovenBlame(party: party) }
    }

    /// A result: the shares it lists combine to its sum; its count and contributors are the accepted list's; its
    /// mean is its sum over its count; and it blames exactly the parties it has evidence against. Every field a
    /// party prints is checked here.
    func result(
        _ result: SessionResult, shares: [BatchDecryptionShare], evidence: [Envelope], for combined: Combined
    ) throws(MultiPartyError) {
        let residues: [BigInteger]
        do throws(ThresholdError) {
            residues = try key.combine(shares, for: combined.sums.map(\.ciphertext), session: session)
        } catch {
            throw .sharesDoNotCombine(error)
        }
        let sums = try self.sums(of: combined, residues: residues)
        guard sums == result.sums, result.count == combined.count else { throw .resultDoesNotMatchShares }
        guard result.contributors == combined.contributors, result.names == combined.header.names,
            result.ranges == combined.header.ranges
        else {
            throw .resultDoesNotMatchList
        }
        guard (try? SessionResult.means(of: result.sums, count: result.count)) == result.means else {
            throw .resultMeanIsWrong
        }
        for envelope in evidence { try self.evidence(envelope, for: combined) }
        let proven = Set(evidence.map(\.sender))
        if let unproven = result.blamed.first(where: { !proven.contains($0) }) { throw .unprovenBlame(party: unproven) }
        if let omitted = proven.subtracting(result.blamed).min() { throw .unprovenBlame(party: omitted) }
    }
}
