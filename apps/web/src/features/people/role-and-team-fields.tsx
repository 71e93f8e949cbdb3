import type { Role } from "@spar/protocol";
import { SelectField } from "../../components/select-field.tsx";
import { roleLabels } from "../auth/sign-in-page.tsx";
import { useAdminTeams } from "./people-queries.ts";

export const roleOptions = (Object.keys(roleLabels) as Role[]).map((role) => ({
  value: role,
  label: roleLabels[role],
}));

interface RoleAndTeamFieldsProps {
  role: Role;
  onRoleChange: (role: Role) => void;
  /** A team id, or "" for none. */
  teamId: string;
  onTeamChange: (teamId: string) => void;
  errors: Record<string, string>;
}

/** A person's role and the team they practise in: the same two choices wherever a person is edited. */
export function RoleAndTeamFields({ role, onRoleChange, teamId, onTeamChange, errors }: RoleAndTeamFieldsProps) {
  const teams = useAdminTeams();
  return (
    <>
      <SelectField
        label="Role"
        name="role"
        value={role}
        onChange={(value) => onRoleChange(value as Role)}
        options={roleOptions}
        error={errors.role}
      />
      <SelectField
        label="Team"
        name="teamId"
        value={teamId}
        onChange={onTeamChange}
        options={[
          { value: "", label: "No team" },
          ...(teams.data ?? []).map((team) => ({ value: team.id, label: team.name })),
        ]}
        error={errors.teamId}
      />
    </>
  );
}
