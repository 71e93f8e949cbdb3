import type { Library, LibraryVersions } from "@spar/domain";
import type { PrismaClient } from "../generated/prisma/client.ts";

export class PrismaLibraryVersions implements LibraryVersions {
  constructor(private readonly prisma: PrismaClient) {}

  async record(library: Library): Promise<number> {
    const rubrics = await this.prisma.rubricVersion.createMany({
      skipDuplicates: true,
      data: [...library.rubrics.values()].map((entry) => ({
        rubricId: entry.value.id,
        version: entry.value.version,
        contentHash: entry.contentHash,
        title: entry.value.title,
        competency: entry.value.competency,
        source: entry.source,
        sourcePath: entry.file,
      })),
    });
    const scenarios = await this.prisma.scenarioVersion.createMany({
      skipDuplicates: true,
      data: [...library.scenarios.values()].map((entry) => ({
        scenarioId: entry.value.id,
        version: entry.value.version,
        contentHash: entry.contentHash,
        title: entry.value.title,
        family: entry.value.family,
        rubricId: entry.value.rubric,
        source: entry.source,
        sourcePath: entry.file,
      })),
    });
    return rubrics.count + scenarios.count;
  }
}
