import Crypto
import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS
import Synchronization
import Threshold
import X509

/// Mutual TLS 1.3 for sessions, with identities tied to the deal: the coordinator presents the deal's coordinator key,
/// each party its roster signing key, and each side accepts exactly the keys the threshold public key names (its
/// fingerprint covers them all). Certificates are only the wrapping TLS needs: self-signed, and checked by their
/// Ed25519 key alone, never by name, dates or a certificate authority.
///
/// This is what keeps a network attacker out: it cannot take a party's slot (a replayed input on a connection of
/// its own fails the handshake), pose as the coordinator, or read the shares and the result on the wire.
enum SessionTLS {
    /// A self-signed certificate and the private key for an Ed25519 key, as BoringSSL takes them.
    static func identity(_ key: Curve25519.Signing.PrivateKey) throws -> (NIOSSLCertificate, NIOSSLPrivateKey) {
        let privateKey = Certificate.PrivateKey(key)
        let name = try DistinguishedName { CommonName("summa session") }
        let now = Date()
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: privateKey.publicKey,
            notValidBefore: now - 3600, notValidAfter: now + 86400, issuer: name, subject: name,
            signatureAlgorithm: .ed25519, extensions: Certificate.Extensions(), issuerPrivateKey: privateKey)
        return (
            try NIOSSLCertificate(bytes: Array(try certificate.serializeAsPEM().pemString.utf8), format: .pem),
            try NIOSSLPrivateKey(bytes: Array(try privateKey.serializeAsPEM().pemString.utf8), format: .pem)
        )
    }

    /// TLS 1.3 only, Ed25519 only, the peer's certificate required (and then checked by a custom callback).
    static func configuration(_ key: Curve25519.Signing.PrivateKey, server: Bool) throws -> TLSConfiguration {
        let (certificate, privateKey) = try identity(key)
        var configuration =
            server
            ? TLSConfiguration.makeServerConfiguration(certificateChain: [.certificate(certificate)], privateKey: .privateKey(privateKey))
            : TLSConfiguration.makeClientConfiguration()
        configuration.certificateChain = [.certificate(certificate)]
        configuration.privateKey = .privateKey(privateKey)
        configuration.minimumTLSVersion = .tlsv13
        configuration.certificateVerification = .noHostnameVerification
        configuration.trustRoots = .certificates([])  // no authority: the callback pins keys
        configuration.signingSignatureAlgorithms = [.ed25519]
        configuration.verifySignatureAlgorithms = [.ed25519]
        return configuration
    }

    /// The raw Ed25519 key of a peer's leaf certificate; nil when it is not a certificate for an Ed25519 key.
    static func ed25519Key(of certificate: NIOSSLCertificate?) -> Data? {
        guard let der = try? certificate?.toDERBytes(), let parsed = try? Certificate(derEncoded: der),
            let key = Curve25519.Signing.PublicKey(parsed.publicKey)
        else { return nil }
        return key.rawRepresentation
    }

    /// The coordinator's side: a TLS server handler that accepts a client whose certificate is one of the roster's
    /// keys. (BoringSSL checks, besides, that the client holds that key: its CertificateVerify signature.)
    static func serverHandler(context: NIOSSLContext, roster: [Data]) -> NIOSSLServerHandler {
        NIOSSLServerHandler(context: context) { certificates, promise in
            let key = ed25519Key(of: certificates.first)
            promise.succeed(key.map(roster.contains) == true ? .certificateVerified : .failed)
        }
    }

    /// A party's side: a TLS client handler that accepts only the deal's coordinator key, and records a refusal so
    /// the party can say why the handshake failed.
    static func clientHandler(context: NIOSSLContext, coordinatorKey: Data, refused: RefusalFlag) throws -> NIOSSLClientHandler {
        try NIOSSLClientHandler(context: context, serverHostname: nil) { certificates, promise in
            let accepted = ed25519Key(of: certificates.first) == coordinatorKey
            if !accepted { refused.set() }
            promise.succeed(accepted ? .certificateVerified : .failed)
        }
    }

    /// A listening socket whose connections each get a TLS server handler accepting the keys of `roster`, and the
    /// future of their handshake: what the coordinator and a join's listener serve.
    typealias Listener = NIOAsyncChannel<(NIOAsyncChannel<ByteBuffer, ByteBuffer>, EventLoopFuture<Void>), Never>

    /// Binds host:port for `identity`, accepting clients that hold a key of `roster`.
    static func listen(identity: Curve25519.Signing.PrivateKey, roster: [Data], host: String, port: Int) async throws -> Listener {
        let context = try NIOSSLContext(configuration: configuration(identity, server: true))
        do {
            return try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
                .bind(host: host, port: port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let handshake = channel.eventLoop.makePromise(of: Void.self)
                        try channel.pipeline.syncOperations.addHandlers(
                            serverHandler(context: context, roster: roster), HandshakeCompletion(promise: handshake))
                        return (try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel), handshake.futureResult)
                    }
                }
        } catch {
            throw TransportError.cannotListen(address: "\(host):\(port)", reason: SocketFailure.reason(error))
        }
    }

    /// Connects to host:port as `identity`, accepting only a server holding `serverKey`; the flag records a refusal
    /// of the server's key, so that the caller can say why the handshake failed.
    static func connect(
        identity: Curve25519.Signing.PrivateKey, serverKey: Data, host: String, port: Int
    ) async throws -> (NIOAsyncChannel<ByteBuffer, ByteBuffer>, RefusalFlag) {
        let context = try NIOSSLContext(configuration: configuration(identity, server: false))
        let refused = RefusalFlag()
        do {
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connect(host: host, port: port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(
                            try clientHandler(context: context, coordinatorKey: serverKey, refused: refused))
                        return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
            return (channel, refused)
        } catch {
            throw TransportError.cannotConnect(address: "\(host):\(port)", reason: SocketFailure.reason(error))
        }
    }

    /// `body`'s result, or `failure` once `timeout` has passed.
    static func withDeadline<Result: Sendable>(
        _ timeout: Duration, failure: String, _ body: @escaping @Sendable () async throws -> Result
    ) async throws -> Result {
        try await withThrowingTaskGroup(of: Result.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw PartyFailure(reason: failure)
            }
            let result = try await group.next()!
            group.cancelAll()
            return result
        }
    }

    /// Set when a party refused the server's certificate.
    final class RefusalFlag: Sendable {
        private let value = Mutex(false)
        func set() { value.withLock { $0 = true } }
        var isSet: Bool { value.withLock { $0 } }
    }
}

/// Completes its promise when the TLS handshake before it in the pipeline completes, fails it if the connection ends
/// or errs first: what a connection waits on before anything else reads it.
final class HandshakeCompletion: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    let promise: EventLoopPromise<Void>
    /// Handlers run on their channel's event loop, one call at a time.
    var isComplete = false

    init(promise: EventLoopPromise<Void>) { self.promise = promise }

    func complete(_ result: Result<Void, Error>) {
        guard !isComplete else { return }
        isComplete = true
        promise.completeWith(result)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .handshakeCompleted = event as? TLSUserEvent { complete(.success(())) }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        complete(.failure(error))
        context.fireErrorCaught(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        complete(.failure(ChannelError.eof))
        context.fireChannelInactive()
    }
}
