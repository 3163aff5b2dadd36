/** cdktf-preclinical-webhooks: Preclinical webhooks as infrastructure code. */
export * from "./construct";
export * from "./api";
