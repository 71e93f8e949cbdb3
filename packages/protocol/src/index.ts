export * from "./accounts.ts";
export * from "./errors.ts";
export * from "./health.ts";
export * from "./practice.ts";
export * from "./scenarios.ts";
export * from "./practice-socket.ts";
export * from "./scorecards.ts";
export * from "./review.ts";
