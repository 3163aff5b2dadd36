import * as os from "node:os";
import * as path from "node:path";
import { AGENT_A } from "./agents";
/**
 * Literal inputs of every webhook prop, accepted and rejected: the validation table of
 * test/construct/validation.test.ts, and the count of bad inputs that scripts/reliability.ts reports. Also
 * the values all tests share: HOOK_URL, a webhook URL; SECRET and SECRET_2, a webhook secret and a second one
 * for rotations; and LEAK_CHECK_API_KEY, the API key of the secret-hygiene tests.
 */

export const HOOK_URL = "https://hooks.example.com/preclinical";
export const SECRET_16 = "0123456789abcdef";
/** A webhook secret, and a second one for rotations. Tests search every artifact for them. */
export const SECRET = "whsec_" + "s3cr3t".repeat(8);
export const SECRET_2 = "whsec_" + "r0tat3d".repeat(6);
/** An API key other than the emulator's default (give it an organization), which secret-hygiene tests search for. */
export const LEAK_CHECK_API_KEY = "sk_live_" + "LeakCheckKey0123456789abcdefghijklmnopqr".slice(0, 40);
export const HOST = "https://hooks.example.com/";

export type Prop = "url" | "agentId" | "description" | "secret" | "apiUrl" | "apiKeyEnvVar";

/** A file that exists only if something executed a hostile value. */
export const MARK = path.join(os.tmpdir(), `preclinical-pwned-${process.pid}`);

/** Descriptions a user (or an attacker with commit rights) might write. */
export const HOSTILE_DESCRIPTIONS = [
  `$(touch ${MARK})`,
  `\`touch ${MARK}\``,
  `; touch ${MARK} #`,
  `| touch ${MARK}`,
  `&& touch ${MARK}`,
  "${path.cwd}",
  "%{ if true }x%{ endif }",
  "$${already escaped}",
  `"double" 'single' \\back\\slash`,
  "line one\nline two\ttabbed\r\nwindows",
  "🚀 émoji 日本語 ﷽",
  "%s %d %n %x",
  "$HOME $PATH $PRECLINICAL_API_KEY",
  "<script>alert(1)</script>",
];

/** URLs with the same, where a URL may carry them (no spaces in a URL). */
export const HOSTILE_URLS = [
  `https://hooks.example.com/$(touch\${IFS}${MARK})`,
  "https://hooks.example.com/p?a=${b}&c=%{d}&e=`id`",
  "https://hooks.example.com/p;rm${IFS}-rf${IFS}/",
  "https://hooks.example.com/p?q=$PRECLINICAL_API_KEY",
];

/** Accepted values: [prop, what, value, what the converge environment holds]. */
export const accepted: [Prop, string, string, string][] = [
  // url
  ["url", "an https URL", HOOK_URL, HOOK_URL],
  ["url", "http on localhost with a port", "http://localhost:8080/hook", "http://localhost:8080/hook"],
  ["url", "http on 127.0.0.1", "http://127.0.0.1", "http://127.0.0.1"],
  ["url", "http on [::1] with a port", "http://[::1]:3000/hook", "http://[::1]:3000/hook"],
  ["url", "https on an IPv6 literal", "https://[2001:db8::1]/hook", "https://[2001:db8::1]/hook"],
  ["url", "a unicode path", `${HOST}café/✓/日本`, `${HOST}café/✓/日本`],
  ["url", "a query and a fragment", `${HOST}p?a=1&b=two#frag`, `${HOST}p?a=1&b=two#frag`],
  ["url", "2048 characters", HOST + "a".repeat(2048 - HOST.length), HOST + "a".repeat(2048 - HOST.length)],
  ["url", "${ and %{ in the query (escaped)", `${HOST}?a=\${b}&c=%{d}`, `${HOST}?a=$\${b}&c=%%{d}`],
  // agentId
  ["agentId", "a lowercase UUID", AGENT_A, AGENT_A],
  ["agentId", "an uppercase UUID (kept as written)", AGENT_A.toUpperCase(), AGENT_A.toUpperCase()],
  // description
  ["description", "newline, carriage return and tab", "line 1\r\nline 2\tend", "line 1\r\nline 2\tend"],
  [
    "description",
    "shell syntax, verbatim",
    "$(rm -rf /) `reboot` ; | && > /etc/passwd",
    "$(rm -rf /) `reboot` ; | && > /etc/passwd",
  ],
  ["description", "${x} (escaped)", "Cost ${x}", "Cost $${x}"],
  ["description", "a %{ directive (escaped)", "%{if true}yes%{endif}", "%%{if true}yes%%{endif}"],
  ["description", "an already escaped $${ (escaped again, so it arrives as written)", "$${x}", "$$${x}"],
  ["description", "unicode and emoji", "Grüße aus Zürich 🚀 日本語 ✓", "Grüße aus Zürich 🚀 日本語 ✓"],
  ["description", "1000 characters", "d".repeat(1000), "d".repeat(1000)],
  ["description", "1000 emoji (counted as characters)", "🚀".repeat(1000), "🚀".repeat(1000)],
  ["description", "the empty string", "", ""],
  // secret
  ["secret", "16 characters", SECRET_16, SECRET_16],
  ["secret", "256 characters", "s".repeat(256), "s".repeat(256)],
  ["secret", "16 non-ASCII characters", "ü".repeat(16), "ü".repeat(16)],
  ["secret", "${ (escaped)", "abc${def}0123456789", "abc$${def}0123456789"],
  // apiUrl
  ["apiUrl", "the production API", "https://app.preclinical.dev/api/v1", "https://app.preclinical.dev/api/v1"],
  ["apiUrl", "a trailing slash (dropped)", "https://eu.preclinical.dev/api/v1/", "https://eu.preclinical.dev/api/v1"],
  ["apiUrl", "the emulator on localhost", "http://localhost:4010/api/v1", "http://localhost:4010/api/v1"],
  // apiKeyEnvVar
  ["apiKeyEnvVar", "an upper-case name", "PRECLINICAL_KEY_STAGING", "PRECLINICAL_KEY_STAGING"],
  ["apiKeyEnvVar", "a leading underscore", "_KEY", "_KEY"],
  ["apiKeyEnvVar", "lower case with digits", "key2", "key2"],
];

/** Rejected values: [prop, what, value]. */
export const rejected: [Prop, string, string][] = [
  // url
  ["url", "http on a public host", "http://example.com/hook"],
  ["url", "http on a host that starts with localhost", "http://localhost.evil.com/hook"],
  ["url", "http on a host that starts with 127.0.0.1", "http://127.0.0.1.evil.com/hook"],
  ["url", "a relative URL", "/hook"],
  ["url", "ftp", "ftp://hooks.example.com/hook"],
  ["url", "javascript:", "javascript:alert(1)"],
  ["url", "file:", "file:///etc/passwd"],
  ["url", "credentials", "https://user:pass@hooks.example.com/hook"],
  ["url", "a user name", "https://user@hooks.example.com/hook"],
  ["url", "a space", `${HOST}a b`],
  ["url", "a leading space", ` ${HOOK_URL}`],
  ["url", "a newline", `${HOOK_URL}\n`],
  ["url", "a NUL", `${HOOK_URL}\u0000`],
  ["url", "a BEL", `${HOOK_URL}\u0007`],
  ["url", "a DEL", `${HOOK_URL}\u007f`],
  ["url", "2049 characters", HOST + "a".repeat(2049 - HOST.length)],
  ["url", "a unicode host (punycode required)", "https://bücher.example/hook"],
  ["url", "no host", "https://"],
  ["url", "a no-break space (a space to JavaScript, not to RE2: spelled out for both)", `${HOST}a\u00a0b`],
  ["url", "a C1 control", `${HOST}a\u0085b`],
  ["url", "a port above 65535", "https://hooks.example.com:65536/hook"],
  ["url", "the empty string", ""],
  // agentId
  ["agentId", "not a UUID", "abc"],
  ["agentId", "a UUID in braces", `{${AGENT_A}}`],
  ["agentId", "a UUID with a trailing newline", `${AGENT_A}\n`],
  ["agentId", "a URN", `urn:uuid:${AGENT_A}`],
  ["agentId", "the empty string", ""],
  // description
  ["description", "a NUL", "before\u0000after"],
  ["description", "an ANSI escape", "\u001b[31mred"],
  ["description", "a DEL", "x\u007f"],
  ["description", "1001 characters", "d".repeat(1001)],
  // secret
  ["secret", "15 characters", SECRET_16.slice(1)],
  ["secret", "257 characters", "s".repeat(257)],
  ["secret", "a control character", `${SECRET_16}\u0001`],
  ["secret", "a newline", `${SECRET_16}\n`],
  ["secret", "a tab", `${SECRET_16}\t`],
  ["secret", "the empty string", ""],
  // apiUrl
  ["apiUrl", "http on a public host", "http://api.example.com/api/v1"],
  ["apiUrl", "no scheme", "app.preclinical.dev/api/v1"],
  ["apiUrl", "credentials", "https://user:pw@app.preclinical.dev/api/v1"],
  ["apiUrl", "the empty string", ""],
  // apiKeyEnvVar
  ["apiKeyEnvVar", "a leading digit", "1KEY"],
  ["apiKeyEnvVar", "a dash", "MY-KEY"],
  ["apiKeyEnvVar", "a space", "MY KEY"],
  ["apiKeyEnvVar", "shell syntax", "KEY;rm -rf /"],
  ["apiKeyEnvVar", "a dollar sign", "$KEY"],
  ["apiKeyEnvVar", "the empty string", ""],
];
