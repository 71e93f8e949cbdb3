import type { ScenarioCalibration } from "@spar/domain";
import type { Prisma, PrismaClient } from "../generated/prisma/client.ts";

/** Calibration results, kept so the library view can show how well each scenario's scoring agrees. */
export class PrismaCalibrationRuns {
  constructor(private readonly prisma: PrismaClient) {}

  async record(result: ScenarioCalibration, scorer: { kind: "offline" | "llm"; model: string | null }): Promise<void> {
    await this.prisma.calibrationRun.create({
      data: {
        scenarioId: result.scenarioId,
        scenarioHash: result.scenarioHash,
        rubricHash: result.rubricHash,
        scorer: scorer.kind,
        model: scorer.model,
        exactAgreement: result.exactAgreement,
        withinOneAgreement: result.withinOneAgreement,
        strongBeatsWeak: result.strongBeatsWeak,
        passed: result.passed,
        details: { examples: result.examples, byCriterion: result.byCriterion, tuning: result.tuning, heldOut: result.heldOut } as unknown as Prisma.InputJsonObject,
      },
    });
  }

  /** The newest run per scenario. */
  async latest(): Promise<{ scenarioId: string; passed: boolean; exactAgreement: number; withinOneAgreement: number; strongBeatsWeak: boolean; scorer: string; createdAt: Date }[]> {
    const rows = await this.prisma.calibrationRun.findMany({ orderBy: { createdAt: "desc" }, distinct: ["scenarioId"] });
    return rows.map(({ scenarioId, passed, exactAgreement, withinOneAgreement, strongBeatsWeak, scorer, createdAt }) => ({
      scenarioId, passed, exactAgreement, withinOneAgreement, strongBeatsWeak, scorer, createdAt,
    }));
  }
}
