/**
 * The provider's log: JSON lines on stderr in the shape go-hclog writes, which go-plugin reads and Terraform
 * shows under TF_LOG=debug (or TF_LOG_PROVIDER); lines below the level those variables ask for are not written.
 * stdout carries the handshake line only. Every line, and every diagnostic the provider returns, passes through
 * `mask`: secrets seen in configuration never leave.
 */
import { redact } from "../../api/errors";

export type Level = "trace" | "debug" | "info" | "warn" | "error";

const LEVELS: readonly Level[] = ["trace", "debug", "info", "warn", "error"];

/**
 * The level Terraform asks providers to log at, read as Go providers read it: TF_LOG_PROVIDER_PRECLINICAL,
 * else TF_LOG_PROVIDER, else TF_LOG (`JSON` and any other value Terraform does not know mean trace, as in
 * Terraform). Unset, Terraform discards provider lines, so only errors are written: a line costs both
 * processes CPU time (the provider writes it, Terraform reads and parses it), once per call.
 */
export function levelFromEnv(env: NodeJS.ProcessEnv): Level {
  const value = (env.TF_LOG_PROVIDER_PRECLINICAL || env.TF_LOG_PROVIDER || env.TF_LOG || "").trim().toLowerCase();
  if (value === "" || value === "off") return "error";
  return (LEVELS as readonly string[]).includes(value) ? (value as Level) : "trace";
}

export class Logger {
  private readonly secrets = new Set<string>();
  private readonly threshold: number;

  constructor(
    private readonly write: (line: string) => void = (line) => process.stderr.write(line),
    private readonly module = "provider.preclinical",
    /** Lines below this level are not written. */
    level: Level = "trace",
  ) {
    this.threshold = LEVELS.indexOf(level);
  }

  /** Whether lines of this level are written (so that callers can skip building them). */
  public enabled(level: Level): boolean {
    return LEVELS.indexOf(level) >= this.threshold;
  }

  /** Adds values that must never be written: the API key, webhook secrets. */
  public addSecret(value: string | undefined | null): void {
    // Very short values would mask ordinary words; the API rules make every real secret longer.
    if (value && value.length >= 8) this.secrets.add(value);
  }

  public mask(text: string): string {
    return redact(text, [...this.secrets]);
  }

  public log(level: Level, message: string, fields: Record<string, string | number | boolean> = {}): void {
    if (!this.enabled(level)) return;
    const entry: Record<string, unknown> = {
      "@level": level,
      "@message": this.mask(message),
      "@module": this.module,
      "@timestamp": new Date().toISOString(),
    };
    for (const [key, value] of Object.entries(fields))
      entry[key] = typeof value === "string" ? this.mask(value) : value;
    this.write(`${JSON.stringify(entry)}\n`);
  }

  public debug(message: string, fields?: Record<string, string | number | boolean>): void {
    this.log("debug", message, fields);
  }

  public error(message: string, fields?: Record<string, string | number | boolean>): void {
    this.log("error", message, fields);
  }
}
