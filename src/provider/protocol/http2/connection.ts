/**
 * The server side of one HTTP/2 connection (RFC 9113), as much of it as a gRPC plugin server needs: the
 * preface and settings, HEADERS and CONTINUATION, DATA with flow control both ways, PING, RST_STREAM,
 * WINDOW_UPDATE and GOAWAY. No server push, no priorities (read and ignored). Written for the provider
 * instead of node:http2, whose per-stream objects and events cost more than half of the provider's CPU time
 * on a no-op plan (BENCHMARKS.md, section 6). Frames written in one turn of the event loop go out in one
 * socket write.
 */
import type { Duplex } from "node:stream";
import { encodeHeaders, HpackDecoder, HpackError, type HeaderList } from "./hpack";

const PREFACE = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "latin1");

const FrameType = {
  DATA: 0,
  HEADERS: 1,
  PRIORITY: 2,
  RST_STREAM: 3,
  SETTINGS: 4,
  PUSH_PROMISE: 5,
  PING: 6,
  GOAWAY: 7,
  WINDOW_UPDATE: 8,
  CONTINUATION: 9,
} as const;

const Flag = { END_STREAM: 0x1, ACK: 0x1, END_HEADERS: 0x4, PADDED: 0x8, PRIORITY: 0x20 } as const;

export const ErrorCode = {
  NO_ERROR: 0,
  PROTOCOL_ERROR: 1,
  INTERNAL_ERROR: 2,
  FLOW_CONTROL_ERROR: 3,
  STREAM_CLOSED: 5,
  FRAME_SIZE_ERROR: 6,
  REFUSED_STREAM: 7,
  CANCEL: 8,
  COMPRESSION_ERROR: 9,
} as const;

const Setting = { INITIAL_WINDOW_SIZE: 4, MAX_FRAME_SIZE: 5 } as const;

const DEFAULT_WINDOW = 65_535;
const MAX_WINDOW = 2 ** 31 - 1;
const DEFAULT_MAX_FRAME = 16_384;
/** The largest frame this side reads: its own SETTINGS_MAX_FRAME_SIZE (announced below). */
const MAX_FRAME_IN = 1 << 20;
/** Receive windows are topped up once this much of them is used, so a peer never waits on them. */
const REFILL_AT = 2 ** 30;

class ConnectionError extends Error {
  constructor(
    public readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** One stream as a server handler sees it; `onData`, `onEnd` and `onClose` are the handler's to set. */
export class ServerStream {
  public onData: (chunk: Buffer) => void = () => undefined;
  public onEnd: () => void = () => undefined;
  /** The stream ended both ways, was reset, or its connection closed. Called once. */
  public onClose: () => void = () => undefined;
  public closed = false;
  /** Whether this side has sent its headers (an answer has begun). */
  public headersSent = false;
  /** @internal */ public remoteEnded = false;
  /** @internal */ public localEnded = false;
  /** @internal */ public sendWindow: number;
  /** @internal */ public received = 0;
  /** @internal: DATA (a buffer) and trailers (a header list) waiting for send window, in order. */
  public readonly pending: { data?: Buffer; trailers?: HeaderList; end: boolean }[] = [];

  constructor(
    private readonly connection: Http2ServerConnection,
    public readonly id: number,
    public readonly headers: Readonly<Record<string, string>>,
  ) {
    this.sendWindow = connection.peerInitialWindow;
  }

  /** Sends the response headers; `endStream` for a headers-only answer. */
  public respond(headers: HeaderList, endStream = false): void {
    if (this.closed || this.headersSent) return;
    this.headersSent = true;
    this.connection.sendHeaders(this, headers, endStream);
  }

  /** Queues DATA (split by the peer's frame size, sent as flow control allows); `endStream` ends it. */
  public write(data: Buffer, endStream = false): void {
    if (this.closed || this.localEnded) return;
    this.pending.push({ data, end: endStream });
    if (endStream) this.localEnded = true;
    this.connection.pump(this);
  }

  /** Sends trailers, which end the stream, after any DATA still queued. */
  public sendTrailers(trailers: HeaderList): void {
    if (this.closed || this.localEnded) return;
    this.localEnded = true;
    this.pending.push({ trailers, end: true });
    this.connection.pump(this);
  }

  /** Resets the stream (RST_STREAM). */
  public reset(code: number = ErrorCode.CANCEL): void {
    if (this.closed) return;
    this.connection.resetStream(this, code);
  }
}

export class Http2ServerConnection {
  /** @internal */ public peerInitialWindow = DEFAULT_WINDOW;
  private peerMaxFrame = DEFAULT_MAX_FRAME;
  private sendWindow = DEFAULT_WINDOW;
  private received = 0;
  private readonly streams = new Map<number, ServerStream>();
  private readonly blocked = new Set<ServerStream>();
  private readonly decoder = new HpackDecoder();
  private input: Buffer = Buffer.alloc(0);
  private prefaceSeen = false;
  private lastStreamId = 0;
  /** A header block in progress: HEADERS without END_HEADERS, waiting for CONTINUATION. */
  private partial: { id: number; fragments: Buffer[]; endStream: boolean } | undefined;
  private output: { type: number; flags: number; id: number; payload: Buffer }[] = [];
  private outputBytes = 0;
  private flushScheduled = false;
  private closed = false;

  constructor(
    private readonly socket: Duplex,
    private readonly onStream: (stream: ServerStream) => void,
  ) {
    // This side's settings: frames up to 1 MiB, and stream windows as large as allowed; then the connection
    // window the same (it can only grow by WINDOW_UPDATE).
    this.frame(
      FrameType.SETTINGS,
      0,
      0,
      settingsPayload([
        [Setting.MAX_FRAME_SIZE, MAX_FRAME_IN],
        [Setting.INITIAL_WINDOW_SIZE, MAX_WINDOW],
      ]),
    );
    this.frame(FrameType.WINDOW_UPDATE, 0, 0, uint32(MAX_WINDOW - DEFAULT_WINDOW));
    socket.on("data", (chunk: Buffer) => this.receive(chunk));
    socket.on("error", () => undefined);
    socket.on("close", () => this.closeAll());
  }

  /** Says GOAWAY and ends the connection once what is queued is written. */
  public close(): void {
    if (this.closed) return;
    this.frame(FrameType.GOAWAY, 0, 0, Buffer.concat([uint32(this.lastStreamId), uint32(ErrorCode.NO_ERROR)]));
    this.flush();
    this.socket.end();
    this.closeAll();
  }

  private receive(chunk: Buffer): void {
    if (this.closed) return;
    this.input = this.input.length === 0 ? chunk : Buffer.concat([this.input, chunk]);
    try {
      if (!this.prefaceSeen) {
        if (this.input.length < PREFACE.length) {
          if (!PREFACE.subarray(0, this.input.length).equals(this.input)) throw notHttp2();
          return;
        }
        if (!this.input.subarray(0, PREFACE.length).equals(PREFACE)) throw notHttp2();
        this.prefaceSeen = true;
        this.input = this.input.subarray(PREFACE.length);
      }
      let at = 0;
      while (this.input.length - at >= 9) {
        const length = this.input.readUIntBE(at, 3);
        if (length > MAX_FRAME_IN) throw new ConnectionError(ErrorCode.FRAME_SIZE_ERROR, `a frame of ${length} bytes`);
        if (this.input.length - at < 9 + length) break;
        const type = this.input[at + 3];
        const flags = this.input[at + 4];
        const id = this.input.readUInt32BE(at + 5) & 0x7fffffff;
        const payload = this.input.subarray(at + 9, at + 9 + length);
        at += 9 + length;
        this.handle(type, flags, id, payload);
        if (this.closed) return;
      }
      this.input = at === this.input.length ? Buffer.alloc(0) : this.input.subarray(at);
    } catch (err) {
      const code = err instanceof ConnectionError ? err.code : ErrorCode.INTERNAL_ERROR;
      this.fail(code, (err as Error).message);
    }
  }

  private handle(type: number, flags: number, id: number, payload: Buffer): void {
    if (this.partial && type !== FrameType.CONTINUATION) {
      throw new ConnectionError(ErrorCode.PROTOCOL_ERROR, "a frame inside a header block");
    }
    switch (type) {
      case FrameType.HEADERS:
        return this.onHeaders(flags, id, payload);
      case FrameType.CONTINUATION:
        return this.onContinuation(flags, id, payload);
      case FrameType.DATA:
        return this.onData(flags, id, payload);
      case FrameType.SETTINGS:
        return this.onSettings(flags, id, payload);
      case FrameType.PING:
        if (id !== 0 || payload.length !== 8) throw new ConnectionError(ErrorCode.PROTOCOL_ERROR, "a bad PING");
        if (!(flags & Flag.ACK)) this.frame(FrameType.PING, Flag.ACK, 0, Buffer.from(payload));
        return;
      case FrameType.WINDOW_UPDATE:
        return this.onWindowUpdate(id, payload);
      case FrameType.RST_STREAM: {
        const stream = this.streams.get(id);
        if (stream) this.finish(stream);
        return;
      }
      case FrameType.GOAWAY:
        // The client opens no more streams; those open are answered, and it closes the socket.
        return;
      case FrameType.PUSH_PROMISE:
        throw new ConnectionError(ErrorCode.PROTOCOL_ERROR, "a client sent PUSH_PROMISE");
      default:
        // PRIORITY and frame types this side does not know are ignored (RFC 9113 sections 5.3.2 and 4.1).
        return;
    }
  }

  private onHeaders(flags: number, id: number, payload: Buffer): void {
    if (id === 0 || id % 2 === 0) throw new ConnectionError(ErrorCode.PROTOCOL_ERROR, `HEADERS on stream ${id}`);
    let fragment = unpad(flags, payload);
    if (flags & Flag.PRIORITY) fragment = fragment.subarray(5);
    this.partial = { id, fragments: [fragment], endStream: (flags & Flag.END_STREAM) !== 0 };
    if (flags & Flag.END_HEADERS) this.headerBlockDone();
  }

  private onContinuation(flags: number, id: number, payload: Buffer): void {
    if (!this.partial || this.partial.id !== id) {
      throw new ConnectionError(ErrorCode.PROTOCOL_ERROR, "CONTINUATION without a header block");
    }
    this.partial.fragments.push(payload);
    if (flags & Flag.END_HEADERS) this.headerBlockDone();
  }

  private headerBlockDone(): void {
    const { id, fragments, endStream } = this.partial as NonNullable<typeof this.partial>;
    this.partial = undefined;
    let list: HeaderList;
    try {
      list = this.decoder.decode(fragments.length === 1 ? fragments[0] : Buffer.concat(fragments));
    } catch (err) {
      if (err instanceof HpackError) throw new ConnectionError(ErrorCode.COMPRESSION_ERROR, err.message);
      throw err;
    }
    const existing = this.streams.get(id);
    if (existing) {
      // Trailers from the client: gRPC has none to read, but they may end the stream.
      if (endStream) this.remoteEnd(existing);
      return;
    }
    if (id <= this.lastStreamId) return; // a stream this side has closed already: the block only fed HPACK
    this.lastStreamId = id;
    const headers: Record<string, string> = {};
    for (const [name, value] of list) headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
    const stream = new ServerStream(this, id, headers);
    this.streams.set(id, stream);
    this.onStream(stream);
    if (endStream) this.remoteEnd(stream);
  }

  private onData(flags: number, id: number, payload: Buffer): void {
    if (id === 0) throw new ConnectionError(ErrorCode.PROTOCOL_ERROR, "DATA on stream 0");
    // Flow control counts the whole payload, padding included, whatever becomes of the stream.
    this.received += payload.length;
    if (this.received >= REFILL_AT) {
      this.frame(FrameType.WINDOW_UPDATE, 0, 0, uint32(this.received));
      this.received = 0;
    }
    const stream = this.streams.get(id);
    if (!stream || stream.remoteEnded) {
      if (id > this.lastStreamId) throw new ConnectionError(ErrorCode.PROTOCOL_ERROR, `DATA on idle stream ${id}`);
      return; // a stream already closed or reset: dropped
    }
    stream.received += payload.length;
    if (stream.received >= REFILL_AT) {
      this.frame(FrameType.WINDOW_UPDATE, 0, id, uint32(stream.received));
      stream.received = 0;
    }
    const data = unpad(flags, payload);
    if (data.length > 0) stream.onData(data);
    if (flags & Flag.END_STREAM) this.remoteEnd(stream);
  }

  private onSettings(flags: number, id: number, payload: Buffer): void {
    if (id !== 0) throw new ConnectionError(ErrorCode.PROTOCOL_ERROR, "SETTINGS on a stream");
    if (flags & Flag.ACK) return;
    if (payload.length % 6 !== 0) throw new ConnectionError(ErrorCode.FRAME_SIZE_ERROR, "a bad SETTINGS frame");
    for (let at = 0; at < payload.length; at += 6) {
      const key = payload.readUInt16BE(at);
      const value = payload.readUInt32BE(at + 2);
      if (key === Setting.INITIAL_WINDOW_SIZE) {
        if (value > MAX_WINDOW) throw new ConnectionError(ErrorCode.FLOW_CONTROL_ERROR, "a window over 2^31-1");
        const delta = value - this.peerInitialWindow;
        this.peerInitialWindow = value;
        for (const stream of this.streams.values()) stream.sendWindow += delta;
      } else if (key === Setting.MAX_FRAME_SIZE) {
        if (value < DEFAULT_MAX_FRAME || value > 2 ** 24 - 1) {
          throw new ConnectionError(ErrorCode.PROTOCOL_ERROR, `a MAX_FRAME_SIZE of ${value}`);
        }
        this.peerMaxFrame = value;
      }
      // The others do not bind this side: it pushes nothing, opens no streams and indexes no headers.
    }
    this.frame(FrameType.SETTINGS, Flag.ACK, 0, Buffer.alloc(0));
    for (const stream of this.streams.values()) this.pump(stream);
  }

  private onWindowUpdate(id: number, payload: Buffer): void {
    if (payload.length !== 4) throw new ConnectionError(ErrorCode.FRAME_SIZE_ERROR, "a bad WINDOW_UPDATE");
    const increment = payload.readUInt32BE(0) & 0x7fffffff;
    if (id === 0) {
      this.sendWindow += increment;
      if (this.sendWindow > MAX_WINDOW) throw new ConnectionError(ErrorCode.FLOW_CONTROL_ERROR, "window overflow");
      for (const stream of [...this.blocked]) this.pump(stream);
      return;
    }
    const stream = this.streams.get(id);
    if (!stream) return;
    stream.sendWindow += increment;
    this.pump(stream);
  }

  /** @internal Writes what `stream` has queued, as far as the send windows allow. */
  public pump(stream: ServerStream): void {
    this.blocked.delete(stream);
    while (stream.pending.length > 0 && !stream.closed) {
      const next = stream.pending[0];
      if (next.trailers) {
        stream.pending.shift();
        this.headerFrames(stream.id, encodeHeaders(next.trailers), true);
        this.localEnd(stream);
        continue;
      }
      const data = next.data as Buffer;
      const room = Math.min(data.length, stream.sendWindow, this.sendWindow, this.peerMaxFrame);
      if (room <= 0 && data.length > 0) {
        this.blocked.add(stream);
        return;
      }
      const last = room === data.length;
      this.frame(FrameType.DATA, last && next.end ? Flag.END_STREAM : 0, stream.id, data.subarray(0, room));
      stream.sendWindow -= room;
      this.sendWindow -= room;
      if (!last) {
        next.data = data.subarray(room);
        continue;
      }
      stream.pending.shift();
      if (next.end) this.localEnd(stream);
    }
  }

  /** @internal */
  public sendHeaders(stream: ServerStream, headers: HeaderList, endStream: boolean): void {
    this.headerFrames(stream.id, encodeHeaders(headers), endStream);
    if (endStream) {
      stream.localEnded = true;
      this.localEnd(stream);
    }
  }

  /** @internal */
  public resetStream(stream: ServerStream, code: number): void {
    this.frame(FrameType.RST_STREAM, 0, stream.id, uint32(code));
    this.finish(stream);
  }

  /** HEADERS, and CONTINUATION frames when the block is larger than the peer's frame size. */
  private headerFrames(id: number, block: Buffer, endStream: boolean): void {
    const end = endStream ? Flag.END_STREAM : 0;
    if (block.length <= this.peerMaxFrame) {
      this.frame(FrameType.HEADERS, end | Flag.END_HEADERS, id, block);
      return;
    }
    for (let at = 0; at < block.length; at += this.peerMaxFrame) {
      const piece = block.subarray(at, at + this.peerMaxFrame);
      const lastPiece = at + this.peerMaxFrame >= block.length;
      const type = at === 0 ? FrameType.HEADERS : FrameType.CONTINUATION;
      this.frame(type, (at === 0 ? end : 0) | (lastPiece ? Flag.END_HEADERS : 0), id, piece);
    }
  }

  private remoteEnd(stream: ServerStream): void {
    if (stream.remoteEnded) return;
    stream.remoteEnded = true;
    stream.onEnd();
    if (stream.localEnded && stream.pending.length === 0) this.finish(stream);
  }

  private localEnd(stream: ServerStream): void {
    if (stream.remoteEnded) this.finish(stream);
  }

  /** The stream is done with: forgotten, and its handler told. */
  private finish(stream: ServerStream): void {
    if (stream.closed) return;
    stream.closed = true;
    stream.pending.length = 0;
    this.streams.delete(stream.id);
    this.blocked.delete(stream);
    stream.onClose();
  }

  private fail(code: number, message: string): void {
    this.frame(
      FrameType.GOAWAY,
      0,
      0,
      Buffer.concat([uint32(this.lastStreamId), uint32(code), Buffer.from(message, "utf8")]),
    );
    this.flush();
    this.socket.end();
    this.closeAll();
  }

  private closeAll(): void {
    this.closed = true;
    for (const stream of [...this.streams.values()]) this.finish(stream);
  }

  private frame(type: number, flags: number, id: number, payload: Buffer): void {
    if (this.closed) return;
    this.output.push({ type, flags, id, payload });
    this.outputBytes += 9 + payload.length;
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      // After the poll phase: the answers to every request read in this turn of the loop go out together.
      setImmediate(() => this.flush());
    }
  }

  /** The queued frames, headers and payloads, in one buffer and one socket write (one TLS record or few). */
  private flush(): void {
    this.flushScheduled = false;
    if (this.output.length === 0) return;
    const out = Buffer.allocUnsafe(this.outputBytes);
    let at = 0;
    for (const { type, flags, id, payload } of this.output) {
      out.writeUIntBE(payload.length, at, 3);
      out[at + 3] = type;
      out[at + 4] = flags;
      out.writeUInt32BE(id, at + 5);
      payload.copy(out, at + 9);
      at += 9 + payload.length;
    }
    this.output = [];
    this.outputBytes = 0;
    if (!this.socket.destroyed) this.socket.write(out);
  }
}

function notHttp2(): ConnectionError {
  return new ConnectionError(ErrorCode.PROTOCOL_ERROR, "not an HTTP/2 client (no connection preface)");
}

/** The payload without its padding, when the PADDED flag is set. */
function unpad(flags: number, payload: Buffer): Buffer {
  if (!(flags & Flag.PADDED)) return payload;
  const padding = payload[0];
  if (payload.length === 0 || padding >= payload.length) {
    throw new ConnectionError(ErrorCode.PROTOCOL_ERROR, "padding longer than its frame");
  }
  return payload.subarray(1, payload.length - padding);
}

function settingsPayload(settings: [number, number][]): Buffer {
  const out = Buffer.allocUnsafe(6 * settings.length);
  settings.forEach(([key, value], i) => {
    out.writeUInt16BE(key, 6 * i);
    out.writeUInt32BE(value, 6 * i + 2);
  });
  return out;
}

function uint32(value: number): Buffer {
  const out = Buffer.allocUnsafe(4);
  out.writeUInt32BE(value >>> 0, 0);
  return out;
}
