/**
 * How a literal JavaScript string is written into Terraform's configuration language: cdktf passes template
 * sequences and backslashes through as they are, so the construct escapes them itself.
 */
import { Token } from "cdktf";

/**
 * Escapes a literal user string for Terraform's template syntax: cdktf passes `${` and `%{` through, and
 * Terraform would read them as interpolation or a directive. `$${` and `%%{` reach the API as `${` and `%{`.
 */
export function escapeTemplate(value: string): string {
  return value.replace(/\$\{/g, () => "$${").replace(/%\{/g, () => "%%{");
}

/** A JavaScript string as an HCL string literal body: cdktf's Fn.regex does not escape backslashes. */
export function hclLiteral(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"');
}

/** A user string as Terraform must see it: literals escaped for templates, tokens (references) as they are. */
export function literal(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return Token.isUnresolved(value) ? value : escapeTemplate(value);
}
