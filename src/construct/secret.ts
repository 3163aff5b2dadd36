/** What the state and the plan keep of a webhook secret: a salted fingerprint, never the secret. */
import * as crypto from "node:crypto";
import { Fn, Token } from "cdktf";
import { escapeTemplate } from "./hcl";

const FINGERPRINT_SALT = "preclinical-webhook-secret:v1:";

/**
 * What the state keeps of a secret: the first 16 hex digits of SHA-256 over a salt, the construct path and
 * the secret. Enough for Terraform to see a rotation, useless to replay, and the same whether the secret
 * is a literal or a variable (so moving it into a variable is not a change).
 */
export function secretFingerprint(path: string, secret: string): string {
  const prefix = `${FINGERPRINT_SALT}${path}:`;
  if (!Token.isUnresolved(secret)) {
    return crypto
      .createHash("sha256")
      .update(prefix + secret)
      .digest("hex")
      .slice(0, 16);
  }
  // sensitive() first: before Terraform 1.7, nonsensitive() of a value that is not sensitive (a secret from a
  // variable declared without `sensitive: true`) is an error.
  const salted = Fn.sensitive(Fn.join("", [escapeTemplate(prefix), secret]));
  return Fn.nonsensitive(Fn.substr(Fn.sha256(salted), 0, 16));
}
