export interface AuditRecord {
  actorId: string | null;
  /** What happened, as `resource.verb`, e.g. `transcript.read`. */
  action: string;
  subjectUserId: string | null;
  resourceType: string;
  resourceId: string | null;
  details?: Record<string, unknown>;
}

export interface AuditLog {
  record(entry: AuditRecord): Promise<void>;
}
