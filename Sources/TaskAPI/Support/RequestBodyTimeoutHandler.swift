import Foundation
import HTTPTypes
import Logging
import NIOCore
import NIOHTTPTypes

/// Answers 408 and closes the connection when a request's body does not arrive in full within `timeout` of its
/// head. Without it, a client that sends headers and one byte of a promised body holds a connection (and a
/// handler) forever: Hummingbird's idle timeout only runs between requests, and a handler waiting on the body
/// stream cannot be cancelled. Sits in the channel pipeline after HTTP decoding, so it sees whole heads, body parts
/// and ends, and the response parts the handler writes.
final class RequestBodyTimeoutHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private enum State {
        /// Between requests, or the body is complete.
        case idle
        /// A head arrived; its body has not ended yet. The timer starts only once a read leaves the body incomplete:
        /// most requests arrive whole in one read and never need one.
        case readingBody(correlationID: String, timer: Scheduled<Void>?)
        /// The 408 was sent; everything else on this connection is dropped until it closes.
        case timedOut
    }

    private let timeout: TimeAmount
    private let logger: Logger
    private var state = State.idle
    /// The handler has begun answering the current request (then only closing is left to do on timeout).
    private var responseStarted = false

    init(timeout: Duration, logger: Logger) {
        self.timeout = .nanoseconds(Int64(timeout / .nanoseconds(1)))
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch (unwrapInboundIn(data), state) {
        case (_, .timedOut):
            return
        case (.head(let head), _):
            cancelTimer()
            state = .readingBody(correlationID: CorrelationID.resolve(head.headerFields[.correlationID]), timer: nil)
        case (.end, _):
            cancelTimer()
            state = .idle
        case (.body, _):
            break
        }
        context.fireChannelRead(data)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if case .readingBody(let correlationID, nil) = state {
            let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            let timer = context.eventLoop.scheduleTask(in: timeout) {
                let (handler, context) = loopBound.value
                handler.timeOut(context: context)
            }
            state = .readingBody(correlationID: correlationID, timer: timer)
        }
        context.fireChannelReadComplete()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .timedOut = state {
            promise?.fail(ChannelError.ioOnClosedChannel)
            return
        }
        switch unwrapOutboundIn(data) {
        case .head: responseStarted = true
        case .end: responseStarted = false
        case .body: break
        }
        context.write(data, promise: promise)
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancelTimer()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancelTimer()
    }

    private func cancelTimer() {
        if case .readingBody(_, let timer?) = state { timer.cancel() }
    }

    private func timeOut(context: ChannelHandlerContext) {
        guard case .readingBody(let correlationID, _) = state else { return }
        state = .timedOut
        logger.warning("Request body not received in time; answering 408 and closing the connection", metadata: [
            "correlation_id": .string(correlationID), "timeout_seconds": .stringConvertible(timeout.nanoseconds / 1_000_000_000),
        ])
        guard !responseStarted else {
            context.close(promise: nil)
            return
        }
        let body = JSONCoding.encode(APIError.requestTimeout(seconds: timeout.nanoseconds / 1_000_000_000)
            .body(correlationID: correlationID))
        var fields: HTTPFields = [
            .contentType: "application/json; charset=utf-8", .contentLength: String(body.readableBytes), .connection: "close",
        ]
        fields[.correlationID] = correlationID
        context.write(wrapOutboundOut(.head(HTTPResponse(status: .requestTimeout, headerFields: fields))), promise: nil)
        context.write(wrapOutboundOut(.body(body)), promise: nil)
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in bound.value.close(promise: nil) }
    }
}
