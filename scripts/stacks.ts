/**
 * The plain `*.tf.json` stacks the provider's benchmarks and profile compare: N webhooks as a plain-Terraform
 * user writes them, N bare terraform_data resources (Terraform's own floor), and the hand-written alternative
 * of terraform_data + a curl local-exec per webhook (no update, no delete, no checks).
 */

/** The agent of webhook i (webhook 0 is the organization-level one). */
export const agent = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;

/** `count` webhooks (the first organization-level). */
export function webhooks(emulatorUrl: string, count: number): Record<string, unknown> {
  const resources: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) {
    resources[`hook_${i}`] = { url: `https://hooks.example.com/${i}`, ...(i > 0 && { agent_id: agent(i) }) };
  }
  return { provider: { preclinical: { api_url: emulatorUrl } }, resource: { preclinical_webhook: resources } };
}

export function bareData(count: number): Record<string, unknown> {
  const resources: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) resources[`hook_${i}`] = { input: `https://hooks.example.com/${i}` };
  return { terraform: {}, resource: { terraform_data: resources } };
}

/** The ten-minute alternative: POST with curl at create time, nothing else. */
export function curlStack(emulatorUrl: string, count: number): Record<string, unknown> {
  const resources: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) {
    const body = JSON.stringify({ url: `https://hooks.example.com/${i}`, ...(i > 0 && { agent_id: agent(i) }) });
    resources[`hook_${i}`] = {
      triggers_replace: { body },
      provisioner: [
        {
          "local-exec": {
            command:
              'curl -sS -f -X POST -H "Authorization: Bearer $PRECLINICAL_API_KEY" -H "content-type: application/json" ' +
              '--data "$BODY" "$API_URL/webhooks" > /dev/null',
            environment: { BODY: body, API_URL: emulatorUrl },
          },
        },
      ],
    };
  }
  return { terraform: {}, resource: { terraform_data: resources } };
}
