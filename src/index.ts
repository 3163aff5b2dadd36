/** cdktf-preclinical-webhooks: Preclinical webhooks as infrastructure code. */
export * from "./construct";
export * from "./api";
export { appliedWebhooks, checkDrift, formatReport, DriftStatus, type DriftReport, type DriftItem, type AppliedWebhook } from "./drift/drift";
