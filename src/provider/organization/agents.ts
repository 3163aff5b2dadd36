/**
 * The organization's agents as one provider process sees them: the whole list (every page of
 * `GET /agents`) read once and shared by every reader, the data sources and the webhooks' plan-time
 * "agent exists" check alike; concurrent readers share one answer. An id the list does not hold (an agent
 * created since the list was read), or any id when the list cannot be read, is asked for once with
 * `GET /agents/{id}`, so a list that is stale or refused never makes an existing agent look unknown.
 */
import type { PreclinicalClient } from "../../api/client";
import { ClientErrorCodes, isAgentNotFound, isPreclinicalError } from "../../api/errors";
import type { Agent } from "../../api/schemas";

export class AgentDirectory {
  private list: Promise<readonly Agent[]> | undefined;
  /** A list read failed in this process: id lookups go per id from then on. */
  private listFailed = false;
  private readonly single = new Map<string, Promise<Agent | undefined>>();

  constructor(private readonly client: () => PreclinicalClient) {}

  /** Every agent of the organization, in the API's order. A failed read is not kept: the next caller tries again. */
  public all(): Promise<readonly Agent[]> {
    if (!this.list) {
      const request = this.client()
        .listAgents()
        .catch((err: unknown) => {
          this.listFailed = true;
          if (this.list === request) this.list = undefined;
          throw err;
        });
      this.list = request;
    }
    return this.list;
  }

  /** The agents whose name is exactly `name`. */
  public async named(name: string): Promise<Agent[]> {
    return (await this.all()).filter((agent) => agent.name === name);
  }

  /** The agent with this id (UUIDs compare case-insensitively), or undefined when the organization has none. */
  public async byId(id: string): Promise<Agent | undefined> {
    const key = id.toLowerCase();
    if (!this.listFailed) {
      try {
        const found = byLowerCaseId(await this.all()).get(key);
        if (found) return found;
      } catch (err) {
        if (isPreclinicalError(err) && err.code === ClientErrorCodes.CANCELLED) throw err;
        // The list could not be read: this id, and every later one, is asked for on its own.
      }
    }
    let answer = this.single.get(key);
    if (!answer) {
      answer = this.client()
        .getAgent(id)
        .then(
          (agent) => agent,
          (err: unknown) => {
            if (isAgentNotFound(err)) return undefined;
            this.single.delete(key);
            throw err;
          },
        );
      this.single.set(key, answer);
    }
    return answer;
  }
}

const indexes = new WeakMap<readonly Agent[], Map<string, Agent>>();

/** A list's agents by lower-case id, made once per list: a plan checks every webhook's agent against it. */
function byLowerCaseId(agents: readonly Agent[]): Map<string, Agent> {
  let index = indexes.get(agents);
  if (!index) {
    index = new Map();
    for (const agent of agents) {
      const key = agent.id.toLowerCase();
      if (!index.has(key)) index.set(key, agent);
    }
    indexes.set(agents, index);
  }
  return index;
}
