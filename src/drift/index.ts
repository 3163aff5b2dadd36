export { appliedWebhooks, checkDrift, formatReport, DriftStatus, SECRET_NOTE } from "./drift";
export type { AppliedWebhook, DriftItem, DriftReport, FieldChange } from "./drift";
export { runDrift } from "./bin";
