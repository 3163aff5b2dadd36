/**
 * A webhook receiver on a loopback port: what a team's endpoint is to Preclinical, small enough for tests,
 * the demo and the benchmarks. It answers every POST with the status it is told (200 unless set) and keeps
 * what it received.
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** One request the receiver got. */
export interface ReceivedDelivery {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** The parsed JSON body, or the raw text when it is not JSON. */
  readonly body: unknown;
  /** The status it was answered with. */
  readonly answered: number;
}

export class WebhookReceiver {
  /** What the next requests are answered with. */
  public status = 200;
  private log: ReceivedDelivery[] = [];

  private constructor(
    private readonly server: Server,
    /** The receiver's origin, e.g. http://127.0.0.1:41234. */
    public readonly origin: string,
  ) {
    server.on("request", (req, res) => {
      let text = "";
      req.setEncoding("utf8");
      req.on("data", (chunk: string) => (text += chunk));
      req.on("end", () => {
        const answered = this.status;
        this.log.push({
          method: req.method ?? "GET",
          path: req.url ?? "/",
          headers: req.headers,
          body: parseJson(text),
          answered,
        });
        res.writeHead(answered, { "content-type": "text/plain" }).end(answered < 300 ? "ok" : "receiver failure");
      });
    });
  }

  /** Starts a receiver on a random port of 127.0.0.1 (or `port`). */
  static async start(options: { status?: number; port?: number } = {}): Promise<WebhookReceiver> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? 0, "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
    const receiver = new WebhookReceiver(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    if (options.status !== undefined) receiver.status = options.status;
    return receiver;
  }

  /** A webhook URL on this receiver (a path of its own per webhook keeps deliveries apart). */
  url(path = "/hook"): string {
    return `${this.origin}${path}`;
  }

  /** What it received, oldest first (of one path only, when given). */
  received(path?: string): ReceivedDelivery[] {
    return this.log.filter((entry) => path === undefined || entry.path === path);
  }

  /** Forgets what it received and answers 200 again. */
  reset(): void {
    this.log = [];
    this.status = 200;
  }

  /** Stops listening and drops open connections: after this, deliveries to it are refused. */
  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
