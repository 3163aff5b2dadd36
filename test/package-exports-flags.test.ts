/**
 * The package's entry points are libraries loaded into someone else's process (a cdktf app, a test suite):
 * loading one, and using what it exports, must not change V8's flags. Only the programs do
 * (src/api/startup.ts), when they run as programs.
 */
import * as fs from "node:fs";
import * as path from "node:path";
// The module object itself, whose method the code under test looks up at each call.
// eslint-disable-next-line @typescript-eslint/no-require-imports
import v8 = require("node:v8");

const ROOT = path.resolve(__dirname, "..");
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
  exports: Record<string, string | { default: string }>;
};

/** Each `exports` entry point that is code under src/, as its TypeScript source. */
const entryPoints = Object.entries(pkg.exports)
  .map(([name, target]) => [name, typeof target === "string" ? target : target.default] as const)
  .filter(([, target]) => target.startsWith("./dist/src/"))
  .map(([name, target]) => [name, path.join(ROOT, target.replace(/^\.\/dist\//, "").replace(/\.js$/, ".ts"))] as const);

test("the entry points under src/ are found (., ./api, ./emulator, ./drift, ./provider at least)", () => {
  expect(entryPoints.map(([name]) => name)).toEqual(
    expect.arrayContaining([".", "./api", "./emulator", "./drift", "./provider"]),
  );
});

test.each(entryPoints)("loading %s sets no V8 flag", (_name, file) => {
  const spy = jest.spyOn(v8, "setFlagsFromString");
  try {
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require(file);
    });
    expect(spy).not.toHaveBeenCalled();
  } finally {
    spy.mockRestore();
  }
});
