/**
 * The entry point of the bundled provider executable (terraform-provider-preclinical). Terraform starts it;
 * run by hand, it says what it is and exits 1.
 */
import type * as Provider from "./provider";
import { Logger, levelFromEnv } from "./protocol/logger";
import { PluginStartError, servePlugin } from "./protocol/server";

const log = new Logger(undefined, undefined, levelFromEnv(process.env));

// Ctrl-C reaches Terraform and its providers alike; Terraform then stops the provider through the protocol
// (StopProvider), which cancels requests in flight and answers. Dying on the signal would lose that answer.
process.on("SIGINT", () => log.debug("interrupt received: Terraform will stop the provider"));

process.on("uncaughtException", (err) => {
  // Terraform reports the plugin's exit; the log line says why.
  log.error("provider crashed", { cause: `${err.name}: ${err.message}`, stack: err.stack ?? "" });
  process.exit(1);
});

// The provider's code (resources, data sources, the API client) loads on Terraform's first call, after the
// handshake that Terraform waits for at every one of its three or four starts of the provider per command.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const provider = () => (require("./provider") as typeof Provider).preclinicalProvider(log);

servePlugin(provider, { log }).then(
  (plugin) => {
    // Terraform ends a provider with its controller's Shutdown; a SIGTERM from elsewhere (a pipeline's
    // timeout) still ends the calls in flight and removes a socket folder.
    process.once("SIGTERM", () => {
      log.debug("terminated by SIGTERM");
      const exit = () => process.exit(143);
      setTimeout(exit, 500).unref();
      plugin.stop().then(exit, exit);
    });
  },
  (err: unknown) => {
    if (err instanceof PluginStartError) {
      process.stderr.write(`${err.message}\n`);
    } else {
      log.error("provider failed to start", { cause: err instanceof Error ? err.message : String(err) });
    }
    process.exit(1);
  },
);
