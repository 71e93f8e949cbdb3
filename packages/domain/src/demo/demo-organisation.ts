import type { Role } from "@spar/protocol";

/** Everyone in the demo organisation shares this password; the sign-in page shows it. */
export const demoPassword = "practice-makes-progress";

export interface DemoPerson {
  name: string;
  email: string;
  role: Role;
  team: string | null;
}

// "Tomás Ortega" -> "tomas.ortega", "Grace O'Neill" -> "grace.oneill"
const emailName = (name: string) =>
  name
    .normalize("NFD")
    .replace(/[\u0300-\u036f']/g, "")
    .toLowerCase()
    .replace(/[^a-z]+/g, ".");

const person = (name: string, role: Role, team: string | null): DemoPerson => ({
  name,
  role,
  team,
  email: `${emailName(name)}@demo.example`,
});

/**
 * One L&D admin, two managers and twelve learners in two teams of six: above the programme
 * view's five-person privacy threshold, so L&D sees real aggregates. No learner shares a first
 * name with a scenario's persona.
 */
export const demoPeople: readonly DemoPerson[] = [
  person("Alex Morgan", "ld_admin", null),
  person("Priya Natarajan", "manager", "Mid-Market Sales"),
  person("Jordan Reyes", "manager", "Customer Success"),
  person("Sam Whitaker", "learner", "Mid-Market Sales"),
  person("Lena Fischer", "learner", "Mid-Market Sales"),
  person("Tomás Ortega", "learner", "Mid-Market Sales"),
  person("Aisha Bello", "learner", "Mid-Market Sales"),
  person("Yusuf Demir", "learner", "Mid-Market Sales"),
  person("Oliver Brandt", "learner", "Mid-Market Sales"),
  person("Kenji Watanabe", "learner", "Customer Success"),
  person("Grace O'Neill", "learner", "Customer Success"),
  person("Mateo Rossi", "learner", "Customer Success"),
  person("Nadia Haddad", "learner", "Customer Success"),
  person("Chiara Conti", "learner", "Customer Success"),
  person("Ravi Menon", "learner", "Customer Success"),
];

export const demoTeams: readonly string[] = ["Mid-Market Sales", "Customer Success"];
