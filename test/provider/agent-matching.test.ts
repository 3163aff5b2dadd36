/** How preclinical_agent matches a name: exactly, and which names it suggests when nothing matches. */
import type { Agent } from "../../src/api/schemas";
import { MAX_SUGGESTIONS, closestNames, editDistance, matchName } from "../../src/provider/agent/matching";

const agent = (id: string, name: string): Agent => ({
  id,
  name,
  provider: "vapi",
  description: null,
  is_active: true,
  created_at: "2026-01-01T00:00:00.000Z",
  updated_at: "2026-01-01T00:00:00.000Z",
});

const AGENTS = [
  agent("1", "Healthcare Assistant"),
  agent("2", "Intake"),
  agent("3", "Intake"),
  agent("4", "Billing helper"),
  agent("5", "healthcare assistant (staging)"),
];

describe("matchName", () => {
  test("one agent of exactly that name is the match", () => {
    expect(matchName(AGENTS, "Healthcare Assistant")).toEqual({ kind: "one", agent: AGENTS[0] });
  });

  test("several agents of that name are all returned, for the message to list their ids", () => {
    expect(matchName(AGENTS, "Intake")).toEqual({ kind: "several", agents: [AGENTS[1], AGENTS[2]] });
  });

  test.each(["healthcare assistant", "Healthcare Assistant ", " Healthcare Assistant", "Healthcare  Assistant"])(
    "the name must match exactly, case and spaces included: %j matches nothing",
    (name) => {
      const match = matchName(AGENTS, name);
      expect(match.kind).toBe("none");
      // ...and the intended agent is the first suggestion
      expect(match.kind === "none" && match.closest[0]).toBe("Healthcare Assistant");
    },
  );

  test("no agents: no match and no suggestions", () => {
    expect(matchName([], "Intake")).toEqual({ kind: "none", closest: [] });
  });
});

describe("closestNames", () => {
  test("puts a one-letter typo first, names containing the asked one next, and stops at five", () => {
    const names = ["Triage bot", "Intake", "Billing", "Healthcare Assistant", "Scheduler", "Pharmacy", "Nurse line"];
    const closest = closestNames(names, "Healthcare Asistant");
    expect(closest[0]).toBe("Healthcare Assistant");
    expect(closest).toHaveLength(MAX_SUGGESTIONS);
    expect(closestNames(["Intake (night)", "Intact", "Billing"], "Intake")).toEqual([
      "Intake (night)",
      "Intact",
      "Billing",
    ]);
  });

  test("names each name once and breaks ties in code-point order", () => {
    expect(closestNames(["ab", "ba", "ab", "aa"], "zz")).toEqual(["aa", "ab", "ba"]);
  });

  test("is given fewer than five when the organization has fewer names", () => {
    expect(closestNames(["One"], "Two")).toEqual(["One"]);
  });
});

describe("editDistance", () => {
  test.each([
    ["", "", 0],
    ["abc", "", 3],
    ["kitten", "sitting", 3],
    ["Assistant", "Asistant", 1],
    ["ü✓", "u✓", 1],
    ["🚀a", "a", 1],
  ])("between %j and %j is %i", (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });
});
