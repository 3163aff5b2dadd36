/** jest globalSetup: ./run-temp.ts. */
export { setupRunTemp as default } from "./run-temp";
