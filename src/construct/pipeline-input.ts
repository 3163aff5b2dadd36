/**
 * A pipeline must not wait at Terraform's prompt. `cdktf deploy` runs `terraform apply` in a pseudo-terminal,
 * so a root variable with no default and no value (TF_VAR_<name> unset) makes Terraform ask for it, and the
 * job waits until it is killed; cdktf-cli does not notice the prompt. TF_INPUT=0 makes Terraform fail at
 * once instead. So in a pipeline (CI set) that has not chosen TF_INPUT, synthesis fails when a variable a
 * webhook reads would be prompted for, naming the variable and the webhooks that read it.
 */
import { DefaultTokenResolver, StringConcat, TerraformStack, TerraformVariable, Token, Tokenization } from "cdktf";
import type { IConstruct } from "constructs";
import { messages } from "../messages";

/** What a webhook reads through tokens: its path, the prop, the value. */
interface Reading {
  readonly path: string;
  readonly prop: string;
  readonly value: unknown;
}

const readings = new WeakMap<TerraformStack, Reading[]>();

/** Records the token props of a webhook; the stack's check runs once, at synthesis. */
export function checkPipelineInputs(webhook: IConstruct, props: Readonly<Record<string, unknown>>): void {
  const stack = TerraformStack.of(webhook);
  let list = readings.get(stack);
  if (!list) {
    const fresh: Reading[] = [];
    readings.set(stack, fresh);
    stack.node.addValidation({ validate: () => promptedVariables(stack, fresh) });
    list = fresh;
  }
  for (const [prop, value] of Object.entries(props)) {
    if (value !== undefined && Token.isUnresolved(value)) list.push({ path: webhook.node.path, prop, value });
  }
}

/** Whether this run is a pipeline that would wait at a prompt: CI is set and TF_INPUT was left alone. */
function mayPrompt(env: NodeJS.ProcessEnv): boolean {
  const ci = env.CI?.trim().toLowerCase();
  return !!ci && ci !== "false" && ci !== "0" && env.TF_INPUT === undefined;
}

function promptedVariables(stack: TerraformStack, list: readonly Reading[]): string[] {
  if (!mayPrompt(process.env) || list.length === 0) return [];
  const variables = new Map<string, TerraformVariable>();
  for (const c of stack.node.findAll()) if (c instanceof TerraformVariable) variables.set(c.friendlyUniqueId, c);
  const readers = new Map<string, string[]>();
  for (const { path, prop, value } of list) {
    const resolved = Tokenization.resolve(value, {
      scope: stack,
      resolver: new DefaultTokenResolver(new StringConcat()),
    });
    const text = JSON.stringify(resolved);
    for (const [, name] of text.matchAll(/\bvar\.([A-Za-z_][A-Za-z0-9_-]*)/g)) {
      const variable = variables.get(name);
      if (!variable || variable.default !== undefined || process.env[`TF_VAR_${name}`] !== undefined) continue;
      const reader = `${path} (\`${prop}\`)`;
      const known = readers.get(name) ?? [];
      if (!known.includes(reader)) readers.set(name, [...known, reader]);
    }
  }
  return [...readers].map(([name, by]) => messages.variableWouldPrompt(name, by));
}
