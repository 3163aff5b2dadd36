/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }] },
  modulePathIgnorePatterns: ["<rootDir>/dist/"],
  setupFilesAfterEnv: ["<rootDir>/test/setup.ts"],
  // One temporary folder per run; the run fails if a provider left a socket folder in it.
  globalSetup: "<rootDir>/test/support/run-temp-setup.ts",
  globalTeardown: "<rootDir>/test/support/run-temp-teardown.ts",
  testTimeout: 60000,
  maxWorkers: 2,
  reporters: ["default", "<rootDir>/test/support/summary-reporter.js"],
};
