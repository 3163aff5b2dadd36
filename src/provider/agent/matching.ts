/**
 * How `preclinical_agent` finds an agent by name: an exact match (case and spaces included, as the
 * Preclinical UI shows the name), and, when nothing matches, the names that come closest.
 */
import type { Agent } from "../../api/schemas";

/** At most this many suggestions follow a name that matches no agent. */
export const MAX_SUGGESTIONS = 5;

export type NameMatch =
  | { readonly kind: "one"; readonly agent: Agent }
  | { readonly kind: "several"; readonly agents: readonly Agent[] }
  | { readonly kind: "none"; readonly closest: readonly string[] };

/** The agents of `agents` named exactly `name`: one, several, or none with the closest names. */
export function matchName(agents: readonly Agent[], name: string): NameMatch {
  const exact = agents.filter((agent) => agent.name === name);
  if (exact.length === 1) return { kind: "one", agent: exact[0] };
  if (exact.length > 1) return { kind: "several", agents: exact };
  return {
    kind: "none",
    closest: closestNames(
      agents.map((agent) => agent.name),
      name,
    ),
  };
}

/**
 * Up to `max` distinct names nearest to `name`: by edit distance, ignoring case, in characters; a name
 * that contains the one asked for (or is contained in it) counts as nearer than any other; ties in order of
 * the names.
 */
export function closestNames(names: readonly string[], name: string, max = MAX_SUGGESTIONS): string[] {
  const wanted = name.toLowerCase();
  const scored = [...new Set(names)].map((candidate) => {
    const lower = candidate.toLowerCase();
    const contains = wanted !== "" && (lower.includes(wanted) || wanted.includes(lower));
    return { candidate, contains, distance: editDistance(lower, wanted) };
  });
  scored.sort(
    (a, b) =>
      Number(b.contains) - Number(a.contains) ||
      a.distance - b.distance ||
      (a.candidate < b.candidate ? -1 : a.candidate > b.candidate ? 1 : 0),
  );
  return scored.slice(0, max).map((s) => s.candidate);
}

/** Levenshtein distance over code points, in O(min(a, b)) memory. */
export function editDistance(a: string, b: string): number {
  const [x, y] = [Array.from(a), Array.from(b)];
  const [long, short] = x.length >= y.length ? [x, y] : [y, x];
  let previous = Array.from({ length: short.length + 1 }, (_, i) => i);
  for (let i = 1; i <= long.length; i++) {
    const current = [i];
    for (let j = 1; j <= short.length; j++) {
      const substitution = previous[j - 1] + (long[i - 1] === short[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution));
    }
    previous = current;
  }
  return previous[short.length];
}
