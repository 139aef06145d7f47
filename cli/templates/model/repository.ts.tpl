import { Repository, type Database } from "stratus/db";
import { {{tableVar}} } from "../schema/{{kebab}}";

/** Typed access to {{table}}: find, findMany, paginate, create, update, delete (see stratus/db). */
export class {{repository}} extends Repository<typeof {{tableVar}}> {
  constructor(db: Database) {
    super(db, {{tableVar}}, { entity: "{{snake}}", defaultOrder: { column: "createdAt", direction: "desc" } });
  }
}
