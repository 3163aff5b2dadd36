/**
 * Runs before every test file. Some environment variables are inputs of the construct at synth time
 * (PRECLINICAL_API_URL names the organization; CI and TF_INPUT decide whether a variable without a value
 * fails synthesis), so no test may inherit the caller's: they are cleared before each test and restored
 * after. (CI still decides, when a file loads, whether a missing terraform fails loudly.)
 */
const SYNTH_INPUTS = ["PRECLINICAL_API_URL", "CI", "TF_INPUT"] as const;
let saved: Partial<Record<(typeof SYNTH_INPUTS)[number], string>> = {};

beforeEach(() => {
  saved = {};
  for (const name of SYNTH_INPUTS) {
    saved[name] = process.env[name];
    delete process.env[name];
  }
});

afterEach(() => {
  for (const name of SYNTH_INPUTS) {
    const value = saved[name];
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

export {};
