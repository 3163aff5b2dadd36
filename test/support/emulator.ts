import { PreclinicalEmulator, type EmulatorOptions } from "../../src/emulator";

/** Runs `run` against an emulator of its own (other agents, organizations or unknown-agent styles), then closes it. */
export async function withEmulator<T>(
  options: EmulatorOptions,
  run: (e: PreclinicalEmulator) => Promise<T>,
): Promise<T> {
  const emulator = await PreclinicalEmulator.start(options);
  try {
    return await run(emulator);
  } finally {
    await emulator.close();
  }
}
