import NIOCore
import NIOPosix

/// A loopback TCP server that says one fixed thing on connect and then nothing: for the
/// failures a well-behaved SMTP server never shows (silence, garbage).
struct ScriptedServer {
    let port: Int
    private let channel: any Channel

    static func start(saying greeting: String) async throws -> ScriptedServer {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture {
                    try child.pipeline.syncOperations.addHandler(Greeter(greeting: greeting))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return ScriptedServer(port: channel.localAddress?.port ?? 0, channel: channel)
    }

    func stop() async {
        try? await channel.close()
    }

    private final class Greeter: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        let greeting: String
        init(greeting: String) { self.greeting = greeting }

        func channelActive(context: ChannelHandlerContext) {
            if !greeting.isEmpty {
                context.writeAndFlush(NIOAny(ByteBuffer(string: greeting)), promise: nil)
            }
            context.fireChannelActive()
        }
    }
}
