/**
 * The provider's log: JSON lines on stderr in the shape go-hclog writes, which go-plugin reads and Terraform
 * shows under TF_LOG=debug (or TF_LOG_PROVIDER). stdout carries the handshake line only. Every line, and every
 * diagnostic the provider returns, passes through `mask`: secrets seen in configuration never leave.
 */
import { redact } from "../../api/errors";

export type Level = "trace" | "debug" | "info" | "warn" | "error";

export class Logger {
  private readonly secrets = new Set<string>();

  constructor(
    private readonly write: (line: string) => void = (line) => process.stderr.write(line),
    private readonly module = "provider.preclinical",
  ) {}

  /** Adds values that must never be written: the API key, webhook secrets. */
  public addSecret(value: string | undefined | null): void {
    // Very short values would mask ordinary words; the API rules make every real secret longer.
    if (value && value.length >= 8) this.secrets.add(value);
  }

  public mask(text: string): string {
    return redact(text, [...this.secrets]);
  }

  public log(level: Level, message: string, fields: Record<string, string | number | boolean> = {}): void {
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
