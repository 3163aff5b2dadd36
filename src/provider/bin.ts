#!/usr/bin/env node
/** `preclinical-provider install <dir>`: lays out the provider so that `terraform init` in <dir> finds it. */
import * as path from "node:path";
import { PROVIDER_PLATFORMS, PROVIDER_VERSION, installProvider } from "./install";

const USAGE =
  "usage: preclinical-provider install <dir> [--platform <os_arch>]...\n" +
  `Installs the Preclinical Terraform provider ${PROVIDER_VERSION} (source "preclinical/preclinical") into ` +
  "<dir>/terraform.d/plugins, where `terraform init` run in <dir> finds it. Platforms: " +
  `${PROVIDER_PLATFORMS.join(", ")} (default: all).`;

function main(argv: string[]): number {
  const [command, ...rest] = argv;
  if (command === "--help" || command === "-h" || command === "help") {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const platforms: string[] = [];
  const dirs: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === "--platform") platforms.push(rest[++i] ?? "");
    else dirs.push(rest[i]);
  }
  const unknown = platforms.filter((p) => !(PROVIDER_PLATFORMS as readonly string[]).includes(p));
  if (command !== "install" || dirs.length !== 1 || unknown.length > 0) {
    if (unknown.length > 0) process.stderr.write(`Unsupported platform ${unknown.join(", ")}.\n`);
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const written = installProvider(path.resolve(dirs[0]), platforms.length > 0 ? { platforms } : {});
  process.stdout.write(
    `Installed preclinical/preclinical ${PROVIDER_VERSION}:\n${written.map((f) => `  ${f}\n`).join("")}`,
  );
  return 0;
}

process.exitCode = main(process.argv.slice(2));
