/**
 * The names generated code gives each webhook: a construct id (camelCase, for TypeScript) and a resource name
 * (snake_case, for HCL), made from the agent's name, or `org` for the organization-level webhook. They are
 * unique within one import and stable: each depends only on its own agent's name and id, except that names
 * which would clash (two agents with one name, an agent called "Org") are all told apart by their agent's id,
 * never by their order in the list. A name with nothing usable in it (emoji only, other scripts, empty,
 * unknown) is made from the agent's id.
 */

/** The construct id and resource name of the organization-level webhook. */
export const ORG_NAME = "org";

/**
 * The longest name: `    <id>: new PreclinicalWebhook(scope, "<id>", {` (41 columns and the id twice) must
 * fit Prettier's 120 columns, or Prettier would lay the call out differently from the generated code.
 */
export const MAX_NAME_LENGTH = 39;

/** The first word of a name made from an agent's id, and of a name that would start with a digit. */
const AGENT_WORD = "agent";

/** The hex digits of the id first used to tell clashing names apart; more are added while they still clash. */
const FIRST_SUFFIX_LENGTH = 8;

/**
 * Names an agent's webhook may not have as they are (compared in lower case): the organization-level
 * webhook's, the id-made names' first word, and Object.prototype's members, which the generated object of
 * webhooks would shadow.
 */
const RESERVED = new Set(
  [ORG_NAME, AGENT_WORD, ...Object.getOwnPropertyNames(Object.prototype)].map((n) => n.toLowerCase()),
);

/** Latin letters that do not decompose into a base letter and marks. */
const FOLDS: Readonly<Record<string, string>> = {
  ß: "ss",
  æ: "ae",
  Æ: "Ae",
  œ: "oe",
  Œ: "Oe",
  ø: "o",
  Ø: "O",
  đ: "d",
  Đ: "D",
  ð: "d",
  Ð: "D",
  ł: "l",
  Ł: "L",
  þ: "th",
  Þ: "Th",
  ı: "i",
};

/**
 * The ASCII words of a name, in lower case: accents dropped ("Crème" -> "creme"), camelCase and acronyms
 * split ("HTTPTriageBot" -> http, triage, bot), everything but ASCII letters and digits a separator.
 */
export function nameWords(name: string): string[] {
  const folded = [...name.normalize("NFKD")]
    .map((c) => FOLDS[c] ?? c)
    .join("")
    .replace(/\p{M}/gu, "");
  return folded
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z])([A-Z][a-z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== "")
    .map((w) => w.toLowerCase());
}

/** What a webhook's names are made from. */
export interface NameSource {
  /** The agent's id; null for the organization-level webhook. */
  readonly agentId: string | null;
  /** The agent's name; undefined when it could not be read. */
  readonly agentName?: string;
  /** The webhook's id: it tells apart organization-level webhooks, should the API ever hold two. */
  readonly webhookId: string;
}

export interface Names {
  /** camelCase, an identifier: the construct id, and the key in the object `declareWebhooks` returns. */
  readonly constructId: string;
  /** snake_case: the `preclinical_webhook` resource's name in HCL. */
  readonly resourceName: string;
}

interface Candidate {
  readonly words: readonly string[];
  /** Lower-case hex digits that set this webhook apart: its agent's id (or its own) without dashes. */
  readonly distinct: string;
  /** Whether the name must carry a suffix even without a clash (a reserved or id-made name). */
  readonly mustSuffix: boolean;
  /** Whether the name never takes a suffix: the organization-level webhook's. */
  readonly fixed: boolean;
  suffix: number;
}

const capitalized = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

function candidateOf(source: NameSource): Candidate {
  const distinct = (source.agentId ?? source.webhookId).toLowerCase().replace(/[^0-9a-z]/g, "");
  if (source.agentId === null) return { words: [ORG_NAME], distinct, mustSuffix: false, fixed: true, suffix: 0 };
  let words = source.agentName === undefined ? [] : nameWords(source.agentName);
  if (words.length === 0) return { words: [AGENT_WORD], distinct, mustSuffix: true, fixed: false, suffix: 0 };
  if (/^[0-9]/.test(words[0])) words = [AGENT_WORD, ...words];
  const camel = words[0] + words.slice(1).map(capitalized).join("");
  return { words, distinct, mustSuffix: RESERVED.has(camel.toLowerCase()), fixed: false, suffix: 0 };
}

function render(c: Candidate): Names {
  const suffix = c.distinct.slice(0, c.suffix);
  const room = MAX_NAME_LENGTH - suffix.length - (suffix ? 1 : 0);
  const camel = (c.words[0] + c.words.slice(1).map(capitalized).join("")).slice(0, room + (suffix ? 1 : 0));
  const snake = c.words.join("_").slice(0, room).replace(/_+$/, "");
  return { constructId: camel + suffix, resourceName: suffix ? `${snake}_${suffix}` : snake };
}

/** The names of each webhook of one import, in the order given. */
export function assignNames(sources: readonly NameSource[]): Names[] {
  const candidates = sources.map(candidateOf);
  for (;;) {
    const names = candidates.map(render);
    const holders = new Map<string, number[]>();
    names.forEach((n, i) => {
      for (const key of [`ts:${n.constructId.toLowerCase()}`, `hcl:${n.resourceName}`]) {
        holders.set(key, [...(holders.get(key) ?? []), i]);
      }
    });
    // The organization-level webhook keeps `org`: an agent's name that clashes with it takes the suffix.
    const clashing = new Set(
      [...holders.values()].flatMap((list) => (list.length > 1 ? list.filter((i) => !candidates[i].fixed) : [])),
    );
    candidates.forEach((c, i) => c.mustSuffix && c.suffix === 0 && clashing.add(i));
    if (clashing.size === 0) return names;
    let longer = false;
    for (const i of clashing) {
      const c = candidates[i];
      const next = Math.min(c.distinct.length, c.suffix === 0 ? FIRST_SUFFIX_LENGTH : c.suffix + 4);
      longer ||= next > c.suffix;
      c.suffix = next;
    }
    // Only two webhooks of one scope could get here, which the organization's reading refuses earlier.
    if (!longer) throw new Error(`no unique names for ${[...clashing].map((i) => names[i].constructId).join(", ")}`);
  }
}
