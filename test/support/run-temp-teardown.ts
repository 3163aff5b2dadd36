/** jest globalTeardown: ./run-temp.ts. */
export { teardownRunTemp as default } from "./run-temp";
