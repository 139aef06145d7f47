import { Repository, type Database } from "stratus/db";
import { notes, type Note } from "../schema/notes";

export class NoteRepository extends Repository<typeof notes> {
  constructor(db: Database) {
    super(db, notes, { entity: "note", defaultOrder: { column: "createdAt", direction: "desc" } });
  }

  /** The newest notes first. */
  latest(limit: number): Promise<Note[]> {
    return this.findMany({ orderBy: { column: "createdAt", direction: "desc" }, limit });
  }
}
