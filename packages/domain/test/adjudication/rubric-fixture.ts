import { Rubric } from "../../src/library/rubric-schema.ts";
import type { Library } from "../../src/library/library.ts";

const anchor = (level: number, criterion: string) => ({ description: `${criterion} at level ${level}.`, sounds_like: `A level ${level} line.` });
const levels = (criterion: string) => ({ "1": anchor(1, criterion), "2": anchor(2, criterion), "3": anchor(3, criterion), "4": anchor(4, criterion) });

/** Two criteria, the first weighing twice the second, pass mark 3. */
export const rubric = Rubric.parse({
  id: "listening",
  version: 1,
  title: "Listening",
  competency: "active-listening",
  description: "How well the learner listens.",
  scale: { "1": "Not yet", "2": "Developing", "3": "Proficient", "4": "Role model" },
  pass_mark: 3,
  criteria: [
    { id: "reflects-feelings", title: "Reflects feelings", weight: 2, description: "Names what the other person feels.", levels: levels("Reflects feelings") },
    { id: "asks-open-questions", title: "Asks open questions", weight: 1, description: "Asks questions that open up.", levels: levels("Asks open questions") },
  ],
});

/** A library holding only that rubric, under a made-up content hash. */
export const library: Library = {
  scenarios: new Map(),
  rubrics: new Map([["listening", { value: rubric, file: "listening.rubric.yaml", contentHash: "hash-listening", source: "" }]]),
  examples: [],
};
