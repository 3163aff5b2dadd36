/** The offline checks of a `preclinical_webhook` configuration: the same rules and messages as the construct's. */
import { rules } from "../../api/rules";
import { messages, quote } from "../../messages";
import { error, type ClientInfo, type Diagnostic } from "../protocol/definition";
import { known, type ObjectValue } from "../protocol/values";

const INVALID = "Invalid attribute value";

export function validateWebhook(config: ObjectValue, client: ClientInfo): Diagnostic[] {
  const out: Diagnostic[] = [];
  const check = (attribute: string, ok: (v: string) => boolean, message: (v: string) => string) => {
    const value = known<string>(config[attribute]);
    if (value !== undefined && !ok(value)) out.push(error(INVALID, message(value), attribute));
  };
  check("url", rules.url, (v) => messages.urlRule(quote(v)));
  check("agent_id", rules.agentId, (v) => messages.agentIdRule(quote(v), "agent_id"));
  check("description", rules.description, (v) => messages.descriptionRule(quote(v)));
  // Never quoted: the secret must not reach a diagnostic.
  check("secret", rules.secret, () => messages.secretRule());

  for (const attribute of ["secret", "adopt_existing"] as const) {
    if (config[attribute] !== null && !client.writeOnlyAttributesAllowed) {
      out.push(
        error(
          "Write-only attributes need Terraform 1.11",
          messages.writeOnlyNeedsTerraform(client.terraformVersion, attribute),
          attribute,
        ),
      );
    }
  }
  if (known(config.secret_version) !== undefined && config.secret === null) {
    out.push(error("secret_version without secret", messages.secretVersionWithoutSecret(), "secret_version"));
  }
  return out;
}
