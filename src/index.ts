/**
 * cdktf-preclinical-webhooks: Preclinical webhooks as infrastructure code.
 *
 * The main entry holds the constructs only, within what jsii can express, so that the library can later be
 * published for Python, Java, C# and Go. The API client, the emulator, the drift check and the provider's
 * installer are TypeScript subpaths: `cdktf-preclinical-webhooks/api`, `/emulator`, `/drift` and `/provider`.
 */
export * from "./construct";
