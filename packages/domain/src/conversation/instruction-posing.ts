import { isInfluenceAttempt } from "../scoring/influence-attempts.ts";

// Learner text dressed up as an instruction from somewhere other than the learner: a line that
// opens with a chat role's label ("SYSTEM:", "[developer]", "Assistant:"), a chat template's
// control tokens ("<|im_start|>system", "[INST]", "<<SYS>>"), or a prompt-style heading ("###
// Instruction:"). People do not talk like this to a colleague or a customer; models read it as
// orders. Notes to the assessor ("Assessor: …", "Note to the grader …") are recognised by
// influence-attempts.ts, once for the scorecard and the classifier alike.

/** "SYSTEM:", "[system]", "(developer):", "Assistant -" at the start of a line. */
const roleLabel = /^[\s>*_"'“‘]*(?:[[(<{]\s*)?(?:system|developer|assistant|admin|administrator|operator)(?:\s+(?:message|prompt|note|instructions?|override))?\s*(?:[\])>}]|:|\s[-–—]\s)/i;

/** The control tokens of common chat templates (ChatML, Llama, Mistral and the like). */
const templateToken = /<\|\s*(?:im_start|im_end|system|user|assistant|begin_of_text|start_header_id|end_header_id|eot_id|endoftext)\s*\|>|\[\/?INST\]|<<\/?SYS>>/i;

/** A markdown heading naming a prompt part: "### Instruction:", "## System", "# New instructions". */
const promptHeading = /^\s*#{1,6}\s*(?:system|instructions?|new instructions?|developer|response|assistant)\b/i;

/** Whether a line of a learner's turn poses as an instruction to the model (or to the assessor). */
export function posesAsInstruction(line: string): boolean {
  return roleLabel.test(line) || templateToken.test(line) || promptHeading.test(line) || isInfluenceAttempt(line);
}

/** Whether any line of a learner's turn poses as an instruction to the model or to the assessor. */
export function turnPosesAsInstruction(text: string): boolean {
  return text.split(/\r?\n/).some(posesAsInstruction);
}
