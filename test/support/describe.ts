/** Jest helpers for the end-to-end tests (kept apart from ./terraform.ts, which scripts use outside jest). */
import { terraformAvailable } from "./terraform";

/** `describe` that runs only where terraform exists (and fails loudly in CI where it does not). */
export const describeWithTerraform: jest.Describe = terraformAvailable() ? describe : describe.skip;
