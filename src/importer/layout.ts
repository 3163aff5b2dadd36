/**
 * What the two kinds of generated code share: comments wrapped to a width under a prefix, and what they say
 * beside an agent's id and about a webhook left out.
 */
import { UUID_PATTERN } from "../api/rules";
import { explain, type ImportedWebhook } from "./organization";
import { commentString } from "./quote";

/** The width comments are wrapped to, inside Prettier's 120 columns. */
export const COMMENT_WIDTH = 116;

/**
 * `text` as comment lines (`prefix` and a space, then up to COMMENT_WIDTH columns), broken at spaces; an empty
 * paragraph is a line of the prefix alone. `text` must hold no line breaks but the paragraph ones ("\n").
 */
export function comment(prefix: string, text: string, indent = ""): string[] {
  return text.split("\n").flatMap((paragraph) => {
    if (paragraph === "") return [`${indent}${prefix}`];
    const lines: string[] = [];
    let line = "";
    // Split at single spaces only, never beside another space (a run of spaces in a quoted name stays whole),
    // nor inside `code`.
    for (const word of paragraph.split(" ")) {
      const inCode = (line.split("`").length - 1) % 2 === 1;
      const breakable = word !== "" && line !== "" && !line.endsWith(" ") && !inCode;
      if (breakable && indent.length + prefix.length + 1 + line.length + 1 + word.length > COMMENT_WIDTH) {
        lines.push(line);
        line = word;
      } else line = line === "" ? word : `${line} ${word}`;
    }
    lines.push(line);
    return lines.map((l) => `${indent}${prefix} ${l}`);
  });
}

/** "1 webhook", "2 webhooks". */
export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

/** The agent's name beside its id, or why it is unknown. */
export function agentComment(w: ImportedWebhook): string {
  if (!w.agent) return "";
  return "name" in w.agent ? commentString(w.agent.name) : `name unknown: ${commentString(w.agent.unknown)}`;
}

/** Why a webhook is not declared, for a comment: values shown safe for one. */
export function leftOut(w: ImportedWebhook): string {
  const id = (value: string) => (UUID_PATTERN.test(value) ? value : commentString(value));
  const agent = w.agentId === null ? "the organization-level webhook" : `agent ${id(w.agentId)}, ${agentComment(w)}`;
  return `webhook ${id(w.id)} (${agent}): ${w.refusals.map(explain(commentString)).join("; ")}.`;
}
