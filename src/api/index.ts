export * from "./assumptions";
export * from "./client";
export * from "./errors";
export * from "./retry";
export * from "./schemas";
export * from "./rules";
