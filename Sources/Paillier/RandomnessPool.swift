import BigNum
import Synchronization

/// Masks (rⁿ mod n², or hₛᵃ under a fast key) computed ahead of time, so that online encryption costs one
/// multiplication mod n². Each mask is handed out once and dropped: a mask used twice would reveal the
/// difference of two plaintexts.
public final class RandomnessPool: Sendable {
    public let publicKey: PaillierPublicKey
    /// How many masks a refill brings the pool up to.
    public let capacity: Int
    let masks = Mutex<[BigInteger]>([])
    /// Computes one fresh mask: the key owner's CRT path when a private key is given, else the public one.
    let makeMask: @Sendable () -> BigInteger

    public init(publicKey: PaillierPublicKey, capacity: Int = 1024) {
        self.publicKey = publicKey
        self.capacity = capacity
        makeMask = { publicKey.randomMask() }
    }

    /// A pool filled with the key owner's faster CRT masks.
    public init(privateKey: PaillierPrivateKey, capacity: Int = 1024) {
        publicKey = privateKey.publicKey
        self.capacity = capacity
        makeMask = { privateKey.randomMask() }
    }

    /// How many masks are ready.
    public var count: Int { masks.withLock { $0.count } }

    /// Fills the pool up to ``capacity`` on all cores.
    public func refill() async {
        let missing = capacity - count
        guard missing > 0 else { return }
        let fresh = await parallelMap(Array(repeating: (), count: missing)) { [makeMask] _ in makeMask() }
        masks.withLock { $0 += fresh }
    }

    /// Keeps the pool full in the background, at low priority, until the returned task is cancelled.
    public func refillInBackground(batch: Int = 64) -> Task<Void, Never> {
        Task.detached(priority: .background) { [self] in
            while !Task.isCancelled {
                if count >= capacity {
                    try? await Task.sleep(for: .milliseconds(10))
                    continue
                }
                let fresh = (0..<batch).map { _ in makeMask() }
                masks.withLock { $0 += fresh }
            }
        }
    }

    /// Takes a ready mask, or computes one now when the pool is empty.
    public func takeMask() -> BigInteger {
        masks.withLock { $0.popLast() } ?? makeMask()
    }

    /// Encrypts m mod n with a pooled mask: one multiplication mod n² when the pool is not empty.
    public func encrypt(_ plaintext: BigInteger) -> PaillierCiphertext {
        publicKey.encrypt(plaintext, mask: takeMask())
    }
}
