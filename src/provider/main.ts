/**
 * The entry point of the bundled provider executable (terraform-provider-preclinical). Terraform starts it;
 * run by hand, it says what it is and exits 1.
 */
import { preclinicalProvider } from "./provider";
import { Logger } from "./protocol/logger";
import { PluginStartError, servePlugin } from "./protocol/server";

const log = new Logger();

process.on("uncaughtException", (err) => {
  // Terraform reports the plugin's exit; the log line says why.
  log.error("provider crashed", { cause: `${err.name}: ${err.message}`, stack: err.stack ?? "" });
  process.exit(1);
});

servePlugin(preclinicalProvider(log), { log }).catch((err: unknown) => {
  if (err instanceof PluginStartError) {
    process.stderr.write(`${err.message}\n`);
  } else {
    log.error("provider failed to start", { cause: err instanceof Error ? err.message : String(err) });
  }
  process.exit(1);
});
