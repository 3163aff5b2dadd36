/**
 * Runs before every test file. The synth-time PRECLINICAL_API_URL is an input of the construct, so no test
 * may inherit the caller's: it is cleared before each test and restored after.
 */
let savedApiUrl: string | undefined;

beforeEach(() => {
  savedApiUrl = process.env.PRECLINICAL_API_URL;
  delete process.env.PRECLINICAL_API_URL;
});

afterEach(() => {
  if (savedApiUrl === undefined) delete process.env.PRECLINICAL_API_URL;
  else process.env.PRECLINICAL_API_URL = savedApiUrl;
});

export {};
