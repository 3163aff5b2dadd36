// Compiles the main entry with jsii, so that the constructs' public API stays within what jsii can carry to
// Python, Java, C# and Go. jsii compiles a package, so this lays one out in a temp folder: the sources, the
// README, a package.json with jsii settings (from ours), and a tsconfig that takes the construct room and
// what it imports, not the provider's gRPC code or the subpaths, which stay TypeScript-only. Prints the
// assembly's types; exits non-zero on any jsii error.
//
//   node scripts/jsii-check.mjs
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const ours = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const dir = mkdtempSync(join(tmpdir(), "preclinical-jsii-"));
try {
  cpSync(join(root, "src"), join(dir, "src"), { recursive: true });
  cpSync(join(root, "README.md"), join(dir, "README.md"));
  symlinkSync(join(root, "node_modules"), join(dir, "node_modules"), "dir");
  const installed = (name) =>
    JSON.parse(readFileSync(join(root, "node_modules", name, "package.json"), "utf8")).version;
  const jsiiPeers = ["cdktf", "constructs", "@cdktf/provider-null"];
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({
      name: ours.name,
      version: ours.version,
      description: ours.description,
      license: ours.license,
      author: { name: "cdktf-preclinical-webhooks authors", roles: ["author"] },
      repository: { type: "git", url: "https://example.invalid/cdktf-preclinical-webhooks.git" },
      main: "src/index.js",
      types: "src/index.d.ts",
      dependencies: ours.dependencies,
      bundledDependencies: Object.keys(ours.dependencies),
      peerDependencies: Object.fromEntries(jsiiPeers.map((name) => [name, `^${installed(name)}`])),
      devDependencies: Object.fromEntries(jsiiPeers.map((name) => [name, installed(name)])),
      jsii: { outdir: "dist", targets: {}, tsconfig: "tsconfig.jsii.json", validateTsconfig: "minimal" },
    }),
  );
  writeFileSync(
    join(dir, "tsconfig.jsii.json"),
    JSON.stringify({
      compilerOptions: {
        target: "ES2022",
        lib: ["ES2022"],
        module: "commonjs",
        declaration: true,
        strict: true,
        alwaysStrict: true,
        esModuleInterop: true,
        resolveJsonModule: true,
        skipLibCheck: true,
        noEmitOnError: true,
        rootDir: ".",
        types: ["node"],
      },
      include: ["src/index.ts", "src/construct/**/*.ts", "src/provider/index.ts", "src/provider/install.ts"],
    }),
  );
  execFileSync(process.execPath, [join(root, "node_modules", "jsii", "bin", "jsii")], {
    cwd: dir,
    stdio: ["ignore", "inherit", "inherit"],
  });
  const assembly = JSON.parse(readFileSync(join(dir, ".jsii"), "utf8"));
  process.stdout.write(
    `jsii assembly ${assembly.name}@${assembly.version}: ${Object.keys(assembly.types).sort().join(", ")}\n`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
