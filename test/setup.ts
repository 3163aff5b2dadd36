/**
 * Runs before every test file. Some environment variables are inputs of the construct at synth time
 * (PRECLINICAL_API_URL names the organization; CI and TF_INPUT decide whether a variable without a value
 * fails synthesis), so no test may inherit the caller's. The tests are a pipeline in which nothing may wait
 * at a prompt: TF_INPUT is 0 from the start (beforeAll hooks synthesize too), and before each test
 * PRECLINICAL_API_URL and CI are cleared; all three are restored after it. (CI still decides, when a file
 * loads, whether a missing terraform fails loudly.) test/construct/pipeline-input.test.ts unsets TF_INPUT
 * where it tests the check.
 */
process.env.TF_INPUT = "0";

const SYNTH_INPUTS = ["PRECLINICAL_API_URL", "CI", "TF_INPUT"] as const;
let saved: Partial<Record<(typeof SYNTH_INPUTS)[number], string>> = {};

beforeEach(() => {
  saved = {};
  for (const name of SYNTH_INPUTS) saved[name] = process.env[name];
  delete process.env.PRECLINICAL_API_URL;
  delete process.env.CI;
  process.env.TF_INPUT = "0";
});

afterEach(() => {
  for (const name of SYNTH_INPUTS) {
    const value = saved[name];
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

export {};
