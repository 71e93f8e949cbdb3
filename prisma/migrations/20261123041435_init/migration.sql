-- CreateEnum
CREATE TYPE "Role" AS ENUM ('learner', 'manager', 'ld_admin');

-- CreateEnum
CREATE TYPE "TeamRole" AS ENUM ('member', 'manager');

-- CreateEnum
CREATE TYPE "Engine" AS ENUM ('offline', 'llm');

-- CreateEnum
CREATE TYPE "PracticeStatus" AS ENUM ('active', 'ended');

-- CreateEnum
CREATE TYPE "Speaker" AS ENUM ('learner', 'persona');

-- CreateEnum
CREATE TYPE "TurnStatus" AS ENUM ('complete', 'interrupted');

-- CreateEnum
CREATE TYPE "ScoringStatus" AS ENUM ('not_needed', 'pending', 'claimed', 'done', 'failed');

-- CreateEnum
CREATE TYPE "AssignmentStatus" AS ENUM ('open', 'completed', 'cancelled');

-- CreateTable
CREATE TABLE "User" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "isDemo" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "disabledAt" TIMESTAMPTZ(3),

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuthSession" (
    "tokenHash" TEXT NOT NULL,
    "userId" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "AuthSession_pkey" PRIMARY KEY ("tokenHash")
);

-- CreateTable
CREATE TABLE "Team" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Team_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TeamMember" (
    "teamId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "role" "TeamRole" NOT NULL,

    CONSTRAINT "TeamMember_pkey" PRIMARY KEY ("teamId","userId")
);

-- CreateTable
CREATE TABLE "ScenarioVersion" (
    "id" UUID NOT NULL,
    "scenarioId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "contentHash" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "family" TEXT NOT NULL,
    "rubricId" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "sourcePath" TEXT NOT NULL,
    "firstSeenAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ScenarioVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RubricVersion" (
    "id" UUID NOT NULL,
    "rubricId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "contentHash" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "competency" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "sourcePath" TEXT NOT NULL,
    "firstSeenAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RubricVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PracticeSession" (
    "id" UUID NOT NULL,
    "learnerId" UUID NOT NULL,
    "scenarioVersionId" UUID NOT NULL,
    "rubricVersionId" UUID NOT NULL,
    "engine" "Engine" NOT NULL,
    "model" TEXT,
    "status" "PracticeStatus" NOT NULL DEFAULT 'active',
    "startedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endedAt" TIMESTAMPTZ(3),
    "endReason" TEXT,
    "personaState" JSONB NOT NULL DEFAULT '{}',
    "scoringStatus" "ScoringStatus" NOT NULL DEFAULT 'not_needed',
    "scoringClaimedBy" TEXT,
    "scoringClaimedAt" TIMESTAMPTZ(3),
    "scoringAttempts" INTEGER NOT NULL DEFAULT 0,
    "scoringError" TEXT,

    CONSTRAINT "PracticeSession_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Turn" (
    "id" UUID NOT NULL,
    "sessionId" UUID NOT NULL,
    "seq" INTEGER NOT NULL,
    "speaker" "Speaker" NOT NULL,
    "text" TEXT NOT NULL,
    "status" "TurnStatus" NOT NULL DEFAULT 'complete',
    "clientMessageId" TEXT,
    "acts" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "inputTokens" INTEGER,
    "outputTokens" INTEGER,
    "cachedTokens" INTEGER,

    CONSTRAINT "Turn_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Scorecard" (
    "id" UUID NOT NULL,
    "sessionId" UUID NOT NULL,
    "rubricVersionId" UUID NOT NULL,
    "scorer" "Engine" NOT NULL,
    "model" TEXT,
    "overall" DOUBLE PRECISION NOT NULL,
    "passed" BOOLEAN NOT NULL,
    "nextStep" TEXT NOT NULL,
    "metrics" JSONB NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "inputTokens" INTEGER,
    "outputTokens" INTEGER,

    CONSTRAINT "Scorecard_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CriterionScore" (
    "id" UUID NOT NULL,
    "scorecardId" UUID NOT NULL,
    "criterionId" TEXT NOT NULL,
    "competency" TEXT NOT NULL,
    "level" INTEGER NOT NULL,
    "rationale" TEXT NOT NULL,
    "evidence" JSONB NOT NULL,

    CONSTRAINT "CriterionScore_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Assignment" (
    "id" UUID NOT NULL,
    "scenarioId" TEXT NOT NULL,
    "createdById" UUID NOT NULL,
    "teamId" UUID,
    "dueAt" TIMESTAMPTZ(3),
    "note" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Assignment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AssignmentTarget" (
    "assignmentId" UUID NOT NULL,
    "learnerId" UUID NOT NULL,
    "status" "AssignmentStatus" NOT NULL DEFAULT 'open',
    "completedSessionId" UUID,
    "completedAt" TIMESTAMPTZ(3),

    CONSTRAINT "AssignmentTarget_pkey" PRIMARY KEY ("assignmentId","learnerId")
);

-- CreateTable
CREATE TABLE "OneToOne" (
    "id" UUID NOT NULL,
    "managerId" UUID NOT NULL,
    "learnerId" UUID NOT NULL,
    "heldOn" DATE NOT NULL,
    "durationMinutes" INTEGER NOT NULL,
    "focusCompetency" TEXT,
    "keyPoints" TEXT[],
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OneToOne_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AgreedAction" (
    "id" UUID NOT NULL,
    "oneToOneId" UUID NOT NULL,
    "text" TEXT NOT NULL,
    "assignmentId" UUID,
    "doneAt" TIMESTAMPTZ(3),

    CONSTRAINT "AgreedAction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Observation" (
    "id" UUID NOT NULL,
    "observerId" UUID NOT NULL,
    "learnerId" UUID NOT NULL,
    "competency" TEXT NOT NULL,
    "level" INTEGER NOT NULL,
    "note" TEXT NOT NULL,
    "observedOn" DATE NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Observation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEntry" (
    "id" UUID NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorId" UUID,
    "action" TEXT NOT NULL,
    "subjectUserId" UUID,
    "resourceType" TEXT NOT NULL,
    "resourceId" TEXT,
    "details" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "AuditEntry_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE INDEX "AuthSession_userId_idx" ON "AuthSession"("userId");

-- CreateIndex
CREATE INDEX "AuthSession_expiresAt_idx" ON "AuthSession"("expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "Team_name_key" ON "Team"("name");

-- CreateIndex
CREATE INDEX "TeamMember_userId_idx" ON "TeamMember"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "ScenarioVersion_contentHash_key" ON "ScenarioVersion"("contentHash");

-- CreateIndex
CREATE INDEX "ScenarioVersion_scenarioId_idx" ON "ScenarioVersion"("scenarioId");

-- CreateIndex
CREATE UNIQUE INDEX "RubricVersion_contentHash_key" ON "RubricVersion"("contentHash");

-- CreateIndex
CREATE INDEX "RubricVersion_rubricId_idx" ON "RubricVersion"("rubricId");

-- CreateIndex
CREATE INDEX "PracticeSession_learnerId_startedAt_idx" ON "PracticeSession"("learnerId", "startedAt");

-- CreateIndex
CREATE INDEX "PracticeSession_scoringStatus_scoringClaimedAt_idx" ON "PracticeSession"("scoringStatus", "scoringClaimedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Turn_sessionId_seq_key" ON "Turn"("sessionId", "seq");

-- CreateIndex
CREATE UNIQUE INDEX "Turn_sessionId_clientMessageId_key" ON "Turn"("sessionId", "clientMessageId");

-- CreateIndex
CREATE INDEX "Scorecard_sessionId_createdAt_idx" ON "Scorecard"("sessionId", "createdAt");

-- CreateIndex
CREATE INDEX "CriterionScore_competency_idx" ON "CriterionScore"("competency");

-- CreateIndex
CREATE UNIQUE INDEX "CriterionScore_scorecardId_criterionId_key" ON "CriterionScore"("scorecardId", "criterionId");

-- CreateIndex
CREATE INDEX "AssignmentTarget_learnerId_status_idx" ON "AssignmentTarget"("learnerId", "status");

-- CreateIndex
CREATE INDEX "OneToOne_learnerId_heldOn_idx" ON "OneToOne"("learnerId", "heldOn");

-- CreateIndex
CREATE INDEX "Observation_learnerId_competency_idx" ON "Observation"("learnerId", "competency");

-- CreateIndex
CREATE INDEX "AuditEntry_subjectUserId_at_idx" ON "AuditEntry"("subjectUserId", "at");

-- CreateIndex
CREATE INDEX "AuditEntry_actorId_at_idx" ON "AuditEntry"("actorId", "at");

-- AddForeignKey
ALTER TABLE "AuthSession" ADD CONSTRAINT "AuthSession_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TeamMember" ADD CONSTRAINT "TeamMember_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TeamMember" ADD CONSTRAINT "TeamMember_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PracticeSession" ADD CONSTRAINT "PracticeSession_learnerId_fkey" FOREIGN KEY ("learnerId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PracticeSession" ADD CONSTRAINT "PracticeSession_scenarioVersionId_fkey" FOREIGN KEY ("scenarioVersionId") REFERENCES "ScenarioVersion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PracticeSession" ADD CONSTRAINT "PracticeSession_rubricVersionId_fkey" FOREIGN KEY ("rubricVersionId") REFERENCES "RubricVersion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Turn" ADD CONSTRAINT "Turn_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "PracticeSession"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Scorecard" ADD CONSTRAINT "Scorecard_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "PracticeSession"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Scorecard" ADD CONSTRAINT "Scorecard_rubricVersionId_fkey" FOREIGN KEY ("rubricVersionId") REFERENCES "RubricVersion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CriterionScore" ADD CONSTRAINT "CriterionScore_scorecardId_fkey" FOREIGN KEY ("scorecardId") REFERENCES "Scorecard"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Assignment" ADD CONSTRAINT "Assignment_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Assignment" ADD CONSTRAINT "Assignment_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AssignmentTarget" ADD CONSTRAINT "AssignmentTarget_assignmentId_fkey" FOREIGN KEY ("assignmentId") REFERENCES "Assignment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AssignmentTarget" ADD CONSTRAINT "AssignmentTarget_learnerId_fkey" FOREIGN KEY ("learnerId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AssignmentTarget" ADD CONSTRAINT "AssignmentTarget_completedSessionId_fkey" FOREIGN KEY ("completedSessionId") REFERENCES "PracticeSession"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OneToOne" ADD CONSTRAINT "OneToOne_managerId_fkey" FOREIGN KEY ("managerId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OneToOne" ADD CONSTRAINT "OneToOne_learnerId_fkey" FOREIGN KEY ("learnerId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AgreedAction" ADD CONSTRAINT "AgreedAction_oneToOneId_fkey" FOREIGN KEY ("oneToOneId") REFERENCES "OneToOne"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AgreedAction" ADD CONSTRAINT "AgreedAction_assignmentId_fkey" FOREIGN KEY ("assignmentId") REFERENCES "Assignment"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Observation" ADD CONSTRAINT "Observation_observerId_fkey" FOREIGN KEY ("observerId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Observation" ADD CONSTRAINT "Observation_learnerId_fkey" FOREIGN KEY ("learnerId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuditEntry" ADD CONSTRAINT "AuditEntry_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
