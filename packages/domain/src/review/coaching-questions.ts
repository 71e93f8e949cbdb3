// Open, forward-looking questions a manager can ask in the one-to-one, by competency: they help
// the person find their own next step rather than being told it.
const questions: Record<string, readonly string[]> = {
  "active-listening": [
    "When the other person got frustrated, what did you notice about what they needed first?",
    "What would it look like to let them finish before you respond next time?",
    "How will you check you've understood them before you move to solutions?",
  ],
  "powerful-questioning": [
    "Which of your questions opened the conversation up, and what made them work?",
    "What question could you ask next time that invites them to think rather than agree?",
    "How might you follow up on an answer instead of moving to your next question?",
  ],
  "development-planning": [
    "What does the person want for themselves, in their own words?",
    "How could you help them find the options before you suggest any?",
    "What would a first step look like that they would own by the end of the conversation?",
  ],
  "feedback-delivery": [
    "What did you see them do, specifically, and what effect did it have?",
    "How could you invite their view before agreeing what changes?",
    "What would make the next step concrete enough to check in on?",
  ],
  "sales-discovery": [
    "What did you learn about the problem behind their request, and what is it costing them?",
    "Who else decides, and how would you find that out earlier next time?",
    "What would a next step look like that the customer asks for, not just agrees to?",
  ],
  "objection-handling": [
    "What do you think was really behind the objection?",
    "How might you explore the concern before you answer it next time?",
    "What would you want the customer to say about value before price comes up again?",
  ],
  "difficult-conversations": [
    "What did you want them to understand, and how clearly did that land?",
    "What might be going on for them that you haven't heard yet?",
    "How will you keep the conversation safe when emotions rise next time?",
  ],
};

const fallback = [
  "What went well in your last practice, and what would you do differently?",
  "What would you like to try in your next conversation?",
];

/** Questions for the person's weakest competencies, weakest first. */
export function coachingQuestions(weakestCompetencies: readonly string[], perCompetency = 2): { competency: string | null; question: string }[] {
  const picked = weakestCompetencies.flatMap((competency) =>
    (questions[competency] ?? []).slice(0, perCompetency).map((question) => ({ competency, question })),
  );
  return picked.length > 0 ? picked : fallback.map((question) => ({ competency: null, question }));
}
