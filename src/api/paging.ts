/**
 * Reading a whole list from `limit`/`offset` pages, under the paging assumptions (assumptions.ts, 5): page
 * after page until `total` is reached or a short page ends the list, and a refusal, never a loop or a
 * silent half list, when the pages contradict themselves.
 */
import { MAX_PAGES, PAGE_LIMIT } from "./assumptions";
import { ClientErrorCodes, PreclinicalError } from "./errors";

/** One page as the API answered it. */
export interface Page<T> {
  readonly items: readonly T[];
  /** The length of the whole list, when the API says. */
  readonly total?: number;
}

/** Fetches the page of at most `limit` items from position `offset`. */
export type PageReader<T> = (limit: number, offset: number) => Promise<Page<T>>;

/**
 * Every item of a list, in the API's order, each id once. `what` names the request in errors
 * ("GET /agents"). Throws API_CONTRACT_VIOLATION when the pages cannot be a whole list.
 */
export async function readAllPages<T extends { readonly id: string }>(
  what: string,
  readPage: PageReader<T>,
  limit = PAGE_LIMIT,
): Promise<T[]> {
  const items = new Map<string, T>();
  let offset = 0;
  for (let pages = 1; ; pages++) {
    const page = await readPage(limit, offset);
    let fresh = 0;
    for (const item of page.items) {
      if (items.has(item.id)) continue; // the list shifted under an insert: keep the first
      items.set(item.id, item);
      fresh++;
    }
    const { total } = page;
    const whole = () => [...items.values()];
    if (total !== undefined && items.size > total) {
      throw refused(what, `${items.size} different items so far, more than the total of ${total} it announces`);
    }
    if (total !== undefined && items.size === total) return whole();
    // A longer page than asked for: a server that does not page sent the whole list at once.
    if (page.items.length > limit && total === undefined) return whole();
    if (page.items.length < limit) {
      if (total === undefined) return whole();
      throw refused(
        what,
        `${items.size} items before the list ended (a page of ${page.items.length} at offset ${offset}), ` +
          `but a total of ${total}: the total is wrong, or the list changed while it was read`,
      );
    }
    if (fresh === 0) {
      throw refused(what, `the page at offset ${offset} repeats items already read: the API does not page by offset`);
    }
    if (pages >= MAX_PAGES) {
      throw refused(what, `more than ${MAX_PAGES} pages of ${limit} (${items.size} items) without an end`);
    }
    offset += page.items.length;
  }
}

function refused(what: string, reason: string): PreclinicalError {
  return new PreclinicalError(
    ClientErrorCodes.API_CONTRACT_VIOLATION,
    `${what} answered pages that do not make one list: ${reason}. Nothing was changed and nothing read from ` +
      "this list was used. Run again; if it persists, the API's paging differs from what this library " +
      "assumes: report it with PRECLINICAL_DEBUG=1 output.",
  );
}
