import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Testing
@testable import OncoMail

/// A loopback TCP server that plays a fixed script: `greeting` on connect, then the next of
/// `replies` for each line it receives, then silence. For what a well-behaved SMTP server
/// never shows (silence, garbage, no EHLO, injected replies). `received` keeps the lines.
struct ScriptedServer {
    let port: Int
    private let channel: any Channel
    private let log: NIOLockedValueBox<[String]>

    var received: [String] { log.withLockedValue { $0 } }

    static func start(greeting: String, replies: [String] = [], group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws -> ScriptedServer {
        let log = NIOLockedValueBox<[String]>([])
        let channel = try await ServerBootstrap(group: group)
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture {
                    try child.pipeline.syncOperations.addHandler(Player(greeting: greeting, replies: replies, log: log))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return ScriptedServer(port: channel.localAddress?.port ?? 0, channel: channel, log: log)
    }

    func stop() async {
        try? await channel.close()
    }

    /// Plays the script to one `send` and returns what it threw (recording an issue when it
    /// threw nothing, or something other than an `SMTPError`) and the lines the server read.
    static func failure(
        greeting: String, replies: [String] = [], query: String = "tls=none&timeout=120"
    ) async throws -> (error: SMTPError?, received: [String]) {
        // A group of its own: the rest of the test run (server tests on the shared
        // event loops) cannot delay the script's replies past the client's timeouts.
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let server = try await start(greeting: greeting, replies: replies, group: group)
        let error = await #expect(throws: SMTPError.self) {
            try await SMTPClient(configuration: SMTPConfiguration(url: "smtp://127.0.0.1:\(server.port)?\(query)"), eventLoopGroup: group)
                .send(Messages.make())
        }
        await server.stop()
        try? await group.shutdownGracefully()
        return (error, server.received)
    }

    private final class Player: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        let greeting: String
        var replies: ArraySlice<String>
        let log: NIOLockedValueBox<[String]>
        var pending = ""

        init(greeting: String, replies: [String], log: NIOLockedValueBox<[String]>) {
            self.greeting = greeting
            self.replies = replies[...]
            self.log = log
        }

        func channelActive(context: ChannelHandlerContext) {
            if !greeting.isEmpty { context.writeAndFlush(NIOAny(ByteBuffer(string: greeting)), promise: nil) }
            context.fireChannelActive()
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            pending += String(buffer: unwrapInboundIn(data))
            while let end = pending.range(of: "\r\n") {
                let line = String(pending[..<end.lowerBound])
                pending.removeSubrange(..<end.upperBound)
                log.withLockedValue { $0.append(line) }
                if let reply = replies.popFirst() { context.writeAndFlush(NIOAny(ByteBuffer(string: reply)), promise: nil) }
            }
        }
    }
}
