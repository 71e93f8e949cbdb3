import { MyAssignment } from "@spar/protocol";
import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { z } from "zod";
import { api } from "../../api/client.ts";

const Mine = z.object({ assignments: z.array(MyAssignment) });

/** What the learner's manager asked them to practise, soonest due first; overdue work stands out. */
export function MyAssignments() {
  const mine = useQuery({ queryKey: ["assignments", "mine"], queryFn: () => api("/api/assignments/mine", Mine) });
  const assignments = mine.data?.assignments ?? [];
  if (assignments.length === 0) return null;
  return (
    <section aria-labelledby="assigned-heading" className="assignments">
      <h2 id="assigned-heading">Assigned to you</h2>
      <ul className="assignment-list">
        {assignments.map((assignment) => (
          <li key={assignment.id} className="card assignment">
            <Link className="assignment-title" to={`/practice/${assignment.scenario.id}`}>
              {assignment.scenario.title}
            </Link>
            <span className="muted">from {assignment.assignedBy}</span>
            <span>
              {assignment.dueAt ? `Due ${new Date(assignment.dueAt).toLocaleDateString()}` : "No due date"}
              {assignment.overdue && <span className="overdue-badge">Overdue</span>}
              {assignment.status === "completed" && <span className="done-badge">Done</span>}
            </span>
            {assignment.note && <span className="muted">“{assignment.note}”</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}
