/**
 * The architecture table in CONTRIBUTING.md is the rule of which room may import which; this test holds the
 * source to it, and it to the source. Inside the rooms, the imports form no cycle, and each exported name has
 * one home that every file imports it from.
 */
import * as fs from "node:fs";
import * as path from "node:path";

const ROOT = path.join(__dirname, "..");

interface Room {
  readonly name: string;
  readonly mayImport: readonly string[];
}

/** The rows of the "Architecture" table in CONTRIBUTING.md: the room, and the `src/...` entries it may import. */
function roomsFromReadme(): Room[] {
  const text = fs.readFileSync(path.join(ROOT, "CONTRIBUTING.md"), "utf8");
  const section = text.split("\n## Architecture\n")[1]?.split("\n## ")[0];
  if (section === undefined) throw new Error('CONTRIBUTING.md has no "## Architecture" section');
  const rows = section.split("\n").filter((line) => /^\| `src\/.*\|$/.test(line));
  return rows.map((row) => {
    const cells = row.split(" | ");
    const ticked = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
    return {
      name: ticked(cells[0])[0],
      mayImport: ticked(cells[cells.length - 1]).filter((e) => e.startsWith("src/")),
    };
  });
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith(".ts") ? [full] : [];
  });
}

/** The repository-relative files a source file imports from inside `src`, by import, export-from or require. */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, "utf8");
  const specifiers = [...text.matchAll(/(?:from|import|require\()\s*\(?"(\.{1,2}\/[^"]+)"/g)].map((m) => m[1]);
  return specifiers.flatMap((specifier) => {
    const base = path.resolve(path.dirname(file), specifier);
    const target = [`${base}.ts`, path.join(base, "index.ts"), base].find((candidate) => fs.existsSync(candidate));
    if (target === undefined) throw new Error(`${file} imports ${specifier}, which does not resolve`);
    const relative = path.relative(ROOT, target).split(path.sep).join("/");
    return relative.startsWith("src/") ? [relative] : [];
  });
}

const covers = (entry: string, file: string) => (entry.endsWith("/") ? file.startsWith(entry) : file === entry);

/** The most specific room a file belongs to. */
function roomOf(rooms: readonly Room[], file: string): Room | undefined {
  return rooms.filter((room) => covers(room.name, file)).sort((a, b) => b.name.length - a.name.length)[0];
}

const rooms = roomsFromReadme();
const files = sourceFiles(path.join(ROOT, "src")).map((f) => path.relative(ROOT, f).split(path.sep).join("/"));
const edges = files.flatMap((from) => importsOf(path.join(ROOT, from)).map((to) => ({ from, to })));

/** The source files of the package's entry points (package.json `exports`): the only files that re-export. */
function entryPoints(): string[] {
  const { exports } = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
    exports: Record<string, string | { default: string }>;
  };
  return Object.values(exports)
    .map((target) => (typeof target === "string" ? target : target.default))
    .filter((built) => built.startsWith("./dist/src/"))
    .map((built) => built.replace(/^\.\/dist\//, "").replace(/\.js$/, ".ts"));
}

/** Each cycle in the imports between source files, as the files around it ("a -> b -> a"). */
function importCycles(): string[] {
  const targets = new Map<string, string[]>(files.map((file) => [file, []]));
  for (const { from, to } of edges) targets.get(from)!.push(to);
  const done = new Set<string>();
  const cycles: string[] = [];
  const visit = (file: string, trail: string[]): void => {
    if (trail.includes(file)) {
      cycles.push([...trail.slice(trail.indexOf(file)), file].join(" -> "));
      return;
    }
    if (done.has(file)) return;
    for (const target of targets.get(file) ?? []) visit(target, [...trail, file]);
    done.add(file);
  };
  for (const file of files) visit(file, []);
  return cycles;
}

describe("the architecture table in CONTRIBUTING.md", () => {
  test("every source file belongs to a room", () => {
    expect(rooms.map((r) => r.name)).toContain("src/api/");
    expect(files.filter((f) => roomOf(rooms, f) === undefined)).toEqual([]);
  });

  test("lists the rooms lowest first: a room may import only rooms in rows above it", () => {
    const upward = rooms.flatMap((room, row) =>
      room.mayImport
        .filter((entry) => {
          const target = roomOf(rooms, entry);
          return target === undefined || rooms.indexOf(target) >= row;
        })
        .map((entry) => `${room.name} -> ${entry}`),
    );
    expect(upward).toEqual([]);
  });

  test("every import that leaves its room goes where the table allows", () => {
    const crossings = edges.filter(({ from, to }) => roomOf(rooms, from) !== roomOf(rooms, to));
    const forbidden = crossings
      .filter(({ from, to }) => !roomOf(rooms, from)!.mayImport.some((entry) => covers(entry, to)))
      .map(({ from, to }) => `${from} -> ${to}`);
    expect(forbidden).toEqual([]);
  });

  test("every import the table allows is made, so the table says no more than the code does", () => {
    const unused = rooms.flatMap((room) =>
      room.mayImport
        .filter((entry) => !edges.some(({ from, to }) => roomOf(rooms, from) === room && covers(entry, to)))
        .map((entry) => `${room.name} -> ${entry}`),
    );
    expect(unused).toEqual([]);
  });

  test("every program in package.json's bin is a room's bin.ts", () => {
    const { bin } = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
      bin: Record<string, string>;
    };
    const sources = Object.values(bin).map((built) => built.replace(/^dist\//, "").replace(/\.js$/, ".ts"));
    expect(sources.filter((source) => !files.includes(source) || !source.endsWith("/bin.ts"))).toEqual([]);
    expect(sources.filter((source) => roomOf(rooms, source) === undefined)).toEqual([]);
    expect(Object.keys(bin)).toContain("preclinical-import");
  });

  test("no file imports itself through others: the imports in src form no cycle", () => {
    expect(importCycles()).toEqual([]);
  });

  test("each exported name has one home: it is declared once, and only the package's entry points re-export", () => {
    const entries = entryPoints();
    expect(entries).toContain("src/index.ts");
    const reexports = files
      .filter((file) => !entries.includes(file))
      .flatMap((file) =>
        [
          ...fs.readFileSync(path.join(ROOT, file), "utf8").matchAll(/^export\s+(?:type\s+)?(?:\*|\{[^}]*\})[^;]*;/gm),
        ].map((m) => `${file}: ${m[0].replace(/\s+/g, " ")}`),
      );
    expect(reexports).toEqual([]);
    // An entry point is for the package's users: inside src, a name is imported from its home.
    expect(edges.filter(({ to }) => entries.includes(to)).map(({ from, to }) => `${from} -> ${to}`)).toEqual([]);
    const homes = new Map<string, string[]>();
    for (const file of files) {
      const text = fs.readFileSync(path.join(ROOT, file), "utf8");
      const declared =
        /^export\s+(?:declare\s+)?(?:async\s+)?(?:abstract\s+)?(?:function\*?|class|const|let|enum|interface|type|namespace)\s+([\w$]+)/gm;
      for (const [, name] of text.matchAll(declared)) homes.set(name, [...(homes.get(name) ?? []), file]);
    }
    expect(
      [...homes].filter(([, where]) => where.length > 1).map(([name, where]) => `${name}: ${where.join(", ")}`),
    ).toEqual([]);
  });

  // bundles.ts imports them too: it sits below the construct and the provider, but only to tell a user of
  // either that a bundle is missing, which is a message for them.
  test("the API client, the emulator and the plugin protocol import no user messages", () => {
    const low = ["src/version.ts", "src/api/", "src/emulator/", "src/provider/protocol/"];
    const offenders = edges.filter(({ from, to }) => to === "src/messages.ts" && low.some((r) => covers(r, from)));
    expect(offenders).toEqual([]);
  });
});
